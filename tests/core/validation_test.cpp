#include "planner/core/validation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "planner/io/validation_loader.hpp"
#include "test_models.hpp"

namespace trainplan {

TEST(Validation, NarayananFormulaByHand) {
  ModelShape m = testing::gpt3_175b();
  m.vocab = 51200;
  ParallelPlan p;
  p.global_batch = 1536;
  p.seq_len = 2048;
  const double B = 1536, s = 2048, l = 96, h = 12288, V = 51200;
  EXPECT_DOUBLE_EQ(narayanan_flops_per_step(m, p), 96 * B * s * l * h * h * (1 + s / (6 * h) + V / (16 * l * h)));
}

TEST(Validation, ErrorIsSignedPercentOfPublished) {
  ValidationCase c;
  c.name = "params";
  c.metric = ValidationMetric::params_total;
  c.scenario.model = testing::llama3_8b();
  c.published = 8.0e9;
  const ValidationRow row = run_validation_case(c);
  EXPECT_NEAR(row.error_pct, (row.predicted - 8.0e9) / 8.0e9 * 100, 1e-9);
  EXPECT_GT(row.error_pct, 0);
}

TEST(Validation, AnImpossibleCaseCountsAsAnUnboundedError) {
  ValidationCase c;
  c.name = "broken";
  c.metric = ValidationMetric::step_time_s;
  c.published = 1.0;
  c.scenario = testing::scenario(testing::llama3_8b(), 10);
  c.plan.tp = 3;  // does not divide 32 heads
  c.plan.global_batch = 10;
  const ValidationRow row = run_validation_case(c);
  EXPECT_FALSE(row.problem.empty());
  const ValidationSummary s = summarize({row}, false);
  EXPECT_TRUE(std::isinf(s.max_abs_error_pct));
}

TEST(Validation, AutoKnobsPickTheFastestPlanThatFits) {
  ValidationCase c;
  c.metric = ValidationMetric::step_time_s;
  c.published = 1.0;
  c.scenario = testing::scenario(testing::llama3_8b(), 64);
  c.plan.tp = 8;
  c.plan.global_batch = 64;
  c.plan.seq_len = 4096;
  for (int mb : {1, 2, 4, 8}) {
    ParallelPlan p = c.plan;
    p.micro_batch = mb;
    c.candidates.push_back(p);
  }
  const ValidationRow row = run_validation_case(c);
  for (const auto& p : c.candidates) {
    const PlanResult r = evaluate(c.scenario, p);
    if (r.fits_in_memory) {
      EXPECT_LE(row.predicted, r.step_time_s + 1e-12);
    }
  }
}

TEST(Validation, BundledSetEvaluatesEveryRow) {
  const ValidationSet set = bundled_validation_set();
  ASSERT_GE(set.cases.size(), 25u);
  for (const auto& c : set.cases) {
    const ValidationRow row = run_validation_case(c);
    SCOPED_TRACE(c.group + "/" + c.name);
    EXPECT_TRUE(row.problem.empty()) << row.problem;
    EXPECT_TRUE(std::isfinite(row.error_pct));
    if (is_parameter_metric(c.metric)) {
      EXPECT_LT(std::abs(row.error_pct), 1.1);  // DeepSeek-V3: 36.63B against a "37B" of two significant figures
    }
  }
}

}  // namespace trainplan

namespace trainplan {

namespace {
// GPT-3 175B on one 8-GPU node: a step-time row the model finds too large for memory.
ValidationCase gpt3_on_one_node() {
  ValidationCase c;
  c.name = "175B-on-8";
  c.group = "test";
  c.metric = ValidationMetric::step_time_s;
  c.published = 10.0;
  c.scenario = testing::scenario(testing::gpt3_175b(), 8);
  c.plan.tp = 8;
  c.plan.seq_len = 2048;
  c.plan.global_batch = 8;
  return c;
}
}  // namespace

TEST(Validation, ARowThatDoesNotFitSaysSo) {
  const ValidationRow row = run_validation_case(gpt3_on_one_node());
  EXPECT_TRUE(row.problem.empty()) << row.problem;
  EXPECT_FALSE(row.fits_in_memory);
  EXPECT_GT(row.memory_per_gpu_gib, row.memory_capacity_gib);
  EXPECT_DOUBLE_EQ(row.memory_capacity_gib, 80.0);
}

}  // namespace trainplan

