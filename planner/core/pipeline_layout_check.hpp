#pragma once
// Does a plan's pipeline_layout fit the plan and the model? Megatron-Core's own rules
// (PipelineParallelLayerLayout.validate_layer_layout) that need them, and the combinations trainplan
// does not model. Each problem is one sentence naming pipeline_layout.
#include <string>
#include <vector>

#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

// Empty when the plan gives no layout or its layout fits.
std::vector<std::string> pipeline_layout_problems(const ModelShape& model, const ParallelPlan& plan);

}  // namespace trainplan
