#include "planner/core/validation.hpp"

#include <gtest/gtest.h>

#include <cmath>

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
      EXPECT_LT(std::abs(row.error_pct), 1.6);  // DeepSeek-V3's "37B" active is rounded: +1.5%
    }
  }
}

}  // namespace trainplan

namespace trainplan {

TEST(Validation, ARowThatDoesNotFitSaysSo) {
  ValidationCase c;
  c.name = "175B-on-8";
  c.group = "test";
  c.metric = ValidationMetric::step_time_s;
  c.published = 10.0;
  c.scenario = testing::scenario(testing::gpt3_175b(), 8);
  c.plan.tp = 8;
  c.plan.seq_len = 2048;
  c.plan.global_batch = 8;
  const ValidationRow row = run_validation_case(c);
  EXPECT_TRUE(row.problem.empty()) << row.problem;
  EXPECT_FALSE(row.fits_in_memory);
  EXPECT_GT(row.memory_per_gpu_gib, row.memory_capacity_gib);
  EXPECT_DOUBLE_EQ(row.memory_capacity_gib, 80.0);
}

}  // namespace trainplan