namespace trainplan {

TEST(Validation, TheCalibrationSetStillFitsItsOneConstant) {
  // sustained_kernel_fraction was fit to this set once; a model change that moves it off should
  // refit the constant (and say so), not leave it silently stale.
  const ValidationSet set = bundled_calibration_set();
  ASSERT_GE(set.cases.size(), 16u);
  std::vector<ValidationRow> rows;
  for (const auto& c : set.cases) rows.push_back(run_validation_case(c));
  double bias = 0;
  for (const auto& r : rows) bias += speed_bias_pct(r);
  bias /= static_cast<double>(rows.size());
  EXPECT_LT(std::abs(bias), 2.0) << "mean speed bias " << bias << "%";
  EXPECT_LT(summarize(rows, false).mean_abs_error_pct, 4.0);
}

TEST(Validation, SpeedBiasIsPositiveWhenTheModelIsFaster) {
  ValidationRow time_row;
  time_row.metric = ValidationMetric::step_time_s;
  time_row.published = 10.0;
  time_row.predicted = 8.0;  // predicted faster
  EXPECT_NEAR(speed_bias_pct(time_row), 25.0, 1e-12);
  ValidationRow rate_row;
  rate_row.metric = ValidationMetric::tokens_per_second_per_gpu;
  rate_row.published = 1000.0;
  rate_row.predicted = 900.0;  // predicted slower
  EXPECT_NEAR(speed_bias_pct(rate_row), -10.0, 1e-12);
  ValidationRow count_row;
  count_row.metric = ValidationMetric::params_total;
  EXPECT_TRUE(std::isnan(speed_bias_pct(count_row)));
  time_row.group = "a";
  rate_row.group = "b";
  ValidationRow second = time_row;
  second.predicted = 10.0;
  const std::vector<GroupSummary> groups = summarize_groups({time_row, rate_row, second, count_row});
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].group, "a");
  EXPECT_EQ(groups[0].cases, 2);
  EXPECT_NEAR(groups[0].mean_speed_bias_pct, 12.5, 1e-12);
}

TEST(Validation, WhenNothingFitsTheLeastMemoryCandidateIsPredicted) {
  // The run happened, so it fitted: when the model finds every candidate too large, the row is
  // predicted with the one it finds smallest (here full recomputation), and still says it does not fit.
  ValidationCase c = gpt3_on_one_node();
  ParallelPlan full = c.plan;
  full.recompute = Recompute::full;
  c.candidates = {c.plan, full};
  const ValidationRow row = run_validation_case(c);
  ASSERT_FALSE(row.fits_in_memory);
  EXPECT_EQ(row.plan.recompute, Recompute::full);
  EXPECT_LT(row.memory_per_gpu_gib, evaluate(c.scenario, c.plan).memory_per_gpu_gib);
}

TEST(Validation, EveryRunThatRanFitsInMemory) {
  // Each row is a run that really ran at that layout, so the memory model must find room for it.
  for (const ValidationSet& set : {bundled_validation_set(), bundled_calibration_set()})
    for (const auto& c : set.cases) {
      if (is_parameter_metric(c.metric)) continue;
      const std::string name = c.group + "/" + c.name;
      const ValidationRow row = run_validation_case(c);
      EXPECT_TRUE(row.fits_in_memory) << name << ": " << row.memory_per_gpu_gib << " of " << row.memory_capacity_gib << " GiB";
    }
}

}  // namespace trainplan
