// Which algorithm a convolution pass runs: the first of its candidates that runs (the
// heuristic order), or, under torch.backends.cudnn.benchmark, the fastest one measured on this
// device for the pass and shape, measured once and kept in memory and beside the kernel cache on
// disk (`conv_algorithms` in that directory).
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace at::native::ocl {

// One way to compute a whole pass (every output element written): returns false when it cannot
// run here (e.g. its kernel failed to build), having written nothing.
using ConvAlgorithm = std::function<bool()>;

// Runs `algorithms[i]` for the chosen i (the last one must always run) and returns i. `key`
// names the pass and shape (device and driver are added).
size_t run_conv_algorithm(int device, const std::string& key, const std::vector<ConvAlgorithm>& algorithms);

}  // namespace at::native::ocl
