#include "planner/core/search/cluster_sizing.hpp"

#include <algorithm>
#include <chrono>
#include <map>

namespace trainplan {

ScenarioAtGpus scenario_with_gpus(const Scenario& base) {
  return [base](int gpus) {
    Scenario sc = base;
    sc.job.gpus = gpus;
    return sc;
  };
}

int GpuGrid::first() const {
  const int s = std::max(1, step);
  const int lowest = std::max(min_gpus, s);
  return (lowest + s - 1) / s * s;
}

int GpuGrid::last() const {
  const int s = std::max(1, step);
  return max_gpus / s * s;
}

bool beyond_reach(int gpus, int reach_gpus) { return reach_gpus > 0 && gpus > reach_gpus; }

CountOutcome best_plan_at(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options,
                          int gpus) {
  SearchOptions one = options;
  one.top = 1;
  const SearchResult r = search_plans(scenario_at(gpus), space, one);
  CountOutcome out;
  out.gpus = gpus;
  out.found = !r.plans.empty();
  if (out.found) out.best = r.plans.front();
  out.evaluated = r.evaluated;
  out.feasible = r.feasible;
  out.seconds = r.seconds;
  return out;
}

int smallest_count_meeting(const std::function<bool(int gpus)>& meets, const GpuGrid& grid) {
  const int step = std::max(1, grid.step);
  const int first = grid.first();
  const int last = grid.last();
  if (first > last) return 0;
  // Gallop up the ladder until a rung meets the predicate. The ladder does not depend on the
  // predicate, which is what keeps the answer monotone in it.
  int below = 0;  // the highest rung known to fail (0: none)
  int rung = first;
  for (;;) {
    if (meets(rung)) break;
    if (rung == last) return 0;
    below = rung;
    rung = static_cast<int>(std::min<long long>(2LL * rung, last));
  }
  // Bisection over the grid's multiples in (below, rung]: the answer is the first that meets it,
  // assuming counts above a meeting count meet it too.
  int lo = below / step + 1;  // in units of step
  int hi = rung / step;       // known to meet
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (meets(mid * step))
      hi = mid;
    else
      lo = mid + 1;
  }
  return hi * step;
}

double failure_free_days(const CountOutcome& outcome) { return outcome.best.time_to_train_days; }

SizingResult size_for_deadline(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options,
                               const GpuGrid& grid, double deadline_days, const CountStarted& started,
                               int reach_gpus, const OutcomeDays& days_of) {
  const auto start = std::chrono::steady_clock::now();
  SizingResult result;
  // The ladder runs over the grid capped at the fabric's reach; it still does not depend on the
  // deadline, so the answer stays monotone in it.
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
    return o.found && days_of(o) <= deadline_days;
  };
  const int gpus = smallest_count_meeting(meets, reachable);
  if (gpus > 0) {
    result.found = true;
    result.chosen = outcome_at(gpus);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

std::vector<CountOutcome> sweep_counts(const ScenarioAtGpus& scenario_at, const SearchSpace& space,
                                       const SearchOptions& options, const std::vector<int>& counts,
                                       const CountStarted& started, int reach_gpus) {
  std::vector<CountOutcome> points;
  points.reserve(counts.size());
  for (int gpus : counts) {
    if (started) started(gpus);
    if (beyond_reach(gpus, reach_gpus)) {
      CountOutcome unreachable;
      unreachable.gpus = gpus;
      unreachable.reachable = false;
      points.push_back(unreachable);
      continue;
    }
    points.push_back(best_plan_at(scenario_at, space, options, gpus));
  }
  return points;
}

}  // namespace trainplan
