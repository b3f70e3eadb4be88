// Occupancy hints for NVIDIA's PTX: OpenCL C has no launch bounds, so a kernel's register
// budget follows from its required work-group size alone (a 128-item kernel may take 255
// registers per item and leave room for two work-groups per compute unit). A program built from
// source on NVIDIA comes back as PTX; `.minnctapersm N` added to an entry makes ptxas fit N
// work-groups per unit, and the patched PTX is built again as a binary.
#pragma once

#include <map>
#include <string>

namespace torch_ocl::runtime {

// Kernel name -> minimum work-groups per compute unit, from TORCH_OCL_NV_MIN_GROUPS
// ("kernel=N[,kernel=N...]", N in 1..32; tuning switch, empty when unset). Malformed values throw.
const std::map<std::string, int>& nv_min_groups();
// The same map parsed from a string (the variable's format).
std::map<std::string, int> parse_min_groups(const std::string& spec);
// A stable text of the map (part of the disk-cache key of the programs it changes).
std::string min_groups_key(const std::map<std::string, int>& groups);

// ptx with `.minnctapersm N` after the `.reqntid` / `.maxntid` line of each listed entry that has
// one and no `.minnctapersm` yet; the text unchanged when nothing applies.
std::string ptx_with_min_groups(const std::string& ptx, const std::map<std::string, int>& groups);

}  // namespace torch_ocl::runtime
