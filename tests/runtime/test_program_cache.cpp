// Runtime: program cache (memory and disk levels), build failures, embedded sources, sha256.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "runtime/device.h"
#include "runtime/error.h"
#include "runtime/program_cache.h"
#include "runtime/sha256.h"

namespace rt = torch_ocl::runtime;
namespace fs = std::filesystem;

namespace {
const char* kSource = "__kernel void twice(__global int* x) { x[get_global_id(0)] *= 2; }\n";

struct CacheDir {
  fs::path path;
  CacheDir() {
    path = fs::temp_directory_path() / ("ocl_cache_test_" + std::to_string(::getpid()));
    fs::remove_all(path);
    setenv("TORCH_OCL_KERNEL_CACHE", path.c_str(), 1);
  }
  ~CacheDir() {
    fs::remove_all(path);
    unsetenv("TORCH_OCL_KERNEL_CACHE");
  }
};
}  // namespace

TEST(Sha256, KnownVectors) {
  EXPECT_EQ(rt::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(rt::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(rt::sha256_hex(std::string(1000, 'a')).size(), 64u);
}

TEST(ProgramCache, MemoryThenDiskThenBuild) {
  CacheDir dir;
  rt::clear_memory_program_cache();
  rt::reset_program_cache_stats();
  cl_kernel k = rt::get_kernel(0, "test_twice", "twice", [] { return std::string(kSource); });
  EXPECT_NE(k, nullptr);
  EXPECT_EQ(rt::program_cache_stats().builds, 1u);
  EXPECT_EQ(rt::program_cache_stats().disk_writes, 1u);
  EXPECT_EQ(rt::get_kernel(0, "test_twice", "twice", [] { return std::string(kSource); }), k);
  EXPECT_EQ(rt::program_cache_stats().builds, 1u);
  EXPECT_GE(rt::program_cache_stats().memory_hits, 1u);
  // A fresh memory cache loads the binary from disk instead of compiling.
  rt::clear_memory_program_cache();
  rt::get_kernel(0, "test_twice", "twice", [] { return std::string(kSource); });
  EXPECT_EQ(rt::program_cache_stats().builds, 1u);
  EXPECT_EQ(rt::program_cache_stats().disk_loads, 1u);
  std::string file = rt::program_cache_key(0, kSource, "") + ".bin";
  EXPECT_TRUE(fs::exists(dir.path / file));
}

TEST(ProgramCache, CorruptFilesAreRebuilt) {
  CacheDir dir;
  rt::clear_memory_program_cache();
  rt::reset_program_cache_stats();
  rt::get_kernel(0, "test_twice", "twice", [] { return std::string(kSource); });
  fs::path file = dir.path / (rt::program_cache_key(0, kSource, "") + ".bin");
  ASSERT_TRUE(fs::exists(file));
  for (int mode = 0; mode < 3; ++mode) {
    if (mode == 0) fs::resize_file(file, 20);  // truncated
    if (mode == 1) {                         // flipped payload byte: checksum mismatch
      std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
      f.seekp(60);
      f.put('\x7f');
    }
    if (mode == 2) std::ofstream(file, std::ios::trunc) << "garbage";
    rt::clear_memory_program_cache();
    EXPECT_NO_THROW(rt::get_kernel(0, "test_twice", "twice", [] { return std::string(kSource); }));
  }
  EXPECT_EQ(rt::program_cache_stats().disk_rejects, 3u);
  EXPECT_EQ(rt::program_cache_stats().builds, 4u);
}

TEST(ProgramCache, DisabledByEnvironment) {
  setenv("TORCH_OCL_KERNEL_CACHE", "0", 1);
  EXPECT_EQ(rt::kernel_cache_dir(), "");
  rt::clear_memory_program_cache();
  rt::reset_program_cache_stats();
  rt::get_kernel(0, "test_twice", "twice", [] { return std::string(kSource); });
  EXPECT_EQ(rt::program_cache_stats().builds, 1u);
  EXPECT_EQ(rt::program_cache_stats().disk_writes, 0u);
  unsetenv("TORCH_OCL_KERNEL_CACHE");
}

TEST(ProgramCache, KeyDependsOnSourceAndOptions) {
  EXPECT_NE(rt::program_cache_key(0, kSource, ""), rt::program_cache_key(0, kSource, "-DX=1"));
  EXPECT_NE(rt::program_cache_key(0, kSource, ""), rt::program_cache_key(0, std::string(kSource) + " ", ""));
  EXPECT_EQ(rt::program_cache_key(0, kSource, ""), rt::program_cache_key(0, kSource, ""));
}

TEST(ProgramCache, BuildFailureCarriesNameOptionsAndLog) {
  setenv("TORCH_OCL_KERNEL_CACHE", "0", 1);
  try {
    rt::get_kernel(0, "test_broken", "broken",
                   [] { return std::string("__kernel void broken(__global int* x) { x[0] = undeclared_name; }"); },
                   "-DMARKER=1");
    FAIL() << "expected BuildError";
  } catch (const rt::BuildError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("test_broken"), std::string::npos) << msg;
    EXPECT_NE(msg.find("-DMARKER=1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("undeclared_name"), std::string::npos) << msg;
  }
  unsetenv("TORCH_OCL_KERNEL_CACHE");
}

TEST(ProgramCache, ThreadsBuildEachProgramOnce) {
  // Eight threads ask for two programs at once: each is built once (the others wait for that
  // build and get its kernel's program), and a failing build's error reaches every waiter.
  setenv("TORCH_OCL_KERNEL_CACHE", "0", 1);
  rt::clear_memory_program_cache();
  rt::reset_program_cache_stats();
  std::atomic<int> ok{0}, failed{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([i, &ok, &failed] {
      try {
        std::string name = "test_threads_" + std::to_string(i % 2);
        rt::get_kernel(0, name, "twice", [] { return std::string(kSource); }, i % 2 ? "-DODD=1" : "");
        ok++;
      } catch (const std::exception&) {
        failed++;
      }
      try {
        rt::get_kernel(0, "test_threads_broken", "broken",
                       [] { return std::string("__kernel void broken(__global int* x) { x[0] = nope; }"); });
      } catch (const rt::BuildError&) {
        failed++;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(failed.load(), 8);  // every thread saw the broken program's error
  EXPECT_EQ(rt::program_cache_stats().builds, 2u);
  unsetenv("TORCH_OCL_KERNEL_CACHE");
}

TEST(KernelSources, EmbeddedWithLineMarkers) {
  std::string s = rt::kernel_source("common.cl");
  EXPECT_EQ(s.rfind("#line 1 \"csrc/kernels/common.cl\"", 0), 0u);
  EXPECT_NE(s.find("bf16_to_float"), std::string::npos);
  EXPECT_THROW(rt::kernel_source("no_such_file.cl"), rt::InvalidArgument);
}
