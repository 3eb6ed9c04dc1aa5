#include "planner/core/search/plan_search.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <set>
#include <tuple>

#include "planner/core/plan_check.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {

// Llama 3 8B on 32 GPUs with 8K sequences: tight enough that many plans do not fit.
Scenario tight_scenario() { return testing::scenario(testing::llama3_8b(), 32); }

SearchSpace small_space() {
  SearchSpace space;
  space.base.seq_len = 8192;
  space.global_batch = 32;
  space.pp.max = 8;
  space.cp.max = 2;
  space.vp.max = 4;
  space.micro_batch.max = 4;
  return space;
}

SearchOptions options_with_top(int top, int threads = 2) {
  SearchOptions o;
  o.top = top;
  o.threads = threads;
  return o;
}

// The best objective by brute force: every integer value of every knob within the space's bounds,
// each plan handed to evaluate (which rejects the impossible ones).
double brute_force_best(const Scenario& sc, const SearchSpace& space, int* feasible_count) {
  double best = std::numeric_limits<double>::infinity();
  int feasible = 0;
  for (int tp = 1; tp <= 8; ++tp)
    for (int pp = 1; pp <= space.pp.max; ++pp)
      for (int cp = 1; cp <= space.cp.max; ++cp)
        for (int vp = 1; vp <= space.vp.max; ++vp)
          for (int mb = 1; mb <= space.micro_batch.max; ++mb)
            for (int zero = 0; zero <= 3; ++zero)
              for (Recompute r : {Recompute::none, Recompute::selective, Recompute::full})
                for (bool sp : {false, true}) {
                  ParallelPlan p = space.base;
                  p.tp = tp;
                  p.pp = pp;
                  p.cp = cp;
                  p.vp = vp;
                  p.micro_batch = mb;
                  p.zero_stage = zero;
                  p.recompute = r;
                  p.sequence_parallel = sp;
                  p.global_batch = space.global_batch;
                  const PlanResult res = evaluate(sc, p);
                  if (!res.valid || !res.fits_in_memory) continue;
                  ++feasible;
                  best = std::min(best, objective_value(res, SearchObjective::time_to_train));
                }
  if (feasible_count) *feasible_count = feasible;
  return best;
}

}  // namespace

TEST(PlanSearch, FindsTheBruteForceOptimum) {
  const Scenario sc = tight_scenario();
  const SearchSpace space = small_space();
  int brute_feasible = 0;
  const double expected = brute_force_best(sc, space, &brute_feasible);
  ASSERT_GT(brute_feasible, 0);
  const SearchResult r = search_plans(sc, space, options_with_top(5));
  ASSERT_FALSE(r.plans.empty());
  EXPECT_DOUBLE_EQ(objective_value(r.plans.front(), SearchObjective::time_to_train), expected);
  EXPECT_EQ(r.rejected, 0);
  EXPECT_LT(r.feasible, r.evaluated);  // the memory limit bites here
  EXPECT_LE(r.feasible, brute_feasible);  // the brute force also counts equivalent duplicates
}

TEST(PlanSearch, FindsTheBruteForceOptimumByStepTime) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  SearchSpace space = small_space();
  space.global_batch = 128;
  SearchOptions o = options_with_top(1);
  o.objective = SearchObjective::step_time;
  const SearchResult r = search_plans(sc, space, o);
  ASSERT_EQ(r.plans.size(), 1u);
  // With the batch fixed, step time and time per token rank plans alike.
  EXPECT_DOUBLE_EQ(objective_value(r.plans.front(), SearchObjective::time_to_train), brute_force_best(sc, space, nullptr));
}

TEST(PlanSearch, NeverReturnsAPlanThatDoesNotFit) {
  const Scenario sc = tight_scenario();
  SearchSpace space = small_space();
  space.global_batch = 0;
  space.max_global_batch = 96;
  const SearchResult r = search_plans(sc, space, options_with_top(200));
  ASSERT_FALSE(r.plans.empty());
  for (const PlanResult& p : r.plans) {
    EXPECT_TRUE(p.valid);
    EXPECT_TRUE(p.fits_in_memory);
    EXPECT_LE(p.memory_per_gpu_gib, sc.gpu.hbm_gib);
    EXPECT_LE(p.plan.global_batch, 96);
  }
}

TEST(PlanSearch, ResultsAreSortedBestFirst) {
  const SearchResult r = search_plans(tight_scenario(), small_space(), options_with_top(50));
  ASSERT_GT(r.plans.size(), 10u);
  for (std::size_t i = 1; i < r.plans.size(); ++i)
    EXPECT_LE(objective_value(r.plans[i - 1], SearchObjective::time_to_train),
              objective_value(r.plans[i], SearchObjective::time_to_train));
}

