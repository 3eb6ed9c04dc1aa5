// The search's speed-ups change nothing but the work: the per-layer and per-collective caches
// return the values evaluate computes afresh, and the step-time bound is a bound and skips only
// plans that cannot enter the top list.
#include <gtest/gtest.h>

#include <limits>

#include "planner/core/evaluate.hpp"
#include "planner/core/network/collective_memo.hpp"
#include "planner/core/network/collective_seconds.hpp"
#include "planner/core/search/plan_search.hpp"
#include "planner/core/search/step_time_bound.hpp"
#include "planner/core/step/layer_cost_cache.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {

// Mixtral-like MoE with two leading dense layers (two layer kinds in a stage).
ModelShape moe_with_dense_layers() {
  ModelShape m = testing::mixtral_8x7b();
  m.moe.first_dense_layers = 2;
  return m;
}

struct Case {
  const char* name;
  Scenario scenario;
  SearchSpace space;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  SearchSpace dense;
  dense.base.seq_len = 8192;
  dense.global_batch = 32;
  dense.pp.max = 4;
  dense.cp.max = 2;
  dense.vp.max = 2;
  dense.micro_batch.max = 2;
  out.push_back({"llama3-8b on 32, fixed batch", testing::scenario(testing::llama3_8b(), 32), dense});
  SearchSpace any_batch = dense;
  any_batch.global_batch = 0;
  any_batch.max_global_batch = 64;
  out.push_back({"llama3-8b on 32, every batch", testing::scenario(testing::llama3_8b(), 32), any_batch});
  SearchSpace moe = dense;
  moe.base.seq_len = 4096;
  moe.global_batch = 128;
  moe.precisions = {Precision::bf16, Precision::fp8};
  moe.uneven_pipeline = true;
  out.push_back({"MoE with dense layers on 64, uneven pipelines, fp8", testing::scenario(moe_with_dense_layers(), 64), moe});
  SearchSpace overlap = moe;
  overlap.uneven_pipeline = false;
  overlap.base.ep_overlap = true;
  overlap.global_batch = 0;
  overlap.max_global_batch = 128;
  out.push_back({"MoE with the all-to-all overlapped, every batch", testing::scenario(moe_with_dense_layers(), 64), overlap});
  return out;
}

SearchOptions options(int top, bool cache) {
  SearchOptions o;
  o.top = top;
  o.threads = 2;
  o.cache = cache;
  return o;
}

}  // namespace

TEST(SearchSpeed, CachedSearchGivesTheSameResultsBitForBit) {
  for (const Case& c : cases()) {
    const SearchResult fresh = search_plans(c.scenario, c.space, options(50, false));
    const SearchResult cached = search_plans(c.scenario, c.space, options(50, true));
    ASSERT_FALSE(fresh.plans.empty()) << c.name;
    ASSERT_EQ(fresh.plans.size(), cached.plans.size()) << c.name;
    EXPECT_EQ(fresh.evaluated, cached.evaluated) << c.name;
    EXPECT_EQ(fresh.feasible, cached.feasible) << c.name;
    for (std::size_t i = 0; i < fresh.plans.size(); ++i) {
      EXPECT_TRUE(fresh.plans[i].plan == cached.plans[i].plan) << c.name << ", rank " << i;
      EXPECT_EQ(fresh.plans[i].step_time_s, cached.plans[i].step_time_s) << c.name << ", rank " << i;
    }
  }
}

TEST(SearchSpeed, CachedEvaluateEqualsFreshEvaluateForEveryPlan) {
  // Every fitting plan of each space, evaluated through one cache in search order and afresh.
  for (const Case& c : cases()) {
    const SearchResult all = search_plans(c.scenario, c.space, options(100000, false));
    LayerCostCache cache;
    CollectiveMemo memo(c.scenario);
    ScopedCollectiveMemo installed(memo);
    for (const PlanResult& r : all.plans) {
      const PlanResult again = evaluate(c.scenario, r.plan, &cache);
      ASSERT_EQ(again.step_time_s, r.step_time_s) << c.name;
      ASSERT_EQ(again.memory_per_gpu_gib, r.memory_per_gpu_gib) << c.name;
      ASSERT_EQ(again.breakdown.dp_comm_s, r.breakdown.dp_comm_s) << c.name;
    }
    EXPECT_GT(cache.hits(), 0u) << c.name;
    EXPECT_GT(memo.hits(), 0u) << c.name;
  }
}

