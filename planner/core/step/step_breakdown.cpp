#include "planner/core/step/step_breakdown.hpp"

#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/moe_dispatch_overlap.hpp"
#include "planner/core/model/pipeline_schedule.hpp"
#include "planner/core/step/pipeline_send_exposure.hpp"

namespace trainplan {

namespace {
// Adam step traffic per parameter: read the gradient (4), read and write the fp32 master weight
// and both moments (3 x 8), write the bf16 weight (2), plus the gradient-norm read (4).
constexpr double kOptimizerBytesPerParameter = 34.0;
}  // namespace

StepBreakdown busiest_stage_breakdown(const ParallelPlan& plan, const StageLayerCosts& layers, const PipelineStages& stages,
                                      const MtpWork& mtp, double head_s, double p2p_s, int microbatches) {
  const int busiest_layers = stages.busiest_layers, busiest_dense = stages.busiest_dense;
  const bool busiest_has_head = stages.busiest_has_head;
  const double compute_per_mb =
      layers.compute_s(busiest_layers, busiest_dense) + (busiest_has_head ? head_s + mtp.compute_s : 0.0);
  const double m = microbatches;
  StepBreakdown b;
  b.compute_s = m * compute_per_mb;
  ComputeParts parts = layers.compute_parts(busiest_layers, busiest_dense);
  parts.head_s = busiest_has_head ? head_s + mtp.compute_s : 0.0;
  b.compute_parts = parts.scaled(m);
  b.tp_comm_s = m * (layers.tp_comm_s(busiest_layers, busiest_dense) + (busiest_has_head ? mtp.tp_comm_s : 0.0));
  b.cp_comm_s = m * (layers.cp_comm_s(busiest_layers, busiest_dense) + (busiest_has_head ? mtp.cp_comm_s : 0.0));
  b.ep_comm_s = m * (layers.ep_comm_s(busiest_layers, busiest_dense) + (busiest_has_head ? mtp.ep_comm_s : 0.0));
  b.pp_comm_s = exposed_send_microbatches(plan, microbatches) * p2p_s;
  // DualPipe (an expert-overlap schedule, moe_dispatch_overlap.hpp) has its own, smaller bubble.
  const bool dualpipe = plan.ep_overlap && plan.ep_overlap_schedule == EpOverlapSchedule::dualpipe;
  b.pipeline_bubble_s = (dualpipe ? dualpipe_bubble_ratio(plan.pp, microbatches) : pipeline_bubble_ratio(plan.pp, plan.vp, microbatches)) *
                        m * stages.per_microbatch_s;
  return b;
}

double optimizer_step_seconds(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& groups,
                              const StageParameters& params) {
  const double optimizer_params =
      plan.zero_stage >= 1 ? params.largest_common() / groups.ranks + params.largest_experts / groups.expert_ranks : params.largest;
  return memory_bound_seconds(optimizer_params * kOptimizerBytesPerParameter, 4, sc);
}

}  // namespace trainplan
