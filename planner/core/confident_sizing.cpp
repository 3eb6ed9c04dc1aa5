#include "planner/core/confident_sizing.hpp"

#include <chrono>
#include <map>

namespace trainplan {

SizingResult size_for_deadline_with_confidence(const ScenarioAtGpus& scenario_at, const SearchSpace& space,
                                               const SearchOptions& options, const GpuGrid& grid, double deadline_days,
                                               const ConfidentDays& confident_days, const CountStarted& started,
                                               int reach_gpus) {
  const auto start = std::chrono::steady_clock::now();
  SizingResult result;
  GpuGrid reachable = grid;
  if (beyond_reach(grid.last(), reach_gpus)) {
    reachable.max_gpus = reach_gpus;
    result.limited_by_reach = true;
  }
  result.reachable_last = reachable.last();
  std::map<int, std::size_t> searched_index;  // count -> position in result.searched
  const auto outcome_at = [&](int gpus) -> const CountOutcome& {
    const auto it = searched_index.find(gpus);
    if (it != searched_index.end()) return result.searched[it->second];
    if (started) started(gpus);
    searched_index[gpus] = result.searched.size();
    result.searched.push_back(best_plan_at(scenario_at, space, options, gpus));
    return result.searched.back();
  };
  const auto meets = [&](int gpus) {
    const CountOutcome& o = outcome_at(gpus);
    return o.found && confident_days(o) <= deadline_days;
  };
  const int gpus = smallest_count_meeting(meets, reachable);
  if (gpus > 0) {
    result.found = true;
    result.chosen = outcome_at(gpus);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace trainplan
