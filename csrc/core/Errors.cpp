// Translation of runtime exceptions into c10 error types.
#include "core/Errors.h"

namespace torch_ocl {

void rethrow_as_c10() {
  try {
    throw;
  } catch (const c10::Error&) {
    throw;
  } catch (const runtime::OutOfMemory& e) {
    TORCH_CHECK_WITH(OutOfMemoryError, false, e.what());
  } catch (const std::exception& e) {
    TORCH_CHECK(false, e.what());
  }
  TORCH_CHECK(false, "[ocl] unknown error");
}

}  // namespace torch_ocl
