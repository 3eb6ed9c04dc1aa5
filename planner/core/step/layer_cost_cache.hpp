#pragma once
// Per-layer caching for the search (docs/search.md, "Caching"): the costs of a stage's layers
// (stage_layer_costs: the layer work and layer_time of each layer kind) depend on the plan's
// layout and per-micro-batch switches, not on the ZeRO stage, nor (unless the expert all-to-all
// is overlapped, whose pairing counts the micro-batches) on the global batch. The search visits
// every ZeRO stage and batch size of a layout with the same layer costs; this cache computes them
// once per distinct key and hands back the same values, so results are bit-identical.
//
// One cache serves one scenario (the search's, which does not change while it runs) and one
// thread. Storage is reserved up front: a lookup never allocates.
#include <cstddef>
#include <vector>

#include "planner/core/model/layer_work.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/scenario.hpp"
#include "planner/core/step/stage_layer_costs.hpp"

namespace trainplan {

class LayerCostCache;

// evaluate (planner/core/evaluate.hpp), taking the layer costs and parameter count from `cache`,
// which the caller keeps for this scenario (the search). Identical results; nullptr: evaluate.
PlanResult evaluate(const Scenario& scenario, const ParallelPlan& plan, LayerCostCache* cache);

class LayerCostCache {
 public:
  explicit LayerCostCache(std::size_t capacity = 256);

  // stage_layer_costs(scenario, plan, main_work), computed on the first call with the plan's key.
  StageLayerCosts costs(const Scenario& scenario, const ParallelPlan& plan, LayerWork* main_work);
  // count_parameters(scenario.model), counted once per cache.
  const ParameterCount& parameters(const Scenario& scenario);

  // The plan as the layer costs see it: the fields they do not read set to fixed values.
  static ParallelPlan key_of(const ParallelPlan& plan);

  // Forgets every entry (a new layout: its keys will not repeat the last one's). Keeps the storage.
  void clear();

  std::size_t hits() const { return hits_; }
  std::size_t misses() const { return misses_; }

 private:
  struct Entry {
    ParallelPlan key;
    StageLayerCosts costs;
    LayerWork main_work;
  };
  std::size_t slot_of(const ParallelPlan& key) const;  // the slot holding `key`, or the empty one to fill
  std::size_t capacity_;
  std::vector<Entry> entries_;
  std::vector<int> slots_;  // open addressing: index into entries_, -1 empty; 4x the capacity
  std::size_t last_ = 0;  // the entry hit last: the batch loops ask for it many times in a row
  bool have_parameters_ = false;
  ParameterCount parameters_;
  std::size_t hits_ = 0, misses_ = 0;
};

}  // namespace trainplan
