#include "planner/core/search/uneven_pipeline_hint.hpp"

#include <algorithm>

namespace trainplan {

std::optional<PlanResult> uneven_pipeline_alternative(const Scenario& sc, const SearchSpace& space, const SearchOptions& options,
                                                      const PlanResult& even_best) {
  // A given pipeline layout fixes every stage's layers: no uneven split to suggest.
  if (space.uneven_pipeline || space.base.pipeline_layout.given() || (space.pp.max > 0 && space.pp.min == space.pp.max))
    return std::nullopt;
  int largest_even = 0;
  for (const ParallelPlan& layout : enumerate_layouts(sc, space)) largest_even = std::max(largest_even, layout.pp);
  if (largest_even == 0) return std::nullopt;
  SearchSpace uneven = space;
  uneven.uneven_pipeline = true;
  uneven.pp.min = std::max(space.pp.min, largest_even + 1);
  if (uneven.pp.max > 0 && uneven.pp.min > uneven.pp.max) return std::nullopt;
  SearchOptions one = options;
  one.top = 1;
  one.progress = nullptr;
  const SearchResult r = search_plans(sc, uneven, one);
  if (r.plans.empty()) return std::nullopt;
  if (objective_value(r.plans.front(), options.objective) >= objective_value(even_best, options.objective)) return std::nullopt;
  return r.plans.front();
}

}  // namespace trainplan
