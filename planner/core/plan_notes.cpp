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
  // ZeRO-3 with gradient accumulation (data_parallel_comm.cpp): it gathers each unit's weights for
  // every micro-batch's forward and again for its backward, and reduce-scatters every micro-batch's
  // gradients, so both lines grow with the micro-batches.
  if (result.valid && plan.zero_stage == 3 && result.microbatches > 1 && 1LL * plan.dp * plan.cp > 1) {
    const std::string m = std::to_string(result.microbatches);
    notes.push_back("ZeRO-3 keeps only a shard of the weights and of the gradients, so each of the " + m +
                    " micro-batches gathers every layer's weights for its forward and again for its backward (" +
                    std::to_string(2LL * result.microbatches) + " gathers a step, ZeRO-1 gathers once) and reduce-scatters its "
                    "gradients (" + m + " times ZeRO-1's reduction)");
  }
  return notes;
}

}  // namespace trainplan
