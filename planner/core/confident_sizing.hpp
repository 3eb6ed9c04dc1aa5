#pragma once
// Sizing with a stated confidence: the fewest GPUs whose best plan trains within the deadline in a
// fraction `confidence` of the uncertainty model's samples (with failures, checkpoints and restarts;
// the uncertainty model: uncertainty.hpp). Pure: the ranges of a count come from the caller.
#include <functional>

#include "planner/core/search/cluster_sizing.hpp"

namespace trainplan {

// The days (with failures) that the best plan at a count stays within with the stated confidence,
// e.g. the p90 of its samples for 0.9. The caller binds the uncertainty model and the economics.
using ConfidentDays = std::function<double(const CountOutcome& outcome)>;

// The smallest count of the grid (the ladder and bisection of smallest_count_meeting, capped at the
// fabric's reach as size_for_deadline does) whose best plan's `confident_days` are within
// `deadline_days`. Counts whose plan does not fit never meet it.
SizingResult size_for_deadline_with_confidence(const ScenarioAtGpus& scenario_at, const SearchSpace& space,
                                               const SearchOptions& options, const GpuGrid& grid, double deadline_days,
                                               const ConfidentDays& confident_days, const CountStarted& started = {},
                                               int reach_gpus = 0);

}  // namespace trainplan
