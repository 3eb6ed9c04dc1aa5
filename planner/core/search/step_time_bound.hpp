#pragma once
// A lower bound on a plan's step time from its layer costs alone, for pruning the search
// (docs/search.md, "Pruning on a step-time bound"). The search has the layer costs at hand (the
// per-layer cache), so the bound costs a few operations where evaluate costs a stage split, the
// data-parallel traffic, the optimizer and the memory model.
//
// Why it is a bound: evaluate's step is the sum of non-negative terms (StepBreakdown::total), of
// which compute + tp + cp + ep + pp comm are m x the busiest stage's seconds per micro-batch (its
// layers, plus the output head and MTP on the last stage, plus its sends). The busiest stage holds
// at least ceil(layers / pp) layers, each costing at least the cheapest layer kind's time (main
// or dense, recomputed or kept). So step >= m x ceil(layers / pp) x cheapest layer.
// A test checks bound <= evaluated step time over whole search spaces.
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/step/stage_layer_costs.hpp"

namespace trainplan {

double step_time_lower_bound(const ModelShape& model, const ParallelPlan& plan, const StageLayerCosts& layers);

}  // namespace trainplan
