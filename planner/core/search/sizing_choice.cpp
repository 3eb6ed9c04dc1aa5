#include "planner/core/search/sizing_choice.hpp"

namespace trainplan {

void choose_cheapest_meeting(SizingResult& result, double deadline_days,
                             const std::function<double(const CountOutcome&)>& cost_of, const OutcomeDays& days_of) {
  if (!result.found) return;
  double cheapest = cost_of(result.chosen);
  for (const CountOutcome& o : result.searched) {
    if (!o.found || days_of(o) > deadline_days) continue;
    const double cost = cost_of(o);
    if (cost < cheapest) {
      cheapest = cost;
      result.chosen = o;
    }
  }
}

SizingResult size_at_count(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options, int gpus,
                           const CountStarted& started) {
  if (started) started(gpus);
  SizingResult result;
  result.searched.push_back(best_plan_at(scenario_at, space, options, gpus));
  result.found = result.searched.back().found;
  result.chosen = result.searched.back();
  result.seconds = result.chosen.seconds;
  return result;
}

SizingFailure sizing_failure(const SizingResult& result, bool by_deadline, const GpuGrid& grid) {
  if (result.found) return SizingFailure::none;
  if (!by_deadline) return SizingFailure::nothing_fits;
  if (!result.limited_by_reach) return SizingFailure::no_count_meets;
  return result.reachable_last < grid.first() ? SizingFailure::beyond_reach_below_grid : SizingFailure::needs_beyond_reach;
}

}  // namespace trainplan
