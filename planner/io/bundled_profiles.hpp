#pragma once
// The published performance profiles bundled with the planner (probes/data/*-published.yaml) and
// which GPU each applies to. A profile names its GPUs itself (`matches`), and one profile lends its
// efficiencies to GPUs without their own (`lends_efficiencies`): adding a GPU and its profile is data.
#include <string>

#include "planner/core/performance_profile.hpp"

namespace trainplan {

// The default profile for a GPU name (a preset name, a spec name such as "H100-SXM5-80GB", or
// CUDA's device name such as "NVIDIA H100 80GB HBM3"):
//  - the bundled profile whose `matches` the name meets: every number published (nothing measured);
//  - any other GPU: no busbw curves (the planner falls back to nominal link speeds times its
//    calibrated efficiencies), and the GEMM efficiency curves and HBM fraction of the profile that
//    `lends_efficiencies`, applied as fractions of this GPU's own peaks, recorded in `sources` as an
//    assumption.
PerformanceProfile bundled_profile_for(const std::string& gpu_name);

// True when the bundled profile `profile_path` (e.g. "probes/data/h100-sxm-published.yaml")
// matches `gpu_name`.
bool bundled_profile_matches(const std::string& profile_path, const std::string& gpu_name);

// The H100 SXM and A100 SXM names (the matches of their bundled profiles): the H100 SXM but not
// H100 PCIe or H100 NVL; the A100 SXM but not A100 PCIe.
bool is_h100_sxm_name(const std::string& gpu_name);
bool is_a100_sxm_name(const std::string& gpu_name);

}  // namespace trainplan
