#pragma once
// The optimizer step's time on the busiest pipeline stage, by part: compute and the exposed
// communication of its micro-batches, the pipeline bubble, and the optimizer update.
#include "planner/core/step/data_parallel_groups.hpp"
#include "planner/core/step/last_stage_work.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/step/pipeline_stages.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/scenario.hpp"
#include "planner/core/step/stage_layer_costs.hpp"
#include "planner/core/step/stage_parameters.hpp"

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
