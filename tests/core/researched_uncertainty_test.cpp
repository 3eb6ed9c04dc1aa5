#include "planner/core/search/researched_uncertainty.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "planner/core/evaluate.hpp"
#include "planner/core/search/plan_ranking.hpp"
#include "planner/core/step/layer_cost_cache.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {

struct Case {
  Scenario scenario;
  SearchSpace space;
  SearchResult point;
  NetworkCounts network{16, 512, 0, {}};
  EconomicsModel economics;
};

// `model` on 64 GPUs: 1T tokens of 8K sequences, batch 256, every layout up to pp 8, cp 2 and
// micro-batch 4; `top` plans of the point search.
Case on_64(const ModelShape& model, int top) {
  Case c;
  c.scenario = testing::scenario(model, 64);
  c.scenario.job.training_tokens = 1e12;
  c.scenario.fabric.nics_per_gpu = 1;
  c.space.base.seq_len = 8192;
  c.space.global_batch = 256;
  c.space.pp.max = 8;
  c.space.cp.max = 2;
  c.space.micro_batch.max = 4;
  SearchOptions o;
  o.top = top;
  o.threads = 2;
  c.point = search_plans(c.scenario, c.space, o);
  return c;
}

Case llama3_8b_on_64() { return on_64(testing::llama3_8b(), 5); }

// A small MoE case where a wide routing spread makes several plans win.
Case mixtral_on_64() { return on_64(testing::mixtral_8x7b(), 1); }

InputDistribution triangular(double low, double mode, double high) {
  InputDistribution d;
  d.kind = DistributionKind::triangular;
  d.low = low;
  d.mode = mode;
  d.high = high;
  return d;
}

UncertaintyModel model_with_routing(const InputDistribution& routing) {
  UncertaintyModel m;
  m.samples = 24;
  m.seed = 7;
  m[UncertainInput::model_error_dense] = triangular(0.9, 1.0, 1.2);
  m[UncertainInput::failure_rate] = triangular(0.5, 1.0, 2.0);
  m[UncertainInput::routing_efficiency] = routing;
  return m;
}


}  // namespace

TEST(ResearchedUncertainty, WithTheRoutingFixedEverySampleKeepsThePointPlan) {
  const Case c = llama3_8b_on_64();
  ASSERT_FALSE(c.point.plans.empty());
  const UncertaintyModel model = model_with_routing(InputDistribution{});
  const ParallelPlan& best = c.point.plans.front().plan;
  const ResearchedUncertainty r = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network, c.economics, model, 2);
  const UncertaintySummary kept = estimate_uncertainty(c.scenario, best, c.network, c.economics, model);
  EXPECT_EQ(r.summary.samples, 24);
  EXPECT_EQ(r.samples_with_other_plan, 0);
  EXPECT_EQ(r.distinct_plans, 1);
  EXPECT_EQ(r.summary.days.p10, kept.days.p10);
  EXPECT_EQ(r.summary.days.p50, kept.days.p50);
  EXPECT_EQ(r.summary.days.p90, kept.days.p90);
  EXPECT_EQ(r.summary.cost_usd.p50, kept.cost_usd.p50);
  ASSERT_EQ(r.summary.tornado.size(), kept.tornado.size());
  for (std::size_t i = 0; i < kept.tornado.size(); ++i) EXPECT_EQ(r.summary.tornado[i].input, kept.tornado[i].input);
  EXPECT_EQ(r.plans_ranked, 1) << "with the routing fixed only the point plan can win";
  const ResearchedUncertainty every = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network,
                                                             c.economics, model, 2, KeptPlans::every_fitting);
  EXPECT_EQ(every.summary.days.p50, kept.days.p50);
  EXPECT_LT(every.plans_evaluated, every.plans_ranked * (24 + 4)) << "the bound stops each sample's walk early";
}

