#include "planner/core/step/pipeline_stages.hpp"

#include <algorithm>
#include <limits>

#include "planner/core/step/layout_rank_loads.hpp"

namespace trainplan {

StageLayers split_layers(int layers, int stages) {
  StageLayers s;
  const int most = (layers + stages - 1) / stages;
  const int missing = most * stages - layers;
  s.middle = most;
  s.last = most - (missing >= 1 && stages > 1 ? 1 : 0);
  s.first = stages == 1 ? s.last : most - (missing >= 2 ? 1 : 0);
  return s;
}

int dense_layers_in_stage(const ModelShape& model, int before, int layers) {
  return model.is_moe() ? model.dense_layers_in(before, layers) : 0;
}

// The middle stages share what the first and last leave, the busiest holding the rounded-up share.
// Among equally busy splits the one nearest the even split wins, taking layers from the last stage
// first, then from the first (Llama 3: one fewer layer on each, section 3.3.2).
StageLayers balanced_split(const ModelShape& model, int stages, const StageLayerCosts& layers, double last_extra_s) {
  const StageLayers even = split_layers(model.layers, stages);
  const int middles = stages - 2;
  auto busiest_s = [&](int first, int last, int* middle_out) {
    const int rest = model.layers - first - last;
    int middle = 0;
    if (middles > 0) {
      if (rest < middles) return std::numeric_limits<double>::infinity();  // every stage holds a layer
      middle = (rest + middles - 1) / middles;
    } else if (rest != 0) {
      return std::numeric_limits<double>::infinity();
    }
    *middle_out = middle;
    const double first_s = layers.total_s(first, dense_layers_in_stage(model, 0, first));
    const double last_s = layers.total_s(last, dense_layers_in_stage(model, model.layers - last, last)) + last_extra_s;
    const double middle_s =
        middles > 0 ? layers.total_s(middle, dense_layers_in_stage(model, model.layers - last - middle, middle)) : 0.0;
    return std::max({first_s, middle_s, last_s});
  };
  int unused_middle = 0;
  StageLayers best = even;
  double best_s = busiest_s(even.first, even.last, &unused_middle);
  for (int last = 1; last <= even.middle; ++last)
    for (int first = 1; first <= even.middle + 1; ++first) {
      int middle = 0;
      const double t = busiest_s(first, last, &middle);
      if (t < best_s * (1.0 - 1e-12)) {
        best_s = t;
        best = {first, middles > 0 ? middle : first, last};
      }
    }
  return best;
}

namespace {

// The busiest of the first, middle and last stages sets the micro-batch's time.
void mark_busiest(PipelineStages& s, int pp, int middle_rank) {
  s.per_microbatch_s = std::max({s.first_s, s.middle_s, s.last_s});
  const bool last_is_busiest = s.last_s >= s.middle_s && s.last_s >= s.first_s;
  const bool first_is_busiest = !last_is_busiest && s.first_s >= s.middle_s;
  s.busiest_layers = last_is_busiest ? s.layers.last : (first_is_busiest ? s.layers.first : s.layers.middle);
  s.busiest_dense = last_is_busiest ? s.dense.last : (first_is_busiest ? s.dense.first : s.dense.middle);
  s.busiest_has_head = last_is_busiest || pp == 1;
  s.busiest_rank = last_is_busiest ? pp - 1 : (first_is_busiest ? 0 : middle_rank);
}

PipelineStages laid_out_stages(const ModelShape& model, const ParallelPlan& plan, const StageLayerCosts& layers,
                               double head_s, double mtp_s, double p2p_s) {
  PipelineStages s;
  const std::vector<RankLoad> ranks = layout_rank_loads(model, plan.pipeline_layout, plan.pp);
  const double mtp_modules = std::max(1, model.mtp_layers);
  for (const RankLoad& r : ranks)
    s.rank_s.push_back(layers.total_s(r.layers, r.dense) + p2p_s + (r.loss ? head_s : 0.0) + mtp_s * r.mtp / mtp_modules);
  const int pp = plan.pp;
  // Among the middle ranks: the busiest sets the time; the one with the most routed-expert layers
  // (then layers) holds the most parameters and activations, and stands for the middle in memory
  // (stage_parameters.hpp, pipeline_memory.hpp). With pp = 2 the middle mirrors the first.
  int busiest_middle = 0, fullest_middle = 0;
  auto routed = [&](int r) { return ranks[r].layers - ranks[r].dense; };
  for (int r = 1; r + 1 < pp; ++r) {
    if (busiest_middle == 0 || s.rank_s[r] > s.rank_s[busiest_middle]) busiest_middle = r;
    if (fullest_middle == 0 || routed(r) > routed(fullest_middle) ||
        (routed(r) == routed(fullest_middle) && ranks[r].layers > ranks[fullest_middle].layers))
      fullest_middle = r;
  }
  s.layers = {ranks[0].layers, ranks[busiest_middle].layers, ranks[pp - 1].layers};
  s.dense = {ranks[0].dense, ranks[busiest_middle].dense, ranks[pp - 1].dense};
  s.first_s = s.rank_s[0];
  s.middle_s = busiest_middle > 0 ? s.rank_s[busiest_middle] : 0.0;
  s.last_s = s.rank_s[pp - 1];
  mark_busiest(s, pp, busiest_middle);
  s.layers.middle = ranks[fullest_middle].layers;
  s.dense.middle = ranks[fullest_middle].dense;
  return s;
}

}  // namespace

PipelineStages pipeline_stages(const ModelShape& model, const ParallelPlan& plan, const StageLayerCosts& layers,
                               double head_s, double mtp_s, double p2p_s) {
  if (plan.pipeline_layout.given() && plan.pp > 1) return laid_out_stages(model, plan, layers, head_s, mtp_s, p2p_s);
  PipelineStages s;
  const StageLayers stage_layers = plan.uneven_pipeline && plan.pp > 1 ? balanced_split(model, plan.pp, layers, head_s + mtp_s)
                                                                       : split_layers(model.layers, plan.pp);
  s.layers = stage_layers;
  // Leading dense layers of an MoE model: in the first stage, then (if it cannot hold them all) in
  // the next ones. The busiest middle stage is the one with the fewest dense layers, the last
  // middle one (with pp <= 2 there is no middle stage: it mirrors the first).
  const int dense_first = dense_layers_in_stage(model, 0, stage_layers.first);
  const int dense_middle =
      plan.pp <= 2 ? dense_first
                   : dense_layers_in_stage(model, model.layers - stage_layers.last - stage_layers.middle, stage_layers.middle);
  const int dense_last = plan.pp == 1 ? dense_first
                                      : dense_layers_in_stage(model, model.layers - stage_layers.last, stage_layers.last);
  s.dense = {dense_first, dense_middle, dense_last};
  s.first_s = layers.total_s(stage_layers.first, dense_first) + p2p_s + (plan.pp == 1 ? head_s + mtp_s : 0.0);
  s.middle_s = plan.pp > 2 ? layers.total_s(stage_layers.middle, dense_middle) + p2p_s : 0.0;
  s.last_s = plan.pp == 1 ? s.first_s : layers.total_s(stage_layers.last, dense_last) + head_s + mtp_s + p2p_s;
  mark_busiest(s, plan.pp, std::max(0, plan.pp - 2));
  return s;
}

}  // namespace trainplan
