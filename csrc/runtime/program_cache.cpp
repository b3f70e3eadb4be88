// Program cache: memory (per device, shared_mutex) -> disk (sha256-keyed, atomic writes) -> build.
// Builds run outside the lock, so threads build different programs at once; a thread that needs a
// program another thread is building waits for that build.
#include "program_cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <cstdio>
#include <future>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>
#include <vector>

#include "device.h"
#include "error.h"
#include "ptx_hints.h"
#include "sha256.h"

namespace torch_ocl::runtime {

// Provided by the generated kernels_embedded.cpp.
extern const char* const kEmbeddedKernelNames[];
extern const char* const kEmbeddedKernelSources[];
extern const int kEmbeddedKernelCount;

namespace {

constexpr char kMagic[8] = {'T', 'O', 'C', 'L', 'P', 'R', 'G', '1'};
constexpr int kFormatVersion = 1;

struct Stats {
  std::atomic<uint64_t> builds{0}, disk_loads{0}, disk_writes{0}, disk_rejects{0}, memory_hits{0};
};
Stats& stats() {
  static auto* s = new Stats();
  return *s;
}

struct Cache {
  std::shared_mutex mutex;
  std::unordered_map<std::string, cl_program> programs;  // key: device|program|options
  std::unordered_map<std::string, std::shared_future<cl_program>> building;  // builds in flight
  std::atomic<uint64_t> generation{0};                   // bumped when the memory cache is cleared
};
Cache& cache() {
  static auto* c = new Cache();
  return *c;
}

// Whole file as bytes; false when it cannot be read.
bool read_file(const std::string& path, std::string* out) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  out->clear();
  char buf[1 << 16];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->append(buf, n);
  bool ok = !std::ferror(f);
  std::fclose(f);
  return ok;
}

std::string build_log(cl_program prog, cl_device_id dev) {
  size_t n = 0;
  clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, 0, nullptr, &n);
  std::string log(n, '\0');
  if (n) clGetProgramBuildInfo(prog, dev, CL_PROGRAM_BUILD_LOG, n, log.data(), nullptr);
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}

std::vector<unsigned char> program_binary(cl_program prog) {
  size_t size = 0;
  OCL_CHECK(clGetProgramInfo(prog, CL_PROGRAM_BINARY_SIZES, sizeof(size), &size, nullptr));
  std::vector<unsigned char> bin(size);
  unsigned char* ptr = bin.data();
  if (size) OCL_CHECK(clGetProgramInfo(prog, CL_PROGRAM_BINARIES, sizeof(ptr), &ptr, nullptr));
  return bin;
}

// Layout: magic (8) | payload size (8, little-endian) | sha256 of payload (32) | payload.
bool read_cache_file(const std::string& path, std::vector<unsigned char>* payload) {
  std::string data;
  if (!read_file(path, &data) || data.size() < 48 || std::memcmp(data.data(), kMagic, 8) != 0) return false;
  uint64_t size = 0;
  std::memcpy(&size, data.data() + 8, 8);
  if (size != data.size() - 48) return false;
  std::array<uint8_t, 32> digest{};
  std::memcpy(digest.data(), data.data() + 16, 32);
  payload->assign(data.begin() + 48, data.end());
  return sha256(payload->data(), payload->size()) == digest;
}

void write_cache_file(const std::string& dir, const std::string& path, const std::vector<unsigned char>& bin) {
  if (bin.empty() || !make_directories(dir)) return;
  std::string tmp = path + ".tmp." + std::to_string(getpid()) + "." +
                    std::to_string(reinterpret_cast<uintptr_t>(&bin));
  {
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return;
    uint64_t size = bin.size();
    auto digest = sha256(bin.data(), bin.size());
    bool ok = std::fwrite(kMagic, 1, 8, f) == 8 && std::fwrite(&size, 1, 8, f) == 8 &&
              std::fwrite(digest.data(), 1, 32, f) == 32 && std::fwrite(bin.data(), 1, bin.size(), f) == bin.size();
    ok = (std::fclose(f) == 0) && ok;
    if (!ok) {
      std::remove(tmp.c_str());
      return;
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) == 0)
    stats().disk_writes++;
  else
    std::remove(tmp.c_str());
}

// TORCH_OCL_VERBOSE=1 shows the compiler's warnings (build logs); otherwise kernels build with
// -w, so no compiler prints diagnostics on the process's stderr during normal use.
bool verbose() {
  static const bool v = [] {
    const char* e = std::getenv("TORCH_OCL_VERBOSE");
    return e && *e && std::strcmp(e, "0") != 0;
  }();
  return v;
}

