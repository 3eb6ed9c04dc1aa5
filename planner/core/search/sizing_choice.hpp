#pragma once
// What `size` decides after its searches: the count to report (the fewest GPUs meeting the deadline,
// or the cheapest count searched that meets it), the best plan at one given count, and why nothing
// was found. Pure: no I/O; the cost of a count comes from the caller (cost_energy.hpp).
#include <functional>

#include "planner/core/search/cluster_sizing.hpp"

namespace trainplan {

enum class SizingGoal { fewest_gpus, least_cost };

// Among the counts of `result.searched` whose best plan's `days_of` are within `deadline_days`, the one
// whose `cost_of` is least (ties keep the fewer GPUs: the count first found wins). Leaves `result`
// as it is when nothing was found.
void choose_cheapest_meeting(SizingResult& result, double deadline_days,
                             const std::function<double(const CountOutcome&)>& cost_of,
                             const OutcomeDays& days_of = failure_free_days);

// The best plan at one count, as a sizing result (size --gpus N).
SizingResult size_at_count(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options, int gpus,
                           const CountStarted& started = {});

// Why a sizing found no count.
enum class SizingFailure {
  none,                 // found
  beyond_reach_below_grid,  // the fabric reaches fewer GPUs than the grid's first count
  needs_beyond_reach,   // the deadline needs more GPUs than the fabric connects
  no_count_meets,       // no count of the grid meets the deadline
  nothing_fits,         // size --gpus N: no plan fits at N
};
SizingFailure sizing_failure(const SizingResult& result, bool by_deadline, const GpuGrid& grid);

}  // namespace trainplan
