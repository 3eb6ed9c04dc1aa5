#pragma once
// What one micro-batch costs in a stage's layers: the model's main layer kind and, for an MoE model
// with leading dense layers, the dense kind, each recomputed or kept as the plan says.
#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/layer_work.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

// One kind of layer (MoE or dense) as it runs in a stage: with full recomputation of some layers
// (Megatron's --recompute-method block --recompute-num-layers) the recomputed ones re-run their
// forward in backward and the rest keep their activations.
struct LayerKindCosts {
  LayerTime recomputed, kept;
  double recomputed_saved_bytes = 0, kept_saved_bytes = 0;
};

// A stage of n layers, `dense` of them dense layers of an MoE model (its leading
// `first_dense_layers` and those of an interleaved pattern, moe.layer_interval; 0 for a dense
// model, whose layers are all `main`), counted first. Block recomputation
// recomputes the stage's first `recompute_limit` layers, so its dense layers first.
struct StageLayerCosts {
  LayerKindCosts main, dense;
  int recompute_limit = 0;  // layers per stage that recompute (the rest keep everything)

  int recomputed_layers(int layers) const { return layers < recompute_limit ? layers : recompute_limit; }
  // Sum of `part(kind, recomputed?)` over the stage's layers.
  template <typename Part>
  double sum(int layers, int dense_layers, Part part) const {
    const int k = recomputed_layers(layers);
    const int dense_recomputed = dense_layers < k ? dense_layers : k;
    const int main_layers = layers - dense_layers, main_recomputed = k - dense_recomputed;
    double total = main_recomputed * part(main.recomputed, main.recomputed_saved_bytes) +
                   (main_layers - main_recomputed) * part(main.kept, main.kept_saved_bytes);
    if (dense_layers > 0)
      total += dense_recomputed * part(dense.recomputed, dense.recomputed_saved_bytes) +
               (dense_layers - dense_recomputed) * part(dense.kept, dense.kept_saved_bytes);
    return total;
  }
  double total_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.total_s(); });
  }
  double compute_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.compute_s(); });
  }
  // compute_s by kind of work (sums to it, to rounding).
  ComputeParts compute_parts(int layers, int dense_layers) const {
    ComputeParts p;
    p.gemm_s = sum(layers, dense_layers, [](const LayerTime& t, double) { return t.parts.gemm_s; });
    p.attention_s = sum(layers, dense_layers, [](const LayerTime& t, double) { return t.parts.attention_s; });
    p.memory_bound_s = sum(layers, dense_layers, [](const LayerTime& t, double) { return t.parts.memory_bound_s; });
    p.fp8_cast_s = sum(layers, dense_layers, [](const LayerTime& t, double) { return t.parts.fp8_cast_s; });
    return p;
  }
  double tp_comm_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.tp_comm_s; });
  }
  double cp_comm_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.cp_comm_s; });
  }
  double ep_comm_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.ep_comm_s; });
  }
  double saved_bytes(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime&, double bytes) { return bytes; });
  }
};

// Costs of a stage's layers: the model's main layer kind and, for an MoE model with leading dense
// layers, the dense kind (an MLP of width `ffn`). `main_work` receives the main kind's work as the
// plan runs it.
StageLayerCosts stage_layer_costs(const Scenario& scenario, const ParallelPlan& plan, LayerWork* main_work);

}  // namespace trainplan