// A successful build's log without blank lines and without the notice NVIDIA's compiler gives
// for every kernel ("Function k is a kernel, so overriding noinline attribute"): what is left
// says something about our source.
std::string warnings_of(const std::string& log) {
  std::string out;
  size_t pos = 0;
  while (pos < log.size()) {
    size_t end = log.find('\n', pos);
    if (end == std::string::npos) end = log.size();
    std::string line = log.substr(pos, end - pos);
    pos = end + 1;
    if (line.find_first_not_of(" \r\t") == std::string::npos ||
        line.find("is a kernel, so overriding noinline attribute") != std::string::npos)
      continue;
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

// What clBuildProgram gets for source: the program's options, plus -w unless verbose (a
// build-only flag: not part of the cache keys, as warnings change no code).
std::string build_options(const std::string& options) {
  if (verbose()) return options;
  return options.empty() ? "-w" : options + " -w";
}

cl_program try_binary(int device, const std::vector<unsigned char>& bin, const std::string& options) {
  const DeviceInfo& info = device_info(device);
  const unsigned char* ptr = bin.data();
  size_t size = bin.size();
  cl_int status = CL_SUCCESS, err = CL_SUCCESS;
  cl_program prog = clCreateProgramWithBinary(context(device), 1, &info.id, &size, &ptr, &status, &err);
  if (err != CL_SUCCESS || status != CL_SUCCESS) {
    if (prog) clReleaseProgram(prog);
    return nullptr;
  }
  // The program's own options, without -w: a binary is not compiled again (and NVIDIA's driver
  // ran cached binaries built with -w measurably slower).
  if (clBuildProgram(prog, 1, &info.id, options.c_str(), nullptr, nullptr) != CL_SUCCESS) {
    clReleaseProgram(prog);
    return nullptr;
  }
  return prog;
}

// prog (built from source on NVIDIA: its binary is PTX) rebuilt from its PTX with the occupancy
// hints of TORCH_OCL_NV_MIN_GROUPS; prog itself when none applies or the rebuild fails.
cl_program with_min_groups(int device, const std::string& name, cl_program prog, const std::string& options) {
  const std::vector<unsigned char> bin = program_binary(prog);
  const std::string ptx(bin.begin(), bin.end());
  const std::string patched = ptx_with_min_groups(ptx, nv_min_groups());
  if (patched == ptx) return prog;
  if (cl_program p = try_binary(device, std::vector<unsigned char>(patched.begin(), patched.end()), options)) {
    clReleaseProgram(prog);
    return p;
  }
  std::fprintf(stderr, "[ocl::kernel] '%s': the PTX with TORCH_OCL_NV_MIN_GROUPS did not build; kept as compiled\n",
               name.c_str());
  return prog;
}

cl_program build_program(int device, const std::string& name, const std::string& source, const std::string& options) {
  const DeviceInfo& info = device_info(device);
  std::string dir = kernel_cache_dir();
  std::string path;
  const std::map<std::string, int>& hints = nv_min_groups();
  if (!dir.empty()) {
    path = dir + "/" + program_cache_key(device, source, options + min_groups_key(hints)) + ".bin";
    std::vector<unsigned char> bin;
    if (access(path.c_str(), F_OK) == 0) {
      if (read_cache_file(path, &bin)) {
        if (cl_program prog = try_binary(device, bin, options)) {
          stats().disk_loads++;
          return prog;
        }
      }
      stats().disk_rejects++;  // corrupt, truncated or stale: rebuild and overwrite
    }
  }
  const char* src = source.c_str();
  size_t len = source.size();
  cl_int err = CL_SUCCESS;
  cl_program prog = clCreateProgramWithSource(context(device), 1, &src, &len, &err);
  OCL_CHECK(err);
  err = clBuildProgram(prog, 1, &info.id, build_options(options).c_str(), nullptr, nullptr);
  if (err != CL_SUCCESS) {
    std::string log = build_log(prog, info.id);
    clReleaseProgram(prog);
    throw BuildError(err, "[ocl::kernel] building '" + name + "' for " + info.name + " failed (" +
                              error_name(err) + ") with options '" + options + "'. Build log:\n" + log);
  }
  stats().builds++;
  if (!hints.empty() && info.vendor.find("NVIDIA") != std::string::npos)
    prog = with_min_groups(device, name, prog, options);
  if (verbose()) {
    std::string log = warnings_of(build_log(prog, info.id));
    if (!log.empty())
      std::fprintf(stderr, "[ocl::kernel] build log of '%s' for %s (options '%s'):\n%s\n", name.c_str(),
                   info.name.c_str(), options.c_str(), log.c_str());
  }
  if (!path.empty()) {
    try {
      write_cache_file(dir, path, program_binary(prog));
    } catch (const std::exception&) {
      // the disk cache is an optimisation: a failure to store leaves the built program usable
    }
  }
  return prog;
}

// The program under `key`: from the memory cache, from another thread's build in flight (its
// error is rethrown here too), or built by this thread with the lock released.
cl_program find_or_build(Cache& c, const std::string& key, const std::function<cl_program()>& build) {
  std::promise<cl_program> promise;
  std::shared_future<cl_program> pending;
  {
    std::unique_lock<std::shared_mutex> lock(c.mutex);
    if (auto it = c.programs.find(key); it != c.programs.end()) return it->second;
    if (auto it = c.building.find(key); it != c.building.end())
      pending = it->second;
    else
      c.building.emplace(key, promise.get_future().share());
  }
  if (pending.valid()) return pending.get();
  cl_program prog = nullptr;
  try {
    prog = build();
  } catch (...) {
    std::unique_lock<std::shared_mutex> lock(c.mutex);
    c.building.erase(key);
    promise.set_exception(std::current_exception());
    throw;
  }
  std::unique_lock<std::shared_mutex> lock(c.mutex);
  c.programs[key] = prog;
  c.building.erase(key);
  promise.set_value(prog);
  return prog;
}

}  // namespace

bool make_directories(const std::string& path) {
  for (size_t pos = 1; pos <= path.size(); ++pos) {
    if (pos < path.size() && path[pos] != '/') continue;
    std::string prefix = path.substr(0, pos);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) return false;
  }
  return true;
}

