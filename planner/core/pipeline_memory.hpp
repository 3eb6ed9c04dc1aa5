#pragma once
// Memory per GPU of the most loaded pipeline stage: the first holds the most micro-batches in
// flight, the last the output head and the multi-token-prediction modules, an MoE model's middle
// stage the most experts. Expert state shards over the expert-data-parallel ranks, the rest over dp x cp.
#include "calibration.hpp"
#include "data_parallel_groups.hpp"
#include "layer_work.hpp"
#include "model_shape.hpp"
#include "parallel_plan.hpp"
#include "pipeline_stages.hpp"
#include "plan_result.hpp"
#include "stage_layer_costs.hpp"
#include "stage_parameters.hpp"

namespace trainplan {

MemoryBreakdown peak_stage_memory(const ModelShape& model, const ParallelPlan& plan, const Calibration& calibration,
                                  const StageLayerCosts& layers, const HeadWork& head, const PipelineStages& stages,
                                  const StageParameters& params, const DataParallelGroups& groups, int microbatches);

}  // namespace trainplan
