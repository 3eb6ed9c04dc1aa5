#include "planner/core/search/sweep.hpp"

#include <gtest/gtest.h>

namespace trainplan {

TEST(PointProblem, ReachComesFirstThenNoLayoutThenNothingFits) {
  CountOutcome p;
  p.reachable = false;
  EXPECT_EQ(point_problem(p), PointProblem::beyond_reach);
  p.reachable = true;
  EXPECT_EQ(point_problem(p), PointProblem::no_layout);
  p.evaluated = 10;
  EXPECT_EQ(point_problem(p), PointProblem::none_fits);
  p.found = true;
  EXPECT_EQ(point_problem(p), PointProblem::none);
}

TEST(SweepTotals, AddTheEvaluationsOfEveryPointOfEverySeries) {
  CountOutcome a, b, c;
  a.evaluated = 5;
  b.evaluated = 7;
  c.evaluated = 11;
  c.found = true;
  SweepSeries one, two;
  one.points = {a, b};
  two.points = {c};
  EXPECT_EQ(sweep_totals({one}).evaluated, 12);
  EXPECT_FALSE(sweep_totals({one}).any_found);
  EXPECT_EQ(sweep_totals({one, two}).evaluated, 23);
  EXPECT_TRUE(sweep_totals({one, two}).any_found);
}

}  // namespace trainplan
