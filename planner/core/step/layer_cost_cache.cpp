#include "planner/core/step/layer_cost_cache.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>

namespace trainplan {

namespace {
// Mixes the fields that change between the plans of one layout; equality on the whole key decides.
std::uint64_t hash_of(const ParallelPlan& k) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull;
  const auto mix = [&h](std::uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  };
  mix(static_cast<std::uint64_t>(k.micro_batch));
  mix(static_cast<std::uint64_t>(k.recompute));
  mix(static_cast<std::uint64_t>(k.sequence_parallel));
  mix(static_cast<std::uint64_t>(k.precision));
  mix(static_cast<std::uint64_t>(k.global_batch));
  mix(static_cast<std::uint64_t>(k.tp) * 131 + static_cast<std::uint64_t>(k.pp) * 7 + static_cast<std::uint64_t>(k.cp));
  mix(static_cast<std::uint64_t>(k.dp) * 31 + static_cast<std::uint64_t>(k.ep) * 17 + static_cast<std::uint64_t>(k.vp) +
      static_cast<std::uint64_t>(k.expert_tp) * 1009);
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  return h ^ (h >> 32);
}
}  // namespace

// Every field of ParallelPlan. A field added to ParallelPlan usually changes its size and stops the
// build here until it is added to the comparison (the cache must not merge plans that differ in it);
// a bool that fits in padding does not, so tests/core/layer_cost_cache_test.cpp also walks the plan
// options and checks each one separates cache entries.
static_assert(sizeof(ParallelPlan) == 120, "ParallelPlan changed: add the new field to same_plan (layer_cost_cache.cpp)");
bool same_plan(const ParallelPlan& a, const ParallelPlan& b) {
  return a.tp == b.tp && a.pp == b.pp && a.dp == b.dp && a.cp == b.cp && a.ep == b.ep && a.expert_tp == b.expert_tp &&
         a.vp == b.vp && a.micro_batch == b.micro_batch && a.global_batch == b.global_batch && a.seq_len == b.seq_len &&
         a.precision == b.precision && a.recompute == b.recompute && a.recompute_layers == b.recompute_layers &&
         a.sequence_parallel == b.sequence_parallel && a.zero_stage == b.zero_stage && a.attention_kernel == b.attention_kernel &&
         a.causal == b.causal && a.dp_overlap == b.dp_overlap && a.tp_overlap == b.tp_overlap &&
         a.tp_backward_overlap == b.tp_backward_overlap &&  // tp_backward_overlap.hpp
         a.fp32_grad_reduce == b.fp32_grad_reduce && a.fp8_params == b.fp8_params &&
         a.optimizer_state_bytes == b.optimizer_state_bytes && a.fp8_scaling == b.fp8_scaling &&
         a.uneven_pipeline == b.uneven_pipeline && a.cp_all_gather == b.cp_all_gather && a.ep_overlap == b.ep_overlap &&
         a.ep_overlap_schedule == b.ep_overlap_schedule && a.moe_dispatcher == b.moe_dispatcher && a.dispatch_fp8 == b.dispatch_fp8 &&
         a.rank_order == b.rank_order && a.moe_act_recompute == b.moe_act_recompute &&
         a.moe_act_input_fp8 == b.moe_act_input_fp8;
}

LayerCostCache::LayerCostCache(std::size_t capacity)
    : capacity_(capacity > 0 ? capacity : 1), slots_(std::bit_ceil(4 * (capacity > 0 ? capacity : 1)), -1) {
  entries_.reserve(capacity_);
}

ParallelPlan LayerCostCache::key_of(const ParallelPlan& plan) {
  ParallelPlan key = plan;
  // Read by the optimizer, the data-parallel traffic and memory, never by a layer's cost.
  key.zero_stage = 0;
  // The global batch enters a layer's cost only through the expert-overlap pairing (layer_time.cpp).
  if (!plan.ep_overlap) key.global_batch = 0;
  return key;
}

void LayerCostCache::clear() {
  entries_.clear();
  std::fill(slots_.begin(), slots_.end(), -1);
  last_ = 0;
}

std::size_t LayerCostCache::slot_of(const ParallelPlan& key) const {
  const std::size_t mask = slots_.size() - 1;
  std::size_t s = static_cast<std::size_t>(hash_of(key)) & mask;
  while (slots_[s] >= 0 && !same_plan(entries_[static_cast<std::size_t>(slots_[s])].key, key)) s = (s + 1) & mask;
  return s;
}

StageLayerCosts LayerCostCache::costs(const Scenario& sc, const ParallelPlan& plan, LayerWork* main_work) {
  const ParallelPlan key = key_of(plan);
  if (last_ < entries_.size() && same_plan(entries_[last_].key, key)) {
    ++hits_;
    *main_work = entries_[last_].main_work;
    return entries_[last_].costs;
  }
  std::size_t slot = slot_of(key);
  if (slots_[slot] >= 0) {
    ++hits_;
    last_ = static_cast<std::size_t>(slots_[slot]);
    *main_work = entries_[last_].main_work;
    return entries_[last_].costs;
  }
  ++misses_;
  if (entries_.size() == capacity_) {  // full: start over (keeps the reserved storage)
    clear();
    slot = slot_of(key);
  }
  Entry e;
  e.key = key;
  e.costs = stage_layer_costs(sc, plan, &e.main_work);
  entries_.push_back(e);
  last_ = entries_.size() - 1;
  slots_[slot] = static_cast<int>(last_);
  *main_work = e.main_work;
  return e.costs;
}

const ParameterCount& LayerCostCache::parameters(const Scenario& sc) {
  if (!have_parameters_) {
    parameters_ = count_parameters(sc.model);
    have_parameters_ = true;
  }
  return parameters_;
}

}  // namespace trainplan