TEST(PlanSearch, MemoryPruningChangesNothingButTheWork) {
  const Scenario sc = tight_scenario();
  for (bool fixed_batch : {true, false}) {
    SearchSpace pruned = small_space();
    if (!fixed_batch) {
      pruned.global_batch = 0;
      pruned.max_global_batch = 64;
    }
    SearchSpace full = pruned;
    full.prune_by_memory = false;
    const SearchResult a = search_plans(sc, pruned, options_with_top(30));
    const SearchResult b = search_plans(sc, full, options_with_top(30));
    ASSERT_EQ(a.plans.size(), b.plans.size());
    for (std::size_t i = 0; i < a.plans.size(); ++i)
      EXPECT_DOUBLE_EQ(a.plans[i].step_time_s, b.plans[i].step_time_s) << "rank " << i;
    EXPECT_EQ(a.feasible, b.feasible) << "pruning may skip only plans that do not fit";
    EXPECT_LT(a.evaluated, b.evaluated);
  }
}

TEST(PlanSearch, ResultDoesNotDependOnTheThreadCount) {
  const Scenario sc = tight_scenario();
  const SearchResult one = search_plans(sc, small_space(), options_with_top(20, 1));
  const SearchResult three = search_plans(sc, small_space(), options_with_top(20, 3));
  EXPECT_EQ(one.threads, 1);
  ASSERT_EQ(one.plans.size(), three.plans.size());
  EXPECT_EQ(one.evaluated, three.evaluated);
  for (std::size_t i = 0; i < one.plans.size(); ++i) {
    const ParallelPlan& a = one.plans[i].plan;
    const ParallelPlan& b = three.plans[i].plan;
    EXPECT_EQ(std::tie(a.tp, a.pp, a.cp, a.vp, a.micro_batch, a.zero_stage, a.sequence_parallel),
              std::tie(b.tp, b.pp, b.cp, b.vp, b.micro_batch, b.zero_stage, b.sequence_parallel));
    EXPECT_EQ(a.recompute, b.recompute);
  }
}

TEST(PlanSearch, FixedKnobsStayFixed) {
  SearchSpace space = small_space();
  space.tp = KnobBounds::fixed(4);
  space.zero_stages = {1};
  space.recompute_modes = {Recompute::selective};
  space.base.attention_kernel = AttentionKernel::materialized;
  const SearchResult r = search_plans(testing::scenario(testing::llama3_8b(), 64), space, options_with_top(20));
  ASSERT_FALSE(r.plans.empty());
  for (const PlanResult& p : r.plans) {
    EXPECT_EQ(p.plan.tp, 4);
    EXPECT_EQ(p.plan.zero_stage, 1);
    EXPECT_EQ(p.plan.recompute, Recompute::selective);
    EXPECT_EQ(p.plan.attention_kernel, AttentionKernel::materialized);
  }
}

TEST(PlanSearch, EveryEnumeratedLayoutPassesCheckPlanAndNoneIsMissed) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 48);
  SearchSpace space;
  space.base.seq_len = 4096;
  space.cp.max = 4;
  space.vp.max = 8;
  std::set<std::tuple<int, int, int, int>> enumerated;
  for (ParallelPlan p : enumerate_layouts(sc, space)) {
    enumerated.insert({p.tp, p.pp, p.cp, p.vp});
    p.global_batch = static_cast<std::int64_t>(p.dp) * p.pp;  // a batch every layout accepts
    EXPECT_TRUE(check_plan(sc.model, sc.gpu, sc.job.gpus, p).empty()) << p.tp << " " << p.pp << " " << p.cp << " " << p.vp;
  }
  // Brute force over check_plan: the same set, tp limited to the 8-GPU node.
  std::set<std::tuple<int, int, int, int>> possible;
  for (int tp = 1; tp <= 8; ++tp)
    for (int pp = 1; pp <= 48; ++pp)
      for (int cp = 1; cp <= 4; ++cp)
        for (int vp = 1; vp <= 8; ++vp) {
          if (8 % tp != 0 || sc.job.gpus % (tp * pp * cp) != 0) continue;
          ParallelPlan p = space.base;
          p.tp = tp, p.pp = pp, p.cp = cp, p.vp = vp;
          p.global_batch = static_cast<std::int64_t>(sc.job.gpus / (tp * pp * cp)) * pp;
          if (check_plan(sc.model, sc.gpu, sc.job.gpus, p).empty()) possible.insert({tp, pp, cp, vp});
        }
  EXPECT_EQ(enumerated, possible);
}

