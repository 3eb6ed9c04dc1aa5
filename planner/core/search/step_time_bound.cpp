#include "planner/core/search/step_time_bound.hpp"

#include <algorithm>

namespace trainplan {

double step_time_lower_bound(const ModelShape& model, const ParallelPlan& plan, const StageLayerCosts& layers) {
  const long long per_micro_batch = 1LL * std::max(1, plan.dp) * std::max(1, plan.micro_batch);
  const double microbatches = static_cast<double>(plan.global_batch / per_micro_batch);
  const int stages = std::max(1, plan.pp);
  const int busiest_layers = (model.layers + stages - 1) / stages;
  double cheapest = std::min(layers.main.recomputed.total_s(), layers.main.kept.total_s());
  if (model.is_moe() && model.dense_layers() > 0)
    cheapest = std::min({cheapest, layers.dense.recomputed.total_s(), layers.dense.kept.total_s()});
  return std::max(0.0, microbatches * busiest_layers * cheapest);
}

}  // namespace trainplan
