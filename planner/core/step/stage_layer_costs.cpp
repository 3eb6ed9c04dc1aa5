#include "planner/core/step/stage_layer_costs.hpp"

#include "planner/core/model/moe_layer.hpp"

namespace trainplan {

StageLayerCosts stage_layer_costs(const Scenario& sc, const ParallelPlan& plan, LayerWork* main_work) {
  const ModelShape& model = sc.model;
  StageLayerCosts costs;
  auto fill = [&](LayerKindCosts& kind, bool moe) {
    const LayerWork work = moe ? moe_layer_work(model, plan) : dense_layer_work(model, plan);
    kind.recomputed = layer_time(work, sc, plan);
    kind.recomputed_saved_bytes = work.saved_activation_bytes;
    kind.kept = kind.recomputed;
    kind.kept_saved_bytes = work.saved_activation_bytes;
    if (plan.recompute == Recompute::full && plan.recompute_layers > 0) {
      ParallelPlan keep_all = plan;
      keep_all.recompute = Recompute::none;
      const LayerWork kept_work = moe ? moe_layer_work(model, keep_all) : dense_layer_work(model, keep_all);
      kind.kept = layer_time(kept_work, sc, keep_all);
      kind.kept_saved_bytes = kept_work.saved_activation_bytes;
    }
    return work;
  };
  *main_work = fill(costs.main, model.is_moe());
  if (model.is_moe() && model.dense_layers() > 0) fill(costs.dense, false);
  costs.recompute_limit = plan.recompute == Recompute::full && plan.recompute_layers > 0 ? plan.recompute_layers : model.layers;
  return costs;
}

}  // namespace trainplan
