#include "planner/core/economics/band_coverage.hpp"

#include <gtest/gtest.h>

#include "planner/core/economics/model_error_fit.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
// A timing row of `group` whose real step time is `factor` x the predicted one (speed bias factor - 1).
ValidationRow row(const std::string& group, double factor) {
  ValidationRow r;
  r.group = group;
  r.name = group;
  r.metric = ValidationMetric::step_time_s;
  r.predicted = 1.0;
  r.published = factor;
  r.error_pct = (r.predicted - r.published) / r.published * 100;
  return r;
}
ValidationCase dense_case() {
  ValidationCase c;
  c.scenario = testing::scenario(testing::llama3_8b(), 64);
  return c;
}
}  // namespace

// Closed case: five groups of one row each with factors 1.0 .. 1.4. Leaving out 1.0 or 1.4, the band of
// the others (p10..p90 by linear interpolation) excludes it; the three in the middle fall inside.
TEST(BandCoverage, EachRowIsCheckedAgainstTheBandOfTheOtherGroups) {
  std::vector<ValidationCase> cases(5, dense_case());
  std::vector<ValidationRow> rows;
  for (int i = 0; i < 5; ++i) rows.push_back(row("g" + std::to_string(i), 1.0 + 0.1 * i));
  ASSERT_NEAR(speed_bias_pct(rows[4]), 40, 1e-9);
  const BandCoverage c = leave_one_group_out_coverage(cases, rows);
  EXPECT_EQ(c.rows, 5);
  EXPECT_EQ(c.inside, 3);
  EXPECT_EQ(c.dense_rows, 5);
  EXPECT_EQ(c.moe_rows, 0);
  ASSERT_EQ(c.groups.size(), 5u);
  // Without g0 the others are 1.1..1.4: p10 = 1.13, p90 = 1.37.
  EXPECT_NEAR(c.groups[0].band_low, 1.13, 1e-9);
  EXPECT_NEAR(c.groups[0].band_high, 1.37, 1e-9);
  EXPECT_EQ(c.groups[0].inside, 0);
  EXPECT_EQ(c.groups[2].inside, 1);
  EXPECT_NEAR(c.fraction(), 0.6, 1e-12);
}

// A class with one group has no other group to fit on: its rows count as outside, never inside.
TEST(BandCoverage, AGroupAloneInItsClassIsOutside) {
  std::vector<ValidationCase> cases(2, dense_case());
  std::vector<ValidationRow> rows{row("only", 1.0), row("only", 1.05)};
  const BandCoverage c = leave_one_group_out_coverage(cases, rows);
  EXPECT_EQ(c.rows, 2);
  EXPECT_EQ(c.inside, 0);
}

// Groups of several rows: a held-out group's band is the fit with its between-group term on the others
// (wider than their rows pooled when their means sit apart), and each band says how many groups it had.
TEST(BandCoverage, TheBandOfAHeldOutGroupIsTheGroupedFitOfTheOthers) {
  std::vector<ValidationCase> cases(8, dense_case());
  std::vector<ValidationRow> rows;
  const double factors[4][2] = {{0.90, 0.93}, {1.00, 1.02}, {1.10, 1.11}, {1.20, 1.24}};
  for (int g = 0; g < 4; ++g)
    for (double f : factors[g]) rows.push_back(row("g" + std::to_string(g), f));
  const BandCoverage c = leave_one_group_out_coverage(cases, rows);
  ASSERT_EQ(c.groups.size(), 4u);
  std::vector<GroupedFactor> others;
  for (int g = 1; g < 4; ++g)
    for (double f : factors[g]) others.push_back({"g" + std::to_string(g), f});
  const ModelErrorFit fit = fit_model_error(others);
  EXPECT_GT(fit.between_sd, 0);
  EXPECT_NEAR(c.groups[0].band_low, fit.quantile(0.1), 1e-12);
  EXPECT_NEAR(c.groups[0].band_high, fit.quantile(0.9), 1e-12);
  EXPECT_LT(c.groups[0].band_low, 1.005);  // the pooled rows' p10 is 1.01
  EXPECT_EQ(c.groups[0].other_groups, 3);
  EXPECT_EQ(c.fewest_other_groups(), 3);
}

}  // namespace trainplan
