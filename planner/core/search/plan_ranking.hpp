#pragma once
// Every plan of a search space that fits, ranked: what the re-search per uncertainty sample walks
// (researched_uncertainty.cpp). The same enumeration, memory pruning and caches as search_plans.
#include <cstdint>
#include <limits>
#include <vector>

#include "planner/core/search/plan_search.hpp"

namespace trainplan {

struct RankedPlan {
  double objective = 0;     // objective_value on the scenario searched
  std::uint64_t order = 0;  // enumeration position (ties go to the lower, as in search_plans)
  ParallelPlan plan;
};

// Every fitting plan whose objective is at most `keep_at_most` (default: every one), best first
// (objective, then order). options.top, prune_by_bound and bound_cutoff are not used; a plan whose
// step-time bound (step_time_bound.hpp) exceeds keep_at_most is skipped unevaluated. `counts`
// (optional) receives layouts, evaluated, feasible and skipped_by_bound.
std::vector<RankedPlan> rank_all_plans(const Scenario& scenario, const SearchSpace& space, const SearchOptions& options,
                                       SearchResult* counts = nullptr,
                                       double keep_at_most = std::numeric_limits<double>::infinity());

}  // namespace trainplan
