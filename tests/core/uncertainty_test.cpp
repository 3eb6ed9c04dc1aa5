#include "planner/core/economics/uncertainty.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "planner/core/evaluate.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {

struct Case {
  Scenario scenario;
  ParallelPlan plan;
  NetworkCounts network{80, 3072, 0, {}};
  EconomicsModel economics;
};

Case llama3_8b_case() {
  Case c;
  c.scenario = testing::scenario(testing::llama3_8b(), 1024);
  c.scenario.job.training_tokens = 15e12;
  c.scenario.fabric.nics_per_gpu = 1;
  c.plan.tp = 8;
  c.plan.pp = 4;
  c.plan.seq_len = 8192;
  c.plan.global_batch = 512;
  c.plan.sequence_parallel = true;
  c.plan.zero_stage = 1;
  return c;
}

// Mixtral 8x7B on 1,024 GPUs, tp 2 x pp 4 x ep 8: its expert all-to-all crosses the fabric.
Case mixtral_case() {
  Case c = llama3_8b_case();
  c.scenario = testing::scenario(testing::mixtral_8x7b(), 1024);
  c.scenario.job.training_tokens = 2e12;
  c.plan.tp = 2;
  c.plan.pp = 4;
  c.plan.ep = 8;
  c.plan.global_batch = 1024;
  return c;
}

InputDistribution triangular(double low, double mode, double high) {
  InputDistribution d;
  d.kind = DistributionKind::triangular;
  d.low = low;
  d.mode = mode;
  d.high = high;
  return d;
}

}  // namespace

TEST(Uncertainty, QuantilesOfEachKind) {
  InputDistribution fixed;
  fixed.mode = 1.3;
  EXPECT_EQ(fixed.quantile(0.1), 1.3);
  EXPECT_EQ(fixed.quantile(0.9), 1.3);

  InputDistribution uniform;
  uniform.kind = DistributionKind::uniform;
  uniform.low = 1;
  uniform.high = 3;
  EXPECT_DOUBLE_EQ(uniform.quantile(0.25), 1.5);

  // Symmetric triangle on [0, 2]: median 1; F(0.5) = 0.5^2 / 2 = 0.125.
  const InputDistribution t = triangular(0, 1, 2);
  EXPECT_DOUBLE_EQ(t.quantile(0.5), 1);
  EXPECT_NEAR(t.quantile(0.125), 0.5, 1e-12);
  EXPECT_NEAR(t.quantile(0.875), 1.5, 1e-12);
  // Degenerate right side (mode == high).
  EXPECT_DOUBLE_EQ(triangular(0.5, 1, 1).quantile(1), 1);

  InputDistribution empirical;
  empirical.kind = DistributionKind::empirical;
  empirical.values = {1, 2, 3, 4, 5};
  EXPECT_DOUBLE_EQ(empirical.quantile(0.5), 3);
  EXPECT_DOUBLE_EQ(empirical.quantile(0.125), 1.5);
  EXPECT_DOUBLE_EQ(empirical.quantile(1), 5);
}

TEST(Uncertainty, PercentilesInterpolateOrderStatistics) {
  const Percentiles p = percentiles({10, 0, 5, 3, 7, 1, 2, 4, 6, 8, 9});  // 0..10
  EXPECT_DOUBLE_EQ(p.p10, 1);
  EXPECT_DOUBLE_EQ(p.p50, 5);
  EXPECT_DOUBLE_EQ(p.p90, 9);
}

TEST(Uncertainty, LatinHypercubePutsOneSampleInEveryStratum) {
  UncertaintyModel model;
  for (auto& d : model.inputs) {
    d.kind = DistributionKind::uniform;
    d.low = 0;
    d.high = 1;
  }
  model.samples = 50;
  model.seed = 7;
  const std::vector<InputSample> samples = latin_hypercube(model);
  ASSERT_EQ(samples.size(), 50u);
  for (int input = 0; input < uncertain_input_count; ++input) {
    std::set<int> strata;
    for (const auto& s : samples) strata.insert(static_cast<int>(s.multiplier[input] * 50));
    EXPECT_EQ(strata.size(), 50u) << to_string(static_cast<UncertainInput>(input));
  }
  // Same seed, same samples; another seed, others.
  const std::vector<InputSample> again = latin_hypercube(model);
  for (std::size_t i = 0; i < samples.size(); ++i)
    for (int input = 0; input < uncertain_input_count; ++input) EXPECT_EQ(samples[i].multiplier[input], again[i].multiplier[input]);
  model.seed = 8;
  EXPECT_NE(latin_hypercube(model)[0].multiplier[0], samples[0].multiplier[0]);
}

