#pragma once
// The data-parallel groups of a plan: the ranks the non-expert gradients (and ZeRO shards) spread
// over, dp x cp, and those of the routed experts, tp x dp x cp / (expert_tp x ep), at least 1.
// Worked out once per plan and handed to the stages that need them (communication, optimizer, memory).
#include <algorithm>

#include "planner/core/parallel_plan.hpp"

namespace trainplan {

struct DataParallelGroups {
  int ranks = 1;
  int expert_ranks = 1;
};

inline DataParallelGroups data_parallel_groups(const ParallelPlan& plan) {
  return {plan.dp * plan.cp, static_cast<int>(std::max(1LL, plan.expert_data_parallel()))};
}

}  // namespace trainplan
