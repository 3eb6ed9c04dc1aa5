#pragma once
// How many GPUs a deadline needs, how long a GPU count takes, and the curve between counts: each a
// loop of plan searches (plan_search.hpp). Pure: no I/O. docs/search.md states the assumptions.
#include <cstdint>
#include <functional>
#include <vector>

#include "planner/core/search/plan_search.hpp"

namespace trainplan {

// The scenario at a GPU count (the caller sizes the fabric for the job).
using ScenarioAtGpus = std::function<Scenario(int gpus)>;
// Copies `base` and sets its GPU count (a fabric that does not depend on the count).
ScenarioAtGpus scenario_with_gpus(const Scenario& base);

// GPU counts a job may use: multiples of `step` (a node, or a pod) from min_gpus to max_gpus.
struct GpuGrid {
  int step = 8;
  int min_gpus = 0;          // 0: step; otherwise rounded up to a multiple of step
  int max_gpus = 1 << 20;    // rounded down to a multiple of step
  int first() const;
  int last() const;
};

// True when `gpus` is beyond `reach_gpus`, the most GPUs the fabric connects (FabricSize::max_gpus;
// 0: no limit). Such counts are infeasible: size and sweep never plan them.
bool beyond_reach(int gpus, int reach_gpus);

// The best plan at one GPU count.
struct CountOutcome {
  int gpus = 0;
  bool found = false;        // some plan fits in memory
  PlanResult best;           // valid only when found
  std::int64_t evaluated = 0;
  std::int64_t feasible = 0;
  double seconds = 0;
  bool reachable = true;     // false: more GPUs than the fabric connects; not planned (found is false)
  double gpu_days() const { return found ? gpus * best.time_to_train_days : 0.0; }
};

// Called before each count is searched (the CLI labels its progress bar with it).
using CountStarted = std::function<void(int gpus)>;

CountOutcome best_plan_at(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options,
                          int gpus);

// The smallest count of the grid's doubling ladder (first, 2*first, 4*first, ..., last) meeting the
// predicate, then bisection on the grid between that rung and the one before it. Exact when `meets`
// is monotone in the count; otherwise a count that meets it, not always the smallest. Either way the
// answer is monotone in the predicate: if meets_a(n) implies meets_b(n) for every n, the answer for
// b is never above the answer for a (docs/search.md has the argument). 0: no count meets it.
int smallest_count_meeting(const std::function<bool(int gpus)>& meets, const GpuGrid& grid);

struct SizingResult {
  bool found = false;
  CountOutcome chosen;                // the count and its best plan (when found)
  std::vector<CountOutcome> searched; // every count searched, in search order
  double seconds = 0;
  // The fabric's reach cut the grid: counts above reachable_last were not considered. With found
  // false, the deadline needs more GPUs than the fabric connects (or its reach is below the grid).
  bool limited_by_reach = false;
  int reachable_last = 0;             // the largest count considered (the grid's last, or below the reach)
};

// The days a count's best plan takes by the measure the deadline is held to: its failure-free days
// (the default), its days with failures, checkpoints and restarts (the CLI binds the economics), or
// those days at a stated confidence (the CLI binds the uncertainty model, e.g. the p90 for 0.9).
using OutcomeDays = std::function<double(const CountOutcome& outcome)>;
double failure_free_days(const CountOutcome& outcome);

// The smallest GPU count whose best plan's `days_of` are within `deadline_days` (counts whose plan
// does not fit never meet it). Counts beyond `reach_gpus` (the fabric's FabricSize::max_gpus; 0: no
// limit) are never searched nor chosen: the ladder is the grid's, capped at the reach.
SizingResult size_for_deadline(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options,
                               const GpuGrid& grid, double deadline_days, const CountStarted& started = {},
                               int reach_gpus = 0, const OutcomeDays& days_of = failure_free_days);
// The best plan at each count, in the order given. A count beyond `reach_gpus` (0: no limit) is not
// planned: its outcome has reachable and found false (`started` is still called for it).
std::vector<CountOutcome> sweep_counts(const ScenarioAtGpus& scenario_at, const SearchSpace& space,
                                       const SearchOptions& options, const std::vector<int>& counts,
                                       const CountStarted& started = {}, int reach_gpus = 0);

}  // namespace trainplan