TEST(Uncertainty, DegenerateDistributionsGiveThePointEstimate) {
  const Case c = llama3_8b_case();
  const PlanResult result = evaluate(c.scenario, c.plan);
  ASSERT_TRUE(result.valid);
  const RunEconomics point = evaluate_run_economics(c.scenario, result, c.network, c.economics);
  UncertaintyModel model;  // every input fixed at 1
  model.samples = 8;
  const UncertaintySummary s = estimate_uncertainty(c.scenario, c.plan, c.network, c.economics, model);
  EXPECT_EQ(s.samples, 8);
  EXPECT_EQ(s.valid_samples, 8);
  for (const Percentiles& p : {s.days}) {
    EXPECT_DOUBLE_EQ(p.p10, point.time_to_train_days);
    EXPECT_DOUBLE_EQ(p.p50, point.time_to_train_days);
    EXPECT_DOUBLE_EQ(p.p90, point.time_to_train_days);
  }
  EXPECT_DOUBLE_EQ(s.days_failure_free.p50, point.time_to_train_days_failure_free);
  EXPECT_DOUBLE_EQ(s.cost_usd.p10, point.cost_usd);
  EXPECT_DOUBLE_EQ(s.cost_usd.p90, point.cost_usd);
  EXPECT_TRUE(s.tornado.empty());  // nothing varies
}

TEST(Uncertainty, MonotoneInputsMoveDaysTheRightWay) {
  const Case c = llama3_8b_case();
  InputSample base;
  const SampleOutcome point = evaluate_sample(c.scenario, c.plan, c.network, c.economics, base);
  ASSERT_TRUE(point.valid);
  auto with = [&](UncertainInput input, double multiplier) {
    InputSample s;
    s.multiplier[static_cast<int>(input)] = multiplier;
    return evaluate_sample(c.scenario, c.plan, c.network, c.economics, s);
  };
  // Dense model: its error factor scales the failure-free time exactly; the MoE one does nothing.
  EXPECT_NEAR(with(UncertainInput::model_error_dense, 1.2).days_failure_free, 1.2 * point.days_failure_free, 1e-9);
  EXPECT_DOUBLE_EQ(with(UncertainInput::model_error_moe, 1.2).days_failure_free, point.days_failure_free);
  // More failures, longer restarts, slower checkpoint storage: more days, failure-free days unchanged.
  for (UncertainInput input : {UncertainInput::failure_rate, UncertainInput::restart_time}) {
    const SampleOutcome worse = with(input, 2);
    EXPECT_GT(worse.days, point.days) << to_string(input);
    EXPECT_DOUBLE_EQ(worse.days_failure_free, point.days_failure_free) << to_string(input);
    EXPECT_LT(with(input, 0.5).days, point.days) << to_string(input);
  }
  EXPECT_GE(with(UncertainInput::checkpoint_bandwidth, 0.1).days, point.days);
  // Routing: a worse fabric never makes the run faster.
  EXPECT_GE(with(UncertainInput::routing_efficiency, 0.5).days_failure_free, point.days_failure_free);
  // Prices move the cost (buy basis: the GPU price), not the days.
  const SampleOutcome pricier = with(UncertainInput::gpu_price, 1.5);
  EXPECT_DOUBLE_EQ(pricier.days, point.days);
  EXPECT_GT(pricier.cost_usd, point.cost_usd);
  EXPECT_DOUBLE_EQ(with(UncertainInput::rent_price, 1.5).cost_usd, point.cost_usd);  // not the basis
}

