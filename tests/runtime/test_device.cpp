// Runtime: discovery, selection, properties, contexts, current device.
#include <gtest/gtest.h>

#include "runtime/device.h"
#include "runtime/error.h"

namespace rt = torch_ocl::runtime;

TEST(Device, DiscoversAtLeastOneDevice) {
  ASSERT_GT(rt::device_count(), 0) << rt::discovery_error();
  EXPECT_TRUE(rt::discovery_error().empty());
}

TEST(Device, PropertiesAreRead) {
  const auto& d = rt::device_info(0);
  EXPECT_FALSE(d.name.empty());
  EXPECT_FALSE(d.platform_name.empty());
  EXPECT_GT(d.compute_units, 0u);
  EXPECT_GT(d.global_mem, 0u);
  EXPECT_GT(d.max_alloc, 0u);
  EXPECT_LE(d.max_alloc, d.global_mem);
  EXPECT_GT(d.max_work_group_size, 0u);
  EXPECT_EQ(d.fp16, d.has_extension("cl_khr_fp16"));
}

TEST(Device, GpusComeFirst) {
  bool seen_non_gpu = false;
  for (int i = 0; i < rt::device_count(); ++i) {
    if (!rt::device_info(i).is_gpu) seen_non_gpu = true;
    else EXPECT_FALSE(seen_non_gpu) << "GPU after a non-GPU device at index " << i;
  }
}

TEST(Device, SelectedDevicesAreIndexedInOrder) {
  int expected = 0;
  for (auto& d : rt::discovered_devices())
    if (d.selected) EXPECT_EQ(d.index, expected++);
  EXPECT_EQ(expected, rt::device_count());
}

TEST(Device, InvalidIndexThrows) {
  EXPECT_THROW(rt::device_info(rt::device_count()), rt::InvalidArgument);
  EXPECT_THROW(rt::device_info(-1), rt::InvalidArgument);
  EXPECT_THROW(rt::set_device(rt::device_count()), rt::InvalidArgument);
  try {
    rt::check_device_index(99);
    FAIL();
  } catch (const rt::InvalidArgument& e) {
    EXPECT_NE(std::string(e.what()).find("invalid device index 99"), std::string::npos);
  }
}

TEST(Device, ContextIsCreatedOncePerPlatform) {
  cl_context a = rt::context(0);
  EXPECT_NE(a, nullptr);
  EXPECT_EQ(a, rt::context(0));
  for (int i = 1; i < rt::device_count(); ++i)
    if (rt::same_context(0, i)) EXPECT_EQ(rt::context(i), a);
}

TEST(Device, CurrentDeviceIsThreadLocal) {
  rt::set_device(0);
  EXPECT_EQ(rt::current_device(), 0);
  if (rt::device_count() > 1) {
    rt::set_device(1);
    EXPECT_EQ(rt::current_device(), 1);
    rt::set_device(0);
  }
}

TEST(Error, NamesAndMessages) {
  EXPECT_STREQ(rt::error_name(CL_INVALID_KERNEL_ARGS), "CL_INVALID_KERNEL_ARGS");
  EXPECT_STREQ(rt::error_name(CL_OUT_OF_RESOURCES), "CL_OUT_OF_RESOURCES");
  try {
    OCL_CHECK(clReleaseMemObject(nullptr));
    FAIL();
  } catch (const rt::Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("clReleaseMemObject(nullptr)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("CL_INVALID_MEM_OBJECT"), std::string::npos) << msg;
    EXPECT_NE(msg.find("test_device.cpp"), std::string::npos) << msg;
  }
}
