#pragma once
// Everything a plan is evaluated against that does not change from plan to plan: the model, the
// GPU and its measured or published profile, the fabric, the job and the calibration. Plain data.
#include "calibration.hpp"
#include "fabric.hpp"
#include "gpu_spec.hpp"
#include "model_shape.hpp"
#include "parallel_plan.hpp"
#include "performance_profile.hpp"

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
