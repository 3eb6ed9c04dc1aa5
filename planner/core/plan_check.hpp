#pragma once
// Is a plan possible at all? Each problem is one sentence saying what and why.
#include <string>
#include <vector>

#include "planner/core/gpu_spec.hpp"
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

// Resolves dp (when 0) from the GPU count; returns the problems found (empty: possible).
std::vector<std::string> check_plan(const ModelShape& model, const GpuSpec& gpu, int gpus, ParallelPlan& plan);

}  // namespace trainplan
