#pragma once
// Everything a plan is evaluated against that does not change from plan to plan: the model, the
// GPU and its measured or published profile, the fabric, the job and the calibration. Plain data.
#include "planner/core/calibration.hpp"
#include "planner/core/fabric.hpp"
#include "planner/core/gpu_spec.hpp"
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/performance_profile.hpp"

namespace trainplan {

struct Scenario {
  ModelShape model;
  GpuSpec gpu;
  Fabric fabric;
  TrainingJob job;
  PerformanceProfile profile;
  Calibration calibration;
};

}  // namespace trainplan
