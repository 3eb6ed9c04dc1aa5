#pragma once
// The scenario of a search setup at any GPU count (size and sweep plan many counts), and the
// fabric's reach that bounds those counts.
#include <string>

#include "planner/core/search/cluster_sizing.hpp"
#include "search_options.hpp"

namespace trainplan {

// The scenario at a GPU count, with the fabric sized for that count. It does not refuse a count
// beyond the fabric's reach: callers keep those out with fabric_reach_gpus (size_for_deadline and
// sweep_counts take it).
ScenarioAtGpus scenario_at_gpus(const SearchSetup& setup);

// The most GPUs the setup's fabric connects (FabricSize::max_gpus).
int fabric_reach_gpus(const SearchSetup& setup);

}  // namespace trainplan
