#include "evaluate.hpp"

namespace trainplan {
PlanResult evaluate(const Scenario&, const ParallelPlan& plan) {
  PlanResult r;
  r.plan = plan;
  r.problems.push_back("under construction");
  return r;
}
}  // namespace trainplan
