#pragma once
// The heart of the planner: one plan on one scenario -> step time, memory, MFU, time-to-train.
// Pure: no I/O, no allocation beyond the result's small vectors; safe to call from many threads.
#include "planner/core/parallel_plan.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

PlanResult evaluate(const Scenario& scenario, const ParallelPlan& plan);

}  // namespace trainplan