TEST(ResearchedUncertainty, ReSearchingIsNeverSlowerThanKeepingTheLayoutAndIsReproducible) {
  const Case c = llama3_8b_on_64();
  ASSERT_FALSE(c.point.plans.empty());
  const UncertaintyModel model = model_with_routing(triangular(0.2, 0.6, 1.0));
  const ParallelPlan& best = c.point.plans.front().plan;
  const ResearchedUncertainty one = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network, c.economics, model, 1);
  const ResearchedUncertainty two = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network, c.economics, model, 2);
  EXPECT_EQ(one.summary.days.p10, two.summary.days.p10);
  EXPECT_EQ(one.summary.days.p50, two.summary.days.p50);
  EXPECT_EQ(one.summary.days.p90, two.summary.days.p90);
  EXPECT_EQ(one.samples_with_other_plan, two.samples_with_other_plan);
  EXPECT_EQ(one.distinct_plans, two.distinct_plans);
  EXPECT_EQ(one.plans_evaluated, two.plans_evaluated) << "a cutoff per sample, one thread per sample: the same work";

  // Per sample the re-searched plan is at least as fast as the point plan on the sample's fabric,
  // so every failure-free quantile is at most the layout-kept one. The kept layout's samples read
  // their step from its routing-efficiency grid, within 1e-4 of evaluating each sample (uncertainty_test).
  const UncertaintySummary kept = estimate_uncertainty(c.scenario, best, c.network, c.economics, model);
  const double grid_tolerance = 1 + 1e-4;
  EXPECT_LE(one.summary.days_failure_free.p10, kept.days_failure_free.p10 * grid_tolerance);
  EXPECT_LE(one.summary.days_failure_free.p50, kept.days_failure_free.p50 * grid_tolerance);
  EXPECT_LE(one.summary.days_failure_free.p90, kept.days_failure_free.p90 * grid_tolerance);
  EXPECT_GE(one.distinct_plans, 1);
  EXPECT_EQ(one.summary.valid_samples, 24);

  UncertaintyModel reseeded = model;
  reseeded.seed = 8;
  const ResearchedUncertainty other = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network, c.economics, reseeded, 2);
  EXPECT_NE(other.summary.days.p50, one.summary.days.p50) << "another seed, other samples";
}

TEST(ResearchedUncertainty, EachSampleGetsTheBestPlanAFullSearchFinds) {
  const Case c = llama3_8b_on_64();
  ASSERT_FALSE(c.point.plans.empty());
  // The bound: every fitting plan is no faster at a lower routing efficiency than at 1.
  Scenario optimistic = c.scenario;
  optimistic.fabric.routing_efficiency = 1.0;
  SearchOptions o;
  o.threads = 2;
  const std::vector<RankedPlan> ranked = rank_all_plans(optimistic, c.space, o);
  ASSERT_GT(ranked.size(), 100u);
  for (double efficiency : {0.9, 0.5, 0.2}) {
    Scenario slower = c.scenario;
    slower.fabric.routing_efficiency = efficiency;
    for (const RankedPlan& p : ranked)
      ASSERT_LE(p.objective, objective_value(evaluate(slower, p.plan), SearchObjective::time_to_train)) << efficiency;
  }
  // A wide routing distribution; each sample's plan against a full search at its routing efficiency
  // (the failure-free days of the re-searched answer are those of the full search's best plan).
  UncertaintyModel model = model_with_routing(triangular(0.2, 0.6, 1.0));
  model.samples = 8;
  const ResearchedUncertainty r = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train,
                                                         c.point.plans.front().plan, c.network, c.economics, model, 2);
  UncertaintyModel used = model;
  used[UncertainInput::model_error_moe] = InputDistribution{};
  std::vector<double> full_days;
  for (const InputSample& sample : latin_hypercube(used)) {
    Scenario at = c.scenario;
    at.fabric.routing_efficiency =
        std::min(1.0, c.scenario.fabric.routing_efficiency * sample.multiplier[static_cast<int>(UncertainInput::routing_efficiency)]);
    SearchOptions one;
    one.top = 1;
    one.threads = 2;
    const SearchResult best = search_plans(at, c.space, one);
    ASSERT_FALSE(best.plans.empty());
    // Evaluated at the sample itself, as a re-searched sample is (not read from a plan's grid).
    SampleEvaluator each(c.scenario, c.network, c.economics);
    const PlanResult result = evaluate(each.scenario_at(sample), best.plans.front().plan);
    full_days.push_back(each.outcome(result, sample).days_failure_free);
  }
  const Percentiles full = percentiles(full_days);
  EXPECT_EQ(r.summary.days_failure_free.p10, full.p10);
  EXPECT_EQ(r.summary.days_failure_free.p50, full.p50);
  EXPECT_EQ(r.summary.days_failure_free.p90, full.p90);
}

