// Error checking for every OpenCL call: throws with the call text, place and error name.
#pragma once

#include <stdexcept>
#include <string>

#include "cl.h"

namespace torch_ocl::runtime {

// An OpenCL call failed; code() is the cl_int error.
class Error : public std::runtime_error {
 public:
  Error(cl_int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  cl_int code() const { return code_; }

 private:
  cl_int code_;
};

// The device has no room for a request (after the cache was freed and the request retried).
class OutOfMemory : public Error {
 public:
  using Error::Error;
};

// A program failed to build; the message carries the kernel name, options and the log.
class BuildError : public Error {
 public:
  using Error::Error;
};

// A request the runtime refuses (bad device index, bad argument): not an OpenCL failure.
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

const char* error_name(cl_int code);
[[noreturn]] void throw_cl_error(cl_int code, const char* call, const char* file, int line);
void log_cl_error(cl_int code, const char* call, const char* file, int line) noexcept;

}  // namespace torch_ocl::runtime

#define OCL_CHECK(call)                                                              \
  do {                                                                               \
    cl_int ocl_check_err_ = (call);                                                  \
    if (ocl_check_err_ != CL_SUCCESS)                                                \
      ::torch_ocl::runtime::throw_cl_error(ocl_check_err_, #call, __FILE__, __LINE__); \
  } while (0)

// For destructors and cleanup paths: logs instead of throwing.
#define OCL_CHECK_NOTHROW(call)                                                    \
  do {                                                                             \
    cl_int ocl_check_err_ = (call);                                                \
    if (ocl_check_err_ != CL_SUCCESS)                                              \
      ::torch_ocl::runtime::log_cl_error(ocl_check_err_, #call, __FILE__, __LINE__); \
  } while (0)
