#pragma once
// The model's calibration constants with `--set calibration.KEY=VALUE` overrides applied, checked at
// the edge: for planners who have measured their own stack (e.g. fitted sustained_kernel_fraction to
// a run of theirs) and want every plan to use it.
#include <vector>

#include "description_loader.hpp"
#include "planner/core/calibration.hpp"

namespace trainplan {

// default_calibration() with the overrides of scope "calibration" laid over it. Keys:
// kernel_overhead_s, nvlink_efficiency, network_efficiency, overlap_efficiency,
// overlapped_comm_sm_share, sustained_kernel_fraction (fractions in (0, 1]; the SM share in
// [0, 1)), memory_overhead_gib (>= 0). An unknown key or a value out of range is an InputError.
Calibration load_calibration(const std::vector<Override>& overrides);

}  // namespace trainplan
