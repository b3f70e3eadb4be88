// PTX occupancy hints (ptx_hints.h): parsing TORCH_OCL_NV_MIN_GROUPS and patching entries.
#include <gtest/gtest.h>

#include <stdexcept>

#include "runtime/ptx_hints.h"

using namespace torch_ocl::runtime;

namespace {
const char* kPtx =
    ".version 8.0\n.target sm_90\n.address_size 64\n\n"
    ".entry small(\n\t.param .u64 small_param_0\n)\n{\n\tret;\n}\n"
    ".entry fixed(\n\t.param .u64 fixed_param_0\n)\n.reqntid 128, 1, 1\n{\n\tret;\n}\n"
    ".entry bounded(\n\t.param .u64 bounded_param_0\n)\n.maxntid 256, 1, 1\n.minnctapersm 1\n{\n\tret;\n}\n";
}  // namespace

TEST(PtxHints, ParsesTheVariable) {
  auto g = parse_min_groups("attn_mma_bwd_dkv=3,gemm_mma=2");
  ASSERT_EQ(g.size(), 2u);
  EXPECT_EQ(g["attn_mma_bwd_dkv"], 3);
  EXPECT_EQ(g["gemm_mma"], 2);
  EXPECT_TRUE(parse_min_groups("").empty());
  EXPECT_EQ(min_groups_key(g), "attn_mma_bwd_dkv=3;gemm_mma=2;");
  for (const char* bad : {"k", "k=", "=3", "k=0", "k=33", "k=3x", "k=3,,j=2"})
    EXPECT_THROW(parse_min_groups(bad), std::invalid_argument) << bad;
}

TEST(PtxHints, AddsTheDirectiveAfterTheThreadCount) {
  const std::string out = ptx_with_min_groups(kPtx, {{"fixed", 3}, {"small", 2}, {"bounded", 4}, {"absent", 2}});
  // fixed: after its .reqntid, inside its own directives
  EXPECT_NE(out.find(".reqntid 128, 1, 1\n.minnctapersm 3\n{"), std::string::npos);
  // small has no thread count (the directive needs one), bounded has its own: both unchanged
  EXPECT_NE(out.find(".entry small(\n\t.param .u64 small_param_0\n)\n{"), std::string::npos);
  EXPECT_NE(out.find(".maxntid 256, 1, 1\n.minnctapersm 1\n{"), std::string::npos);
  EXPECT_EQ(out.size(), std::string(kPtx).size() + std::string(".minnctapersm 3\n").size());
  EXPECT_EQ(ptx_with_min_groups(kPtx, {}), kPtx);
}
