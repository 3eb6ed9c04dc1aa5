#pragma once
// Pipeline point-to-point traffic of one stage per micro-batch.
#include "planner/core/model/layer_work.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

// Each virtual stage sends its activation forward and receives the gradient back; with sequence
// parallelism (or Megatron's scatter/gather) each TP rank sends 1/tp of `layer`'s activation.
// 0 without pipeline parallelism.
double pipeline_send_seconds(const Scenario& scenario, const ParallelPlan& plan, const LayerWork& layer);

}  // namespace trainplan
