#pragma once
// Cost of one collective of one parallel group, placed on the fabric (docs/network-model.md).
#include "planner/core/calibration.hpp"
#include "planner/core/network/collective.hpp"
#include "planner/core/fabric.hpp"
#include "planner/core/performance_profile.hpp"

namespace trainplan {

// A parallel group in Megatron's rank order (TP innermost, then CP, EP/DP, PP outermost):
// its members are ranks base, base + stride, ..., base + (size-1)*stride. Every group of the
// same kind runs its collective at the same time (all DP groups reduce together, and so on).
struct GroupPlacement {
  int size = 1;
  int stride = 1;
  // Ranks in the job (the instances of this kind fill them): the slowest instance is costed
  // (group_instance.hpp). 0: unknown, the instance at rank 0 is costed.
  long long job_ranks = 0;
};

// How the collective was run (the cheapest of those the fabric allows, as NCCL's tuner picks).
enum class CollectiveAlgorithm {
  none,               // a group of one rank, or nothing to send
  scale_up,           // inside one NVLink domain: ring, or NVLS where the domain reduces in-switch
  ring,               // one flat ring over all ranks, one channel per rail
  hierarchical_ring,  // reduce-scatter in the node, a ring per rail across nodes, all-gather in the node
  hierarchical_tree,  // the same with a tree across nodes (all-reduce only)
  in_network,         // the same with SHARP reducing in the scale-out switches (all-reduce, reduce-scatter, all-gather)
  direct,             // all-to-all and send/recv: every pair exchanges directly
};

struct CollectiveCost {
  double seconds = 0;
  double bandwidth_s = 0;   // size-proportional part
  double latency_s = 0;     // per-step latency part
  int highest_tier = -1;    // -1: stays inside the scale-up domain; 0: leaf; 1: spine; ...
  long long instance_first_rank = 0;  // the instance costed (its lowest rank): the slowest one
  int rank0_tier = -1;      // highest_tier of the instance at rank 0, for comparison
  bool measured = false;    // bandwidth came from a measured busbw curve
  // Slowdown from uplinks that carry more of this traffic than they have capacity for: 1 = none,
  // 7 = a GPU gets a seventh of its NIC rate (every GPU's traffic crosses a 1:7 tier).
  double uplink_sharing = 1;
  CollectiveAlgorithm algorithm = CollectiveAlgorithm::none;
};

// `bytes` follows nccl-tests' "size": the all-reduce buffer (per rank, in = out), the all-gather
// output (the whole gathered buffer), the reduce-scatter input (the whole buffer before
// scattering), the all-to-all buffer per rank (everything it sends, 1/n to each peer), the
// send/recv message. The group's own geometry and the fabric decide the cost. Pure,
// allocation-free: called inside plan searches (through collective_seconds.hpp in a scenario).
CollectiveCost collective_cost(const Fabric& fabric, const PerformanceProfile& profile,
                               const Calibration& calibration, Collective kind, GroupPlacement group, double bytes);

const char* to_string(CollectiveAlgorithm algorithm);

}  // namespace trainplan
