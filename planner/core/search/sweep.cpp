#include "planner/core/search/sweep.hpp"

namespace trainplan {

SweepTotals sweep_totals(const std::vector<SweepSeries>& series) {
  SweepTotals t;
  for (const SweepSeries& s : series)
    for (const CountOutcome& p : s.points) {
      t.evaluated += p.evaluated;
      t.any_found = t.any_found || p.found;
    }
  return t;
}

PointProblem point_problem(const CountOutcome& p) {
  if (!p.reachable) return PointProblem::beyond_reach;
  if (p.found) return PointProblem::none;
  return p.evaluated == 0 ? PointProblem::no_layout : PointProblem::none_fits;
}

}  // namespace trainplan