TEST(SearchSpeed, LayerCostKeyIgnoresOnlyWhatLayersDoNotRead) {
  ParallelPlan a;
  a.global_batch = 64;
  a.zero_stage = 1;
  ParallelPlan b = a;
  b.global_batch = 128;
  b.zero_stage = 3;
  EXPECT_TRUE(LayerCostCache::key_of(a) == LayerCostCache::key_of(b));
  a.ep_overlap = b.ep_overlap = true;  // the overlap pairing counts the micro-batches
  EXPECT_FALSE(LayerCostCache::key_of(a) == LayerCostCache::key_of(b));
  b = a;
  b.micro_batch = 2;
  EXPECT_FALSE(LayerCostCache::key_of(a) == LayerCostCache::key_of(b));
}

TEST(SearchSpeed, CollectiveMemoServesOnlyItsScenario) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  Scenario other = sc;
  other.fabric.routing_efficiency = 0.5;
  CollectiveMemo memo(sc);
  ScopedCollectiveMemo installed(memo);
  const GroupPlacement group{64, 1};
  const double fresh = collective_cost(sc.fabric, sc.profile, sc.calibration, Collective::all_reduce, {64, 1, 64}, 1e9).seconds;
  EXPECT_EQ(collective_seconds(sc, Collective::all_reduce, group, 1e9), fresh);
  EXPECT_EQ(collective_seconds(sc, Collective::all_reduce, group, 1e9), fresh);
  EXPECT_EQ(memo.hits(), 1u);
  const double other_fresh =
      collective_cost(other.fabric, other.profile, other.calibration, Collective::all_reduce, {64, 1, 64}, 1e9).seconds;
  EXPECT_EQ(collective_seconds(other, Collective::all_reduce, group, 1e9), other_fresh);
  EXPECT_EQ(memo.hits() + memo.misses(), 2u) << "another scenario is computed afresh, not looked up";
}

TEST(SearchSpeed, StepTimeBoundIsABoundOnEveryPlan) {
  int plans = 0;
  for (const Case& c : cases()) {
    SearchSpace space = c.space;
    space.prune_by_memory = false;
    const SearchResult all = search_plans(c.scenario, space, options(100000, false));
    for (const PlanResult& r : all.plans) {
      LayerWork work;
      const StageLayerCosts layers = stage_layer_costs(c.scenario, r.plan, &work);
      const double bound = step_time_lower_bound(c.scenario.model, r.plan, layers);
      ASSERT_GT(bound, 0) << c.name;
      ASSERT_LE(bound, r.step_time_s) << c.name << ": tp " << r.plan.tp << " pp " << r.plan.pp << " vp " << r.plan.vp;
      ++plans;
    }
  }
  EXPECT_GT(plans, 500);
}

TEST(SearchSpeed, BoundPruningReturnsTheSamePlans) {
  for (const Case& c : cases()) {
    const SearchResult exact = search_plans(c.scenario, c.space, options(20, true));
    SearchOptions pruned_options = options(20, true);
    pruned_options.prune_by_bound = true;
    const SearchResult pruned = search_plans(c.scenario, c.space, pruned_options);
    ASSERT_EQ(exact.plans.size(), pruned.plans.size()) << c.name;
    for (std::size_t i = 0; i < exact.plans.size(); ++i) {
      EXPECT_TRUE(exact.plans[i].plan == pruned.plans[i].plan) << c.name << ", rank " << i;
      EXPECT_EQ(exact.plans[i].step_time_s, pruned.plans[i].step_time_s) << c.name << ", rank " << i;
    }
    EXPECT_GT(pruned.skipped_by_bound, 0) << c.name;
    EXPECT_LT(pruned.evaluated, exact.evaluated) << c.name;

    // A cutoff from known plans (the exact top list's last objective): the same plans, deterministically.
    SearchOptions cutoff_options = options(20, true);
    cutoff_options.bound_cutoff = objective_value(exact.plans.back(), SearchObjective::time_to_train);
    const SearchResult a = search_plans(c.scenario, c.space, cutoff_options);
    cutoff_options.threads = 1;
    const SearchResult b = search_plans(c.scenario, c.space, cutoff_options);
    ASSERT_EQ(exact.plans.size(), a.plans.size()) << c.name;
    for (std::size_t i = 0; i < exact.plans.size(); ++i) EXPECT_TRUE(exact.plans[i].plan == a.plans[i].plan) << c.name;
    EXPECT_EQ(a.evaluated, b.evaluated) << c.name << ": a fixed cutoff skips the same plans on any thread count";
    EXPECT_GT(a.skipped_by_bound, 0) << c.name;
  }
}

}  // namespace trainplan