// Keeping only the plans that can win under some sample changes no sample's plan nor the ranges,
// and keeps fewer plans than every fitting one.
TEST(ResearchedUncertainty, KeepingOnlyThePlansThatCanWinChangesNoSamplesPlan) {
  const Case c = mixtral_on_64();
  ASSERT_FALSE(c.point.plans.empty());
  const UncertaintyModel model = model_with_routing(triangular(0.02, 0.1, 1.0));
  const ParallelPlan& best = c.point.plans.front().plan;
  const ResearchedUncertainty bounded = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network,
                                                               c.economics, model, 2, KeptPlans::can_win);
  const ResearchedUncertainty every = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network,
                                                             c.economics, model, 2, KeptPlans::every_fitting);
  EXPECT_TRUE(std::isinf(every.kept_objective_limit));
  EXPECT_TRUE(std::isfinite(bounded.kept_objective_limit));
  EXPECT_LT(bounded.plans_ranked, every.plans_ranked) << "some fitting plans cannot win under any sample";
  EXPECT_GT(bounded.plans_ranked, 0);
  ASSERT_EQ(bounded.sample_plans.size(), every.sample_plans.size());
  ASSERT_EQ(bounded.sample_plans.size(), 24u);
  for (std::size_t i = 0; i < every.sample_plans.size(); ++i) {
    EXPECT_TRUE(bounded.sample_plans[i] == every.sample_plans[i]) << "sample " << i;
    EXPECT_EQ(bounded.outcomes[i].days, every.outcomes[i].days) << "sample " << i;
  }
  EXPECT_GT(every.distinct_plans, 1) << "the routing spread makes other plans win: the case tests the bound";
  EXPECT_EQ(bounded.distinct_plans, every.distinct_plans);
  EXPECT_EQ(bounded.summary.days.p50, every.summary.days.p50);
  EXPECT_EQ(bounded.summary.cost_usd.p90, every.summary.cost_usd.p90);
  EXPECT_LE(bounded.plans_evaluated, every.plans_evaluated);
  ASSERT_EQ(bounded.summary.tornado.size(), every.summary.tornado.size());
  for (std::size_t i = 0; i < every.summary.tornado.size(); ++i) {
    EXPECT_EQ(bounded.summary.tornado[i].input, every.summary.tornado[i].input);
    EXPECT_EQ(bounded.summary.tornado[i].days_at_p10, every.summary.tornado[i].days_at_p10);
    EXPECT_EQ(bounded.summary.tornado[i].days_at_p90, every.summary.tornado[i].days_at_p90);
  }
}

