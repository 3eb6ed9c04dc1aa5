#pragma once
// Memory per GPU of the most loaded pipeline stage: the first holds the most micro-batches in
// flight, the last the output head and the multi-token-prediction modules, an MoE model's middle
// stage the most experts. Expert state shards over the expert-data-parallel ranks, the rest over dp x cp.
#include "planner/core/calibration.hpp"
#include "planner/core/step/data_parallel_groups.hpp"
#include "planner/core/model/layer_work.hpp"
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/step/pipeline_stages.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/step/stage_layer_costs.hpp"
#include "planner/core/step/stage_parameters.hpp"

namespace trainplan {

MemoryBreakdown peak_stage_memory(const ModelShape& model, const ParallelPlan& plan, const Calibration& calibration,
                                  const StageLayerCosts& layers, const HeadWork& head, const PipelineStages& stages,
                                  const StageParameters& params, const DataParallelGroups& groups, int microbatches);

}  // namespace trainplan