std::string kernel_cache_dir() {
  const char* env = std::getenv("TORCH_OCL_KERNEL_CACHE");
  if (env) {
    std::string v = env;
    if (v.empty() || v == "0" || v == "off" || v == "none" || v == "OFF") return {};
    return v;
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/torch_ocl/kernels";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/torch_ocl/kernels";
  return {};
}

std::string program_cache_key(int device, const std::string& source, const std::string& options) {
  const DeviceInfo& info = device_info(device);
  std::string k = std::to_string(kFormatVersion);
  for (const std::string* s : {&source, &options, &info.name, &info.driver_version, &info.platform_version,
                               &info.version})
    k += '\0' + *s;
  return sha256_hex(k);
}

cl_kernel get_kernel(int device, const std::string& program, const std::string& kernel,
                     const std::function<std::string()>& make_source, const std::string& options,
                     cl_uint* num_args) {
  Cache& c = cache();
  std::string key = std::to_string(device) + '|' + program + '|' + options;
  // Per-thread kernel objects, dropped when the memory cache is cleared.
  struct Entry {
    cl_kernel kernel;
    cl_uint num_args;
  };
  thread_local std::unordered_map<std::string, Entry> tl_kernels;
  thread_local uint64_t tl_generation = 0;
  uint64_t gen = c.generation.load(std::memory_order_acquire);
  if (tl_generation != gen) {
    for (auto& kv : tl_kernels) clReleaseKernel(kv.second.kernel);
    tl_kernels.clear();
    tl_generation = gen;
  }
  std::string kkey = key + '|' + kernel;
  auto kit = tl_kernels.find(kkey);
  if (kit != tl_kernels.end()) {
    stats().memory_hits++;
    if (num_args) *num_args = kit->second.num_args;
    return kit->second.kernel;
  }
  cl_program prog = nullptr;
  {
    std::shared_lock<std::shared_mutex> lock(c.mutex);
    auto it = c.programs.find(key);
    if (it != c.programs.end()) prog = it->second;
  }
  if (prog)
    stats().memory_hits++;
  else
    prog = find_or_build(c, key, [&] { return build_program(device, program, make_source(), options); });
  cl_int err = CL_SUCCESS;
  cl_kernel k = clCreateKernel(prog, kernel.c_str(), &err);
  if (err != CL_SUCCESS)
    throw Error(err, "[ocl::kernel] program '" + program + "' has no kernel '" + kernel + "' (" + error_name(err) + ")");
  cl_uint n = kNumArgsUnknown;
  if (clGetKernelInfo(k, CL_KERNEL_NUM_ARGS, sizeof(n), &n, nullptr) != CL_SUCCESS) n = kNumArgsUnknown;
  tl_kernels[kkey] = {k, n};
  if (num_args) *num_args = n;
  return k;
}

ProgramCacheStats program_cache_stats() {
  Stats& s = stats();
  return {s.builds.load(), s.disk_loads.load(), s.disk_writes.load(), s.disk_rejects.load(), s.memory_hits.load()};
}

void reset_program_cache_stats() {
  Stats& s = stats();
  s.builds = s.disk_loads = s.disk_writes = s.disk_rejects = s.memory_hits = 0;
}

void clear_memory_program_cache() {
  Cache& c = cache();
  std::unique_lock<std::shared_mutex> lock(c.mutex);
  // Programs are kept alive (kernels made from them on other threads may still be in flight).
  c.programs.clear();
  c.generation.fetch_add(1, std::memory_order_acq_rel);
}

std::string kernel_source(const std::string& file) {
  if (const char* dir = std::getenv("TORCH_OCL_KERNEL_DIR"); dir && *dir) {
    std::string text;
    if (read_file(std::string(dir) + "/" + file, &text)) return "#line 1 \"" + file + "\"\n" + text;
  }
  for (int i = 0; i < kEmbeddedKernelCount; ++i)
    if (file == kEmbeddedKernelNames[i]) return kEmbeddedKernelSources[i];
  throw InvalidArgument("[ocl::kernel] no kernel source named '" + file + "'");
}

}  // namespace torch_ocl::runtime
