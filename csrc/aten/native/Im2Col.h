// Sliding-window gathers shared by convolution and unfold/fold: im2col and col2im launchers.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace at::native::ocl {

class KernelArgs;

// One sliding window over images of C channels and (D, H, W) elements; 2d uses D = 1.
struct Window {
  int64_t C = 1, D = 1, H = 1, W = 1;     // image
  int64_t KD = 1, KH = 1, KW = 1;         // kernel
  int64_t SD = 1, SH = 1, SW = 1;         // stride
  int64_t PD = 0, PH = 0, PW = 0;         // padding
  int64_t DD = 1, DH = 1, DW = 1;         // dilation
  int64_t OD = 1, OH = 1, OW = 1;         // windows per dimension
  int64_t rows() const { return C * KD * KH * KW; }
  int64_t windows() const { return OD * OH * OW; }
  int64_t image() const { return C * D * H * W; }
};

// Adds w as the kernels' Geometry struct (fields of type IDX: ulong when idx64, else uint).
void add_window(KernelArgs& args, const Window& w, bool idx64);
// A sliding-window kernel file (im2col.cl, depthwise_conv.cl) for dtype t: typed_source's
// defines, then window.cl (Geometry and the window helpers), then `file`.
std::string typed_window_source(ScalarType t, bool idx64, const std::string& file);

// Column layout: element (row r, image n, window l) at r * rs + n * ns + l (elements from
// col's first element). Convolution uses rs = nimg * windows, ns = windows (a GEMM operand
// per row block); unfold uses ns = rows * windows, rs = windows.

// Writes the columns of images [n0, n0 + nimg) of x (contiguous (N, C, D, H, W)) into col.
void im2col(const Tensor& x, int64_t n0, int64_t nimg, const Window& w, const Tensor& col, int64_t rs,
            int64_t ns);
// Writes images [n0, n0 + nimg) of x (contiguous) as the sums of their entries in col.
void col2im(const Tensor& col, int64_t rs, int64_t ns, const Window& w, const Tensor& x, int64_t n0,
            int64_t nimg);

// Channels-last forms (im2col_cl.cl): images dense as (N, D, H, W, C), columns (nimg * windows)
// x (KD * KH * KW * C) with the channel innermost, row-major from col's first element.
void im2col_channels_last(const Tensor& x, int64_t n0, int64_t nimg, const Window& w, const Tensor& col);
void col2im_channels_last(const Tensor& col, const Window& w, const Tensor& x, int64_t n0, int64_t nimg);

}  // namespace at::native::ocl