TEST(Uncertainty, RangesTornadoAndReproducibility) {
  const Case c = llama3_8b_case();
  UncertaintyModel model;
  model[UncertainInput::model_error_dense] = triangular(0.9, 1.05, 1.3);
  model[UncertainInput::model_error_moe] = triangular(2, 3, 4);  // another class: must not apply
  model[UncertainInput::failure_rate] = triangular(0.7, 1, 1.7);
  model[UncertainInput::gpu_price] = triangular(0.8, 1, 1.1);
  model.samples = 40;
  model.seed = 3;
  const UncertaintySummary s = estimate_uncertainty(c.scenario, c.plan, c.network, c.economics, model);
  EXPECT_EQ(s.model_error_input, UncertainInput::model_error_dense);
  EXPECT_LT(s.days.p10, s.days.p50);
  EXPECT_LT(s.days.p50, s.days.p90);
  EXPECT_LE(s.days_failure_free.p90, s.days.p90);
  EXPECT_LT(s.cost_usd.p10, s.cost_usd.p90);
  const PlanResult result = evaluate(c.scenario, c.plan);
  // The failure-free range is the point estimate times the model-error range (nothing else moves it).
  EXPECT_GT(s.days_failure_free.p10, 0.9 * result.time_to_train_days);
  EXPECT_LT(s.days_failure_free.p90, 1.3 * result.time_to_train_days);
  // Tornado: the model error first (it moves every day), then failures, then price (no days, some cost);
  // the MoE error (held at 1 for a dense model) is absent.
  ASSERT_EQ(s.tornado.size(), 3u);
  EXPECT_EQ(s.tornado[0].input, UncertainInput::model_error_dense);
  EXPECT_EQ(s.tornado[1].input, UncertainInput::failure_rate);
  EXPECT_EQ(s.tornado[2].input, UncertainInput::gpu_price);
  EXPECT_LT(s.tornado[0].days_at_p10, s.tornado[0].days_at_p90);
  EXPECT_NEAR(s.tornado[0].multiplier_p10, model[UncertainInput::model_error_dense].quantile(0.1), 1e-12);
  // Same seed, same answer.
  const UncertaintySummary again = estimate_uncertainty(c.scenario, c.plan, c.network, c.economics, model);
  EXPECT_EQ(again.days.p10, s.days.p10);
  EXPECT_EQ(again.days.p90, s.days.p90);
  EXPECT_EQ(again.cost_usd.p50, s.cost_usd.p50);
}

// A sample's economics are estimated without their notes, split by cause, capital lines or copy of
// the prices (EstimateDetail::figures); every figure is the full estimate's, bit for bit, with the
// network priced by the caller or not, on a run whose full estimate has notes and causes.
TEST(Uncertainty, ASamplesEconomicsHaveEveryFigureOfTheFullEstimate) {
  Case c = llama3_8b_case();
  c.economics.reliability.failures.causes = {{"GPU (HBM, SRAM, NVLink and other GPU faults)", 0.6}, {"host and network", 0.4}};
  c.economics.reliability.checkpoint.interval_s = 1800;  // given: a note beside the optimum
  c.economics.reliability.recovery.hot_spare_nodes = 2;  // with no spare wait: a note
  const PlanResult result = evaluate(c.scenario, c.plan);
  ASSERT_TRUE(result.valid);
  PricedNetworkCache cache;
  for (PricedNetworkCache* priced : {static_cast<PricedNetworkCache*>(nullptr), &cache}) {
    const RunEconomics full = evaluate_run_economics(c.scenario, result, c.network, c.economics, priced);
    const RunEconomics figures =
        evaluate_run_economics(c.scenario, run_figures(result), c.network, c.economics, priced, EstimateDetail::figures);
    ASSERT_FALSE(full.notes.empty());
    ASSERT_EQ(full.reliability.by_cause.size(), 2u);
    ASSERT_FALSE(full.capital.network_lines.empty());
    EXPECT_TRUE(figures.notes.empty());
    EXPECT_TRUE(figures.reliability.by_cause.empty());
    EXPECT_EQ(figures.time_to_train_days_failure_free, full.time_to_train_days_failure_free);
    EXPECT_EQ(figures.time_to_train_days, full.time_to_train_days);
    EXPECT_EQ(figures.goodput, full.goodput);
    EXPECT_EQ(figures.energy_mwh, full.energy_mwh);
    EXPECT_EQ(figures.capital.total(), full.capital.total());
    EXPECT_EQ(figures.buy_usd, full.buy_usd);
    EXPECT_EQ(figures.rent_usd, full.rent_usd);
    EXPECT_EQ(figures.cost_usd, full.cost_usd);
    EXPECT_EQ(figures.cost_usd_low, full.cost_usd_low);
    EXPECT_EQ(figures.cost_usd_high, full.cost_usd_high);
    EXPECT_EQ(figures.reliability.expected_unexpected_interruptions, full.reliability.expected_unexpected_interruptions);
  }
}

// How far a sample read from its plan's grid may be from evaluating it (relative): 5e-4, 0.03 days of
// a 70-day run, against the sampling's own spread (the gpt5-class plan's 256 samples under six seeds:
// p10 52.7-56.6 days, p90 85.2-88.5) and a model error band 20-30% wide. The largest seen at the
// grid's steps (1/16, 1/8): 3.9e-4.
constexpr double grid_tolerance = 5e-4;

