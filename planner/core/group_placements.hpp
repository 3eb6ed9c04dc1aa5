#pragma once
// Where each parallel group kind of a plan sits on the fabric: the instance costed (the slowest,
// group_instance.hpp) and the tiers it crosses, for reports (plan JSON "placement").
#include <string>
#include <vector>

#include "planner/core/parallel_plan.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

struct PlacedGroup {
  std::string kind;          // "tensor", "context", "expert", "data", "expert_data", "pipeline"
  int size = 1;
  int stride = 1;            // under the plan's rank order (default Megatron-Core's tp-cp-ep-dp-pp)
  // false: the ranks are no one strided set (dp x cp with pp between them in the order); `stride`
  // is that of the strided group with the same size and span, which is how the group is costed.
  bool one_stride = true;
  long long first_rank = 0;  // the instance costed
  int tier = -1;             // highest tier it crosses: -1 NVLink only, 0 leaf, ...
  int rank0_tier = -1;
  std::vector<std::string> tiers_crossed;  // "nvlink", then the fabric's tier names up to `tier`
};

// The groups of more than one rank, with the strides the evaluate() stages cost them at.
std::vector<PlacedGroup> place_groups(const Scenario& scenario, const ParallelPlan& plan);

}  // namespace trainplan
