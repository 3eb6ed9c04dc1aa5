#pragma once
// The optimizer step's time on the busiest pipeline stage, by part: compute and the exposed
// communication of its micro-batches, the pipeline bubble, and the optimizer update.
#include "data_parallel_groups.hpp"
#include "last_stage_work.hpp"
#include "parallel_plan.hpp"
#include "pipeline_stages.hpp"
#include "plan_result.hpp"
#include "scenario.hpp"
#include "stage_layer_costs.hpp"
#include "stage_parameters.hpp"

namespace trainplan {

// Everything but data parallelism and the optimizer (dp_comm_s and optimizer_s stay 0): the busiest
// stage's layers, with the output head and MTP modules when it is the last, `microbatches` times;
// `p2p_s` of pipeline sends per micro-batch; the schedule's bubble.
StepBreakdown busiest_stage_breakdown(const ParallelPlan& plan, const StageLayerCosts& layers, const PipelineStages& stages,
                                      const MtpWork& mtp, double head_s, double p2p_s, int microbatches);

// The Adam update of the largest stage's parameters (sharded over the data-parallel ranks with
// ZeRO >= 1): memory bound.
double optimizer_step_seconds(const Scenario& scenario, const ParallelPlan& plan, const DataParallelGroups& groups,
                              const StageParameters& params);

}  // namespace trainplan
