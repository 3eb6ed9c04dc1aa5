#include "plan_row.hpp"

#include "number_text.hpp"

namespace trainplan {

std::vector<std::string> plan_row_header() {
  return {"tp", "pp", "dp", "cp", "ep", "vp", "micro_batch", "global_batch", "precision", "recompute", "sequence_parallel",
          "zero", "step_time_s", "time_to_train_days", "mfu", "tokens_per_second", "memory_per_gpu_gib", "compute_s",
          "tp_comm_s", "cp_comm_s", "ep_comm_s", "pp_comm_s", "dp_comm_s", "pipeline_bubble_s", "optimizer_s", "expert_tp"};
}

std::vector<std::string> plan_row(const PlanResult& r) {
  const ParallelPlan& p = r.plan;
  const StepBreakdown& b = r.breakdown;
  return {std::to_string(p.tp), std::to_string(p.pp), std::to_string(p.dp), std::to_string(p.cp), std::to_string(p.ep),
          std::to_string(p.vp), std::to_string(p.micro_batch), std::to_string(p.global_batch), to_string(p.precision),
          to_string(p.recompute), p.sequence_parallel ? "true" : "false", std::to_string(p.zero_stage),
          fixed_decimals(r.step_time_s, 4), fixed_decimals(r.time_to_train_days, 3), fixed_decimals(r.mfu, 4), fixed_decimals(r.tokens_per_second, 0),
          fixed_decimals(r.memory_per_gpu_gib, 2), fixed_decimals(b.compute_s, 4), fixed_decimals(b.tp_comm_s, 4), fixed_decimals(b.cp_comm_s, 4),
          fixed_decimals(b.ep_comm_s, 4), fixed_decimals(b.pp_comm_s, 4), fixed_decimals(b.dp_comm_s, 4), fixed_decimals(b.pipeline_bubble_s, 4),
          fixed_decimals(b.optimizer_s, 4), std::to_string(p.routed_expert_tp())};
}

}  // namespace trainplan
