// Registrations: convolution (upstream Convolution.cpp, ConvolutionMM2d.cpp,
// NaiveConvolutionTranspose2d.cpp) and unfold/fold (Im2Col.cpp, Col2Im.cpp).
// Dtypes: float32 float16 bfloat16 float64
#include <torch/library.h>

#include "aten/native/Convolution.h"
#include "aten/native/Fold.h"

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) {
  m.impl("convolution_overrideable", at::native::ocl::convolution);
  m.impl("convolution_backward_overrideable", at::native::ocl::convolution_backward);
  m.impl("im2col", at::native::ocl::im2col_op);
  m.impl("im2col.out", at::native::ocl::im2col_out);
  m.impl("col2im", at::native::ocl::col2im_op);
  m.impl("col2im.out", at::native::ocl::col2im_out);
}
