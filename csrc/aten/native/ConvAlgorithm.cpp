// Measured convolution algorithm choice (see ConvAlgorithm.h).
#include "aten/native/ConvAlgorithm.h"

#include <ATen/Context.h>
#include <c10/util/Exception.h>

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <limits>
#include <mutex>
#include <sstream>
#include <unordered_map>

#include "runtime/device.h"
#include "runtime/program_cache.h"
#include "runtime/stream.h"

namespace at::native::ocl {
namespace {

namespace rt = torch_ocl::runtime;

constexpr const char* kFile = "conv_algorithms";
constexpr int kTimedRuns = 2;

struct Choices {
  std::mutex mutex;
  std::unordered_map<std::string, size_t> chosen;  // full key -> algorithm
  bool loaded = false;
};

Choices& choices() {
  static Choices c;
  return c;
}

std::string file_path() {
  const std::string dir = rt::kernel_cache_dir();
  return dir.empty() ? std::string() : dir + "/" + kFile;
}

// Lines "<algorithm index> <key>" of earlier processes (keys hold no newline).
void load(Choices& c) {
  c.loaded = true;
  const std::string path = file_path();
  if (path.empty()) return;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    size_t index;
    if (!(fields >> index) || fields.get() != ' ') continue;  // a torn or foreign line: skipped
    std::string key;
    std::getline(fields, key);
    if (!key.empty()) c.chosen[key] = index;
  }
}

// One line appended (a single write on an O_APPEND descriptor: processes do not interleave).
void save(const std::string& key, size_t index) {
  const std::string path = file_path();
  if (path.empty()) return;
  if (!rt::make_directories(rt::kernel_cache_dir())) return;
  const std::string line = std::to_string(index) + " " + key + "\n";
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return;  // an unwritable cache only costs a measurement in the next process
  ssize_t written = ::write(fd, line.data(), line.size());
  (void)written;
  ::close(fd);
}

// Milliseconds of one run of `algorithm` on the current stream (false: it did not run).
bool time_run(int device, const ConvAlgorithm& algorithm, double* ms) {
  const auto stream = rt::current_stream(device);
  cl_event start = rt::record_marker(device, stream);
  bool ran = false;
  try {
    ran = algorithm();
  } catch (...) {
    clReleaseEvent(start);
    throw;
  }
  cl_event end = rt::record_marker(device, stream);
  rt::event_synchronize(end);
  *ms = rt::event_elapsed_ms(start, end);
  clReleaseEvent(start);
  clReleaseEvent(end);
  return ran;
}

// The fastest of the algorithms that run, each run once untimed (kernel builds) and then timed.
size_t measure(int device, const std::vector<ConvAlgorithm>& algorithms) {
  size_t best = algorithms.size() - 1;
  double best_ms = std::numeric_limits<double>::infinity();
  for (size_t i = 0; i < algorithms.size(); ++i) {
    double ms = 0;
    if (!time_run(device, algorithms[i], &ms)) continue;
    double total = 0;
    for (int r = 0; r < kTimedRuns; ++r) {
      time_run(device, algorithms[i], &ms);
      total += ms;
    }
    if (total < best_ms) best_ms = total, best = i;
  }
  return best;
}

}  // namespace

size_t run_conv_algorithm(int device, const std::string& key, const std::vector<ConvAlgorithm>& algorithms) {
  TORCH_INTERNAL_ASSERT(!algorithms.empty(), "[ocl::conv] no algorithm");
  if (algorithms.size() > 1 && at::globalContext().benchmarkCuDNN()) {
    const auto& info = rt::device_info(device);
    const std::string full = info.name + "|" + info.driver_version + "|" + key;
    Choices& c = choices();
    size_t index = algorithms.size();
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      if (!c.loaded) load(c);
      auto it = c.chosen.find(full);
      if (it != c.chosen.end() && it->second < algorithms.size()) index = it->second;
    }
    if (index == algorithms.size()) {
      // Measured: the output holds the last run's result, whichever algorithm it was.
      index = measure(device, algorithms);
      {
        std::lock_guard<std::mutex> lock(c.mutex);
        c.chosen[full] = index;
      }
      save(full, index);
      return index;
    }
    if (algorithms[index]()) return index;
  }
  for (size_t i = 0; i < algorithms.size(); ++i)
    if (algorithms[i]()) return i;
  TORCH_INTERNAL_ASSERT(false, "[ocl::conv] no algorithm ran for ", key);
}

}  // namespace at::native::ocl
