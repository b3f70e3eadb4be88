// CPU fallback for operators without a native ocl kernel: counted, warned once, switchable.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace torch_ocl {

// Per operator name, how many times it ran on the CPU.
std::map<std::string, int64_t> fallback_counts();
void reset_fallback_counts();
// TORCH_OCL_FALLBACK=0 starts it disabled; disabled, a missing kernel raises NotImplementedError.
bool fallback_enabled();
void set_fallback_enabled(bool enabled);

}  // namespace torch_ocl
