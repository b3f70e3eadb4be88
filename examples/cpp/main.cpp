// Moves a tensor to ocl:0, computes on it there, and checks the result on the CPU.
#include <ATen/ATen.h>
#include <torch_ocl/torch_ocl.h>

#include <cstdio>

int main() {
  if (!torch_ocl::is_available()) {
    std::printf("no OpenCL device\n");
    return 1;
  }
  c10::Device ocl("ocl:0");
  at::Tensor host = at::arange(1000, at::kFloat).reshape({10, 100});
  at::Tensor x = host.to(ocl);                                        // host -> device
  at::Tensor t = x.t().contiguous();                                  // strided copy kernel
  at::Tensor h = t.to(at::kHalf).to(at::kFloat);                      // casts on the device
  at::Tensor r = at::empty({10, 100}, at::TensorOptions().device(ocl)).uniform_(2.0, 3.0);
  torch_ocl::synchronize();
  bool ok = at::equal(t.cpu(), host.t().contiguous()) && at::equal(h.cpu(), host.t().to(at::kHalf).to(at::kFloat));
  at::Tensor rc = r.cpu();
  ok = ok && rc.min().item<float>() >= 2.0f && rc.max().item<float>() < 3.0f;
  std::printf("device %s: %s\n", x.device().str().c_str(), ok ? "ok" : "MISMATCH");
  return ok ? 0 : 1;
}