// The samples take the step time from the plan's routing-efficiency grid: exact at its points (the
// point estimate among them), and within grid_tolerance of evaluating the sample itself between
// them, on a dense plan and on a mixture-of-experts plan whose expert all-to-all crosses the fabric,
// at the fabric's own efficiency and at a poor one.
TEST(Uncertainty, SamplesBetweenGridPointsMatchEvaluatingEachSample) {
  Case dense = llama3_8b_case();
  Case moe = mixtral_case();
  UncertaintyModel model;
  model[UncertainInput::routing_efficiency] = triangular(0.5, 0.9, 1.2);  // capped at 1 above the fabric's own
  model[UncertainInput::failure_rate] = triangular(0.7, 1, 1.7);
  model.samples = 64;
  int compared = 0;
  for (Case* c : {&dense, &moe}) {
    for (double fabric_efficiency : {1.0, 0.6}) {
      c->scenario.fabric.routing_efficiency = fabric_efficiency;
      SampleEvaluator from_grid(c->scenario, c->network, c->economics);
      SampleEvaluator each(c->scenario, c->network, c->economics);
      const SampleOutcome point = from_grid(c->plan, InputSample{});
      const SampleOutcome point_evaluated = each.outcome(evaluate(each.scenario_at(InputSample{}), c->plan), InputSample{});
      ASSERT_TRUE(point.valid);
      EXPECT_EQ(point.days, point_evaluated.days);  // the point estimate is a grid point
      EXPECT_EQ(point.cost_usd, point_evaluated.cost_usd);
      double largest = 0;
      for (const InputSample& sample : latin_hypercube(model)) {
        const SampleOutcome a = from_grid(c->plan, sample);
        const SampleOutcome b = each.outcome(evaluate(each.scenario_at(sample), c->plan), sample);
        ASSERT_TRUE(a.valid && b.valid);
        largest = std::max(largest, std::abs(a.days_failure_free / b.days_failure_free - 1));
        EXPECT_NEAR(a.days / b.days, 1, grid_tolerance);
        EXPECT_NEAR(a.cost_usd / b.cost_usd, 1, grid_tolerance);
        ++compared;
      }
      EXPECT_LT(largest, grid_tolerance) << "fabric efficiency " << fabric_efficiency;
    }
  }
  EXPECT_EQ(compared, 4 * 64);
  // The routing efficiency moved these plans' steps (else the grid was never between points).
  SampleEvaluator probe(moe.scenario, moe.network, moe.economics);
  InputSample worst;
  worst.multiplier[static_cast<int>(UncertainInput::routing_efficiency)] = 0.5;
  EXPECT_GT(probe(moe.plan, worst).days_failure_free, probe(moe.plan, InputSample{}).days_failure_free * 1.001);
}

// An MoE plan's grid has the expert load factor as a second axis: samples that vary the imbalance and
// the routing efficiency together match evaluating each, on a dropless plan (load factor = imbalance,
// floored at 1) and on one whose capacity factor (1.1) puts the load factor's kink inside the range.
TEST(Uncertainty, MoeSamplesBetweenLoadFactorPointsMatchEvaluatingEachSample) {
  Case moe = mixtral_case();
  UncertaintyModel model;
  model[UncertainInput::routing_efficiency] = triangular(0.6, 0.9, 1.1);
  model[UncertainInput::moe_imbalance] = triangular(0.8, 1, 1.4);
  model.samples = 96;
  int compared = 0;
  for (double imbalance : {1.1, 1.05}) {
    moe.scenario.model.moe.load_imbalance = imbalance;
    moe.scenario.model.moe.capacity_factor = imbalance == 1.1 ? 1.0 : 1.1;
    SampleEvaluator from_grid(moe.scenario, moe.network, moe.economics);
    SampleEvaluator each(moe.scenario, moe.network, moe.economics);
    const SampleOutcome point = from_grid(moe.plan, InputSample{});
    const SampleOutcome point_evaluated = each.outcome(evaluate(each.scenario_at(InputSample{}), moe.plan), InputSample{});
    EXPECT_EQ(point.days, point_evaluated.days);  // the point estimate is a grid point
    double largest = 0, spread_low = 1e30, spread_high = 0;
    for (const InputSample& sample : latin_hypercube(model)) {
      const SampleOutcome a = from_grid(moe.plan, sample);
      const SampleOutcome b = each.outcome(evaluate(each.scenario_at(sample), moe.plan), sample);
      ASSERT_TRUE(a.valid && b.valid);
      largest = std::max(largest, std::abs(a.days_failure_free / b.days_failure_free - 1));
      EXPECT_NEAR(a.cost_usd / b.cost_usd, 1, grid_tolerance);
      spread_low = std::min(spread_low, b.days_failure_free);
      spread_high = std::max(spread_high, b.days_failure_free);
      ++compared;
    }
    EXPECT_LT(largest, grid_tolerance) << "imbalance " << imbalance;
    // The imbalance moved the step by more than the tolerance (else the load axis was never between points).
    EXPECT_GT(spread_high / spread_low, 1.05);
  }
  EXPECT_EQ(compared, 2 * 96);
}

