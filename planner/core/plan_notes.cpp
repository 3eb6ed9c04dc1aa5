#include "planner/core/plan_notes.hpp"

namespace trainplan {

std::vector<std::string> plan_costing_notes(const PlanResult& result) {
  std::vector<std::string> notes;
  const ParallelPlan& plan = result.plan;
  // ZeRO-2 with gradient accumulation (data_parallel_comm.cpp): its data-parallel line grows with
  // the micro-batches, which a reader who expects ZeRO-1's once-a-step reduction would not guess.
  if (result.valid && plan.zero_stage == 2 && result.microbatches > 1 && 1LL * plan.dp * plan.cp > 1) {
    const std::string m = std::to_string(result.microbatches);
    notes.push_back("ZeRO-2 keeps only a shard of the gradients, so each of the " + m +
                    " micro-batches reduce-scatters them: " + m +
                    " times ZeRO-1's gradient traffic, which keeps them whole and reduces once a step "
                    "(docs/model.md, \"ZeRO-2 and gradient accumulation\")");
  }
  return notes;
}

}  // namespace trainplan
