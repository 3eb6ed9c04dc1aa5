#include "planner/core/economics/model_error_fit.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace trainplan {

// Closed case: group a has log factors 0.1 and 0.3, group b -0.1 and -0.3. mu = 0; within: deviations
// +-0.1, s_w^2 = 0.04 / 2 = 0.02; the group means +-0.2 vary by 0.08, of which 0.02 / 2 is row noise:
// tau^2 = 0.07. Offsets +-0.2 x sqrt(0.07 / 0.08), deviations +-0.1 x sqrt(0.02 / 0.01).
TEST(ModelErrorFit, TheGroupTermIsTheSpreadOfTheGroupMeansLessTheRowNoise) {
  const std::vector<GroupedFactor> rows{{"a", std::exp(0.1)}, {"a", std::exp(0.3)}, {"b", std::exp(-0.1)}, {"b", std::exp(-0.3)}};
  const ModelErrorFit fit = fit_model_error(rows);
  EXPECT_EQ(fit.groups, 2);
  EXPECT_EQ(fit.rows, 4);
  EXPECT_NEAR(fit.log_centre, 0, 1e-12);
  EXPECT_NEAR(fit.within_sd, std::sqrt(0.02), 1e-12);
  EXPECT_NEAR(fit.between_sd, std::sqrt(0.07), 1e-12);
  ASSERT_EQ(fit.factors.size(), 8u);  // 2 offsets x 4 deviations
  const double offset = 0.2 * std::sqrt(0.07 / 0.08), deviation = 0.1 * std::sqrt(2.0);
  EXPECT_NEAR(fit.factors.front(), std::exp(-offset - deviation), 1e-12);
  EXPECT_NEAR(fit.factors.back(), std::exp(offset + deviation), 1e-12);
  // Wider than the rows pooled: their largest factor is e^0.3.
  EXPECT_GT(fit.factors.back(), std::exp(0.3));
}

// Groups of one row carry no within-group scatter: the fit is the groups' factors themselves.
TEST(ModelErrorFit, OneRowPerGroupGivesTheRowsBack) {
  const ModelErrorFit fit = fit_model_error({{"a", 0.9}, {"b", 1.0}, {"c", 1.2}});
  EXPECT_NEAR(fit.within_sd, 0, 1e-12);
  ASSERT_EQ(fit.factors.size(), 3u);
  EXPECT_NEAR(fit.factors[0], 0.9, 1e-12);
  EXPECT_NEAR(fit.factors[1], 1.0, 1e-12);
  EXPECT_NEAR(fit.factors[2], 1.2, 1e-12);
  const std::vector<double> list = fit.quantile_list(3);
  ASSERT_EQ(list.size(), 3u);
  EXPECT_NEAR(list[1], 1.0, 1e-12);
}

// Group means no further apart than row noise explains: no group term, only the within scatter.
TEST(ModelErrorFit, NoBetweenGroupSpreadWhenTheRowNoiseExplainsTheMeans) {
  const std::vector<GroupedFactor> rows{{"a", std::exp(0.1)}, {"a", std::exp(-0.1)}, {"b", std::exp(0.11)}, {"b", std::exp(-0.09)}};
  const ModelErrorFit fit = fit_model_error(rows);
  EXPECT_EQ(fit.between_sd, 0);
  EXPECT_GT(fit.within_sd, 0);
}

TEST(ModelErrorFit, NothingToFit) {
  const ModelErrorFit fit = fit_model_error({{"a", 0.0}, {"b", std::nan("")}});
  EXPECT_EQ(fit.groups, 0);
  EXPECT_TRUE(fit.factors.empty());
  EXPECT_EQ(fit.quantile(0.9), 1.0);
}

}  // namespace trainplan