// A routing range wider than the grid's points cover (efficiency x 0.01 to 1: 6,336 steps): the grid
// stops at its 64 points and the samples beyond them are evaluated one by one, still matching.
TEST(Uncertainty, AWideRoutingRangeOutgrowsTheGridAndIsEvaluatedPerSample) {
  const Case c = llama3_8b_case();
  UncertaintyModel model;
  InputDistribution wide;
  wide.kind = DistributionKind::uniform;
  wide.low = 0.01;
  wide.high = 1;
  model[UncertainInput::routing_efficiency] = wide;
  model.samples = 200;
  SampleEvaluator from_grid(c.scenario, c.network, c.economics);
  SampleEvaluator each(c.scenario, c.network, c.economics);
  for (const InputSample& sample : latin_hypercube(model)) {
    const SampleOutcome a = from_grid(c.plan, sample);
    const SampleOutcome b = each.outcome(evaluate(each.scenario_at(sample), c.plan), sample);
    ASSERT_TRUE(a.valid && b.valid);
    EXPECT_NEAR(a.days_failure_free / b.days_failure_free, 1, 1e-4);
  }
}

// The calibration constant and the MoE imbalance as inputs: a faster stack (within the cap of 1)
// shortens the run and a slower one lengthens it; a busier expert lengthens an MoE run, a dense one
// not at all, and a dense model holds the imbalance at 1 (it neither samples nor swings).
TEST(Uncertainty, CalibrationAndMoeImbalanceMoveTheStep) {
  const Case dense = llama3_8b_case();
  Case moe = llama3_8b_case();
  moe.scenario = testing::scenario(testing::mixtral_8x7b(), 1024);
  moe.scenario.job.training_tokens = 2e12;
  moe.scenario.model.moe.load_imbalance = 1.1;
  moe.plan.tp = 2;
  moe.plan.ep = 8;
  auto with = [](const Case& c, UncertainInput input, double multiplier) {
    InputSample s;
    s.multiplier[static_cast<int>(input)] = multiplier;
    return evaluate_sample(c.scenario, c.plan, c.network, c.economics, s).days_failure_free;
  };
  ASSERT_LT(dense.scenario.calibration.sustained_kernel_fraction, 1.0);
  const double dense_point = with(dense, UncertainInput::calibration, 1);
  EXPECT_LT(with(dense, UncertainInput::calibration, 1.05), dense_point);
  EXPECT_GT(with(dense, UncertainInput::calibration, 0.8), dense_point);
  EXPECT_EQ(with(dense, UncertainInput::calibration, 100), with(dense, UncertainInput::calibration, 1 / dense.scenario.calibration.sustained_kernel_fraction))
      << "capped at a fraction of 1";
  EXPECT_EQ(with(dense, UncertainInput::moe_imbalance, 1.5), dense_point);
  const double moe_point = with(moe, UncertainInput::moe_imbalance, 1);
  EXPECT_GT(with(moe, UncertainInput::moe_imbalance, 1.3), moe_point);
  EXPECT_LT(with(moe, UncertainInput::moe_imbalance, 0.95), moe_point);
  EXPECT_EQ(with(moe, UncertainInput::moe_imbalance, 0.5), with(moe, UncertainInput::moe_imbalance, 1 / 1.1)) << "floored at 1";

  UncertaintyModel model;
  model[UncertainInput::moe_imbalance] = triangular(0.9, 1, 1.3);
  EXPECT_EQ(model_for_class(dense.scenario, model)[UncertainInput::moe_imbalance].kind, DistributionKind::fixed);
  EXPECT_EQ(model_for_class(moe.scenario, model)[UncertainInput::moe_imbalance].kind, DistributionKind::triangular);
  model.samples = 16;
  const UncertaintySummary moe_ranges = estimate_uncertainty(moe.scenario, moe.plan, moe.network, moe.economics, model);
  ASSERT_EQ(moe_ranges.tornado.size(), 1u);
  EXPECT_EQ(moe_ranges.tornado[0].input, UncertainInput::moe_imbalance);
  EXPECT_LT(moe_ranges.days_failure_free.p10, moe_ranges.days_failure_free.p90);
  EXPECT_TRUE(estimate_uncertainty(dense.scenario, dense.plan, dense.network, dense.economics, model).tornado.empty());
}

}  // namespace trainplan