TEST(ResearchedUncertainty, OneLayoutSpacesAreRecognised) {
  SearchSpace space;
  const ModelShape dense = testing::llama3_8b();
  EXPECT_FALSE(search_space_is_one_layout(space, dense));
  space.tp = space.pp = space.cp = space.vp = space.micro_batch = KnobBounds::fixed(1);
  space.zero_stages = {1};
  space.recompute_modes = {Recompute::full};
  space.global_batch = 128;
  EXPECT_TRUE(search_space_is_one_layout(space, dense)) << "tp 1: sequence parallelism has nothing to split";
  space.tp = KnobBounds::fixed(2);
  EXPECT_FALSE(search_space_is_one_layout(space, dense)) << "sequence parallelism on or off";
  space.sequence_parallel = {true};
  EXPECT_TRUE(search_space_is_one_layout(space, dense));
  space.max_global_batch = 1024;
  space.global_batch = 0;
  EXPECT_FALSE(search_space_is_one_layout(space, dense)) << "the batch searched";
}


// With the shipped routing spread (0.85 to 1) far fewer plans can win than fit.
TEST(ResearchedUncertainty, ANarrowRoutingSpreadKeepsFewPlans) {
  const Case c = mixtral_on_64();
  ASSERT_FALSE(c.point.plans.empty());
  const UncertaintyModel model = model_with_routing(triangular(0.85, 1.0, 1.0));
  const ParallelPlan& best = c.point.plans.front().plan;
  const ResearchedUncertainty bounded = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network,
                                                               c.economics, model, 2);
  const ResearchedUncertainty every = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network,
                                                             c.economics, model, 2, KeptPlans::every_fitting);
  EXPECT_LT(bounded.plans_ranked * 4, every.plans_ranked) << bounded.plans_ranked << " of " << every.plans_ranked;
  for (std::size_t i = 0; i < every.sample_plans.size(); ++i) EXPECT_TRUE(bounded.sample_plans[i] == every.sample_plans[i]);
}

// With the calibration and the MoE imbalance sampled too, the ranking (at their most favourable
// corner) still bounds every sample and the kept plans' limit (at their least favourable) still
// keeps every sample's plan: the same plans as keeping every fitting one, each as fast as a full
// search on the sample's own scenario.
TEST(ResearchedUncertainty, SampledCalibrationAndImbalanceKeepEverySamplesBestPlan) {
  const Case c = mixtral_on_64();
  ASSERT_FALSE(c.point.plans.empty());
  UncertaintyModel model = model_with_routing(triangular(0.3, 0.7, 1.0));
  model[UncertainInput::calibration] = triangular(0.7, 1.0, 1.1);
  model[UncertainInput::moe_imbalance] = triangular(1.0, 1.2, 1.8);
  model.samples = 10;
  const ParallelPlan& best = c.point.plans.front().plan;
  const ResearchedUncertainty bounded = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network,
                                                               c.economics, model, 2, KeptPlans::can_win);
  const ResearchedUncertainty every = researched_uncertainty(c.scenario, c.space, SearchObjective::time_to_train, best, c.network,
                                                             c.economics, model, 2, KeptPlans::every_fitting);
  ASSERT_EQ(bounded.sample_plans.size(), 10u);
  for (std::size_t i = 0; i < every.sample_plans.size(); ++i) {
    EXPECT_TRUE(bounded.sample_plans[i] == every.sample_plans[i]) << "sample " << i;
    EXPECT_EQ(bounded.outcomes[i].days, every.outcomes[i].days) << "sample " << i;
  }
  const std::vector<InputSample> samples = latin_hypercube(model_for_class(c.scenario, model));
  SampleEvaluator at(c.scenario, c.network, c.economics);
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Scenario sampled = at.scenario_at(samples[i]);
    EXPECT_NE(sampled.model.moe.load_imbalance, c.scenario.model.moe.load_imbalance) << "sample " << i << " varies the imbalance";
    SearchOptions one;
    one.top = 1;
    one.threads = 2;
    const SearchResult full = search_plans(sampled, c.space, one);
    ASSERT_FALSE(full.plans.empty());
    EXPECT_NEAR(bounded.outcomes[i].days_failure_free,
                evaluate_sample(c.scenario, full.plans.front().plan, c.network, c.economics, samples[i]).days_failure_free, 1e-9)
        << "sample " << i;
  }
}

}  // namespace trainplan
