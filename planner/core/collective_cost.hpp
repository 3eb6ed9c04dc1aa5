#pragma once
// Cost of one collective of one parallel group, placed on the fabric.
#include "calibration.hpp"
#include "collective.hpp"
#include "fabric.hpp"
#include "performance_profile.hpp"

namespace trainplan {

// A parallel group in Megatron's rank order (TP innermost, then CP, EP/DP, PP outermost):
// its members are ranks base, base + stride, ..., base + (size-1)*stride. Every group of the
// same kind runs its collective at the same time (all DP groups reduce together, and so on).
struct GroupPlacement {
  int size = 1;
  int stride = 1;
};

struct CollectiveCost {
  double seconds = 0;
  double bandwidth_s = 0;   // size-proportional part
  double latency_s = 0;     // per-step latency part
  int highest_tier = -1;    // -1: stays inside the scale-up domain; 0: leaf; 1: spine; ...
  bool measured = false;    // bandwidth came from a measured busbw curve
};

// bytes follows nccl-tests' "size": the all-reduce buffer, the all-gather output, the
// reduce-scatter input, the all-to-all buffer per rank, the send/recv message.
CollectiveCost collective_cost(const Fabric& fabric, const PerformanceProfile& profile,
                               const Calibration& calibration, int total_gpus, Collective kind,
                               GroupPlacement group, double bytes);

}  // namespace trainplan
