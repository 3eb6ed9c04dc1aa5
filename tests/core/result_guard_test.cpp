// planner/core/result_guard: the last check on what a command prints.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "planner/core/result_guard.hpp"

namespace trainplan {
namespace {

PlanResult finite_result() {
  PlanResult r;
  r.valid = true;
  r.step_time_s = 1.5;
  r.mfu = 0.4;
  r.time_to_train_days = 30;
  return r;
}

TEST(ResultGuard, FiniteNonNegativeFiguresPass) {
  EXPECT_FALSE(first_bad_figure(finite_result()).has_value());
  EXPECT_FALSE(first_bad_figure(RunEconomics{}).has_value());
}

TEST(ResultGuard, NamesTheFirstNanInfiniteOrNegativeFigure) {
  PlanResult r = finite_result();
  r.step_time_s = std::nan("");
  EXPECT_EQ(first_bad_figure(r).value_or(""), "step_time_s = nan");
  r = finite_result();
  r.memory.activations_bytes = -3;  // e.g. a count that wrapped
  EXPECT_EQ(first_bad_figure(r).value_or(""), "memory.activations_bytes = -3");
  RunEconomics e;
  e.cost_usd = std::numeric_limits<double>::infinity();
  EXPECT_EQ(first_bad_figure(e).value_or(""), "cost_usd = inf");
}

TEST(ResultGuard, MonteCarloFiguresCountOnlyWhenItRan) {
  RunEconomics e;
  e.monte_carlo.mean_days = std::nan("");
  EXPECT_FALSE(first_bad_figure(e).has_value());
  e.monte_carlo.runs = 10;
  EXPECT_EQ(first_bad_figure(e).value_or(""), "monte_carlo.mean_days = nan");
}

}  // namespace
}  // namespace trainplan
