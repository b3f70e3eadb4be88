// Registrations: record_stream (upstream Memory.cpp / RecordStream.cu).
// Dtypes: any
#include <ATen/core/Tensor.h>
#include <torch/library.h>

#include "core/Allocator.h"

namespace {

void record_stream(at::Tensor& self, c10::Stream stream) {
  TORCH_CHECK(stream.device() == self.device(), "record_stream: the stream is on ", stream.device(),
              " but the tensor is on ", self.device());
  torch_ocl::device_allocator()->recordStream(self.storage().data_ptr(), stream);
}

}  // namespace

TORCH_LIBRARY_IMPL(aten, PrivateUse1, m) { m.impl("record_stream", record_stream); }
