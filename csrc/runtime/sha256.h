// SHA-256 of a byte string, as lowercase hex or raw digest (kernel cache keys and checksums).
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace torch_ocl::runtime {

std::array<uint8_t, 32> sha256(const void* data, size_t size);
std::string sha256_hex(const std::string& data);

}  // namespace torch_ocl::runtime
