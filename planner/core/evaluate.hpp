#pragma once
// The heart of the planner: one plan on one scenario -> step time, memory, MFU, time-to-train.
// Pure: no I/O, no allocation beyond the result's small vectors; safe to call from many threads.
#include "calibration.hpp"
#include "fabric.hpp"
#include "gpu_spec.hpp"
#include "model_shape.hpp"
#include "parallel_plan.hpp"
#include "performance_profile.hpp"
#include "plan_result.hpp"

namespace trainplan {

// Everything a plan is evaluated against that does not change from plan to plan.
struct Scenario {
  ModelShape model;
  GpuSpec gpu;
  Fabric fabric;
  TrainingJob job;
  PerformanceProfile profile;
  Calibration calibration;
};

PlanResult evaluate(const Scenario& scenario, const ParallelPlan& plan);

}  // namespace trainplan