TEST(PlanSearch, ExpertParallelSizesDivideExpertsAndDataRanks) {
  ModelShape moe = testing::llama3_8b();
  moe.moe.routed_experts = 16;
  moe.moe.top_k = 2;
  moe.moe.expert_ffn = 2048;
  const Scenario sc = testing::scenario(moe, 64);
  SearchSpace space;
  space.base.seq_len = 4096;
  std::set<int> eps;
  bool folded = false;
  for (ParallelPlan p : enumerate_layouts(sc, space)) {
    eps.insert(p.ep);
    EXPECT_EQ(16 % p.ep, 0);
    // The experts' ranks tile a stage's tp*dp*cp GPUs: expert_tp x ep divides them.
    EXPECT_EQ((p.tp * p.dp * p.cp) % (p.routed_expert_tp() * p.ep), 0);
    if (p.expert_tp == 0) {
      EXPECT_EQ((p.dp * p.cp) % p.ep, 0);
    }
    folded = folded || (p.tp > 1 && p.expert_tp == 1);
    p.global_batch = static_cast<std::int64_t>(p.dp) * p.pp;
    EXPECT_TRUE(check_plan(sc.model, sc.gpu, sc.job.gpus, p).empty());
  }
  EXPECT_EQ(eps, (std::set<int>{1, 2, 4, 8, 16}));
  EXPECT_TRUE(folded) << "unsplit experts beside a split attention are searched";
  space.fold_experts = false;
  for (const ParallelPlan& p : enumerate_layouts(sc, space)) EXPECT_EQ(p.expert_tp, 0);
  space.fold_experts = true;
  space.base.expert_tp = 2;  // fixed by the user
  for (const ParallelPlan& p : enumerate_layouts(sc, space)) EXPECT_EQ(p.expert_tp, 2);
}

TEST(PlanSearch, DenseModelsKeepExpertParallelismAtOne) {
  for (const ParallelPlan& p : enumerate_layouts(tight_scenario(), small_space())) EXPECT_EQ(p.ep, 1);
}

TEST(PlanSearch, UnevenPipelinesOnlyWhenAllowed) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 24);  // 32 layers: pp 3 is uneven
  SearchSpace space = small_space();
  space.global_batch = 24;
  bool saw_uneven = false;
  for (const ParallelPlan& p : enumerate_layouts(sc, space)) EXPECT_EQ(32 % p.pp, 0);
  space.uneven_pipeline = true;
  for (const ParallelPlan& p : enumerate_layouts(sc, space)) {
    if (32 % p.pp != 0) {
      saw_uneven = true;
      EXPECT_TRUE(p.uneven_pipeline);
      EXPECT_EQ(p.vp, 1);
    }
  }
  EXPECT_TRUE(saw_uneven);
  EXPECT_EQ(search_plans(sc, space, options_with_top(5)).rejected, 0);
}

TEST(PlanSearch, ReportsProgressOnTheCallingThreadAndFinishesAtTheTotal) {
  SearchOptions o = options_with_top(3);
  SearchProgress last;
  int calls = 0;
  o.progress = [&](const SearchProgress& p) {
    last = p;
    ++calls;
  };
  const SearchResult r = search_plans(tight_scenario(), small_space(), o);
  EXPECT_GE(calls, 1);
  EXPECT_EQ(last.layouts_done, r.layouts);
  EXPECT_EQ(last.layouts_total, r.layouts);
}

TEST(PlanSearch, AnEmptySpaceReturnsNoPlans) {
  SearchSpace space = small_space();
  space.global_batch = 7;  // no layout of 32 GPUs divides 7 sequences except dp = 1
  space.dp = KnobBounds::fixed(2);
  const SearchResult r = search_plans(tight_scenario(), space, options_with_top(5));
  EXPECT_TRUE(r.plans.empty());
  EXPECT_EQ(r.evaluated, 0);
}

}  // namespace trainplan

namespace trainplan {

TEST(PlanSearch, WithoutABatchSettingTheBasePlansBatchIsFixed) {
  SearchSpace space = small_space();
  space.global_batch = 0;
  space.base.global_batch = 64;
  const SearchResult r = search_plans(tight_scenario(), space, options_with_top(10));
  ASSERT_FALSE(r.plans.empty());
  for (const PlanResult& p : r.plans) EXPECT_EQ(p.plan.global_batch, 64);
}

}  // namespace trainplan

namespace trainplan {
namespace {

bool some_plan_recomputes_selectively(const ModelShape& model) {
  SearchSpace space = small_space();
  space.recompute_modes = {Recompute::none, Recompute::selective};
  space.base.attention_kernel = AttentionKernel::flash3;
  const SearchResult r = search_plans(testing::scenario(model, 64), space, options_with_top(100000));
  EXPECT_FALSE(r.plans.empty());
  for (const PlanResult& p : r.plans)
    if (p.plan.recompute == Recompute::selective) return true;
  return false;
}

// With a fused attention kernel selective recomputation saves nothing over none (and re-runs the
// attention forward), so search skips it; MLA's selective scheme drops the norms' outputs and the
// up-projected Q, K, V, a memory-for-time choice search keeps.
TEST(PlanSearch, SelectiveRecomputationIsAChoiceOnlyWhereItSavesMemory) {
  EXPECT_FALSE(some_plan_recomputes_selectively(testing::llama3_8b()));
  ModelShape mla = testing::llama3_8b();
  mla.attention = AttentionKind::mla;
  mla.mla = MlaShape{1536, 512, 128, 64, 128};
  EXPECT_TRUE(some_plan_recomputes_selectively(mla));
}

}  // namespace
}  // namespace trainplan
