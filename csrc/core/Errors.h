// Converts runtime exceptions into the c10 errors Python maps to the right exception types.
#pragma once

#include <c10/util/Exception.h>

#include <exception>
#include <utility>

#include "runtime/error.h"

namespace torch_ocl {

// Rethrows the exception in flight: OutOfMemory -> torch.OutOfMemoryError,
// other runtime errors (bad device index included, as CUDA does) -> RuntimeError; c10 errors pass through.
[[noreturn]] void rethrow_as_c10();

// Runs f, translating runtime exceptions (see rethrow_as_c10).
template <typename F>
decltype(auto) translate_errors(F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const c10::Error&) {
    throw;
  } catch (...) {
    rethrow_as_c10();
  }
}

}  // namespace torch_ocl
