#include "planner/core/step/layout_rank_loads.hpp"

namespace trainplan {

std::vector<RankLoad> layout_rank_loads(const ModelShape& model, const PipelineLayout& layout, int pp) {
  std::vector<RankLoad> ranks(pp > 0 ? pp : 1);
  for (int i = 0; i < layout.stage_count(); ++i) {
    const VirtualStage& s = layout.stages[i];
    RankLoad& r = ranks[i % ranks.size()];
    r.layers += s.layers;
    r.dense += model.is_moe() ? model.dense_layers_in(s.first_layer, s.layers) : 0;
    r.mtp += s.mtp;
    r.embedding = r.embedding || s.embedding;
    r.loss = r.loss || s.loss;
  }
  return ranks;
}

}  // namespace trainplan
