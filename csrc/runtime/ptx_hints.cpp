// Occupancy hints for NVIDIA's PTX (see ptx_hints.h).
#include "ptx_hints.h"

#include <cstdlib>
#include <stdexcept>

namespace torch_ocl::runtime {

std::map<std::string, int> parse_min_groups(const std::string& spec) {
  std::map<std::string, int> out;
  size_t pos = 0;
  while (pos < spec.size()) {
    size_t end = spec.find(',', pos);
    if (end == std::string::npos) end = spec.size();
    const std::string item = spec.substr(pos, end - pos);
    const size_t eq = item.find('=');
    char* stop = nullptr;
    const long n = eq == std::string::npos ? 0 : std::strtol(item.c_str() + eq + 1, &stop, 10);
    if (eq == 0 || eq == std::string::npos || stop == nullptr || *stop != 0 || stop == item.c_str() + eq + 1 ||
        n < 1 || n > 32)
      throw std::invalid_argument("[ocl::kernel] TORCH_OCL_NV_MIN_GROUPS=\"" + spec + "\": \"" + item +
                                  "\" is not kernel=N with N in 1..32");
    out[item.substr(0, eq)] = static_cast<int>(n);
    pos = end + 1;
  }
  return out;
}

const std::map<std::string, int>& nv_min_groups() {
  static const std::map<std::string, int> groups = [] {
    const char* env = std::getenv("TORCH_OCL_NV_MIN_GROUPS");
    return env ? parse_min_groups(env) : std::map<std::string, int>{};
  }();
  return groups;
}

std::string min_groups_key(const std::map<std::string, int>& groups) {
  std::string k;
  for (const auto& [name, n] : groups) k += name + "=" + std::to_string(n) + ";";
  return k;
}

std::string ptx_with_min_groups(const std::string& ptx, const std::map<std::string, int>& groups) {
  std::string out = ptx;
  for (const auto& [name, n] : groups) {
    const std::string entry = ".entry " + name + "(";
    const size_t at = out.find(entry);
    if (at == std::string::npos) continue;
    const size_t body = out.find('{', at);  // the directives sit between the parameters and the body
    if (body == std::string::npos) continue;
    size_t dir = out.find(".reqntid", at);
    if (dir == std::string::npos || dir > body) dir = out.find(".maxntid", at);
    if (dir == std::string::npos || dir > body) continue;
    const size_t present = out.find(".minnctapersm", at);
    if (present != std::string::npos && present < body) continue;
    const size_t eol = out.find('\n', dir);
    if (eol == std::string::npos || eol > body) continue;
    out.insert(eol + 1, ".minnctapersm " + std::to_string(n) + "\n");
  }
  return out;
}

}  // namespace torch_ocl::runtime
