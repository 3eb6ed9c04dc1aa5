#pragma once
// When the layers leave the even space few pipeline sizes (pp must divide both the layers and the
// GPUs left by tp*cp), a pipeline with more stages, not all of the same size, can be much faster:
// the search says so with the figure (docs/search.md, "Uneven pipelines"). Pure: no I/O.
#include <optional>

#include "planner/core/search/plan_search.hpp"

namespace trainplan {

// The best plan with an uneven pipeline of more stages than any even layout of the space has, when
// it beats the best even plan `even_best`; nullopt when the space already allows uneven pipelines,
// fixes pp, has no such layout, or the uneven plan is no better. Searches only those larger pp.
std::optional<PlanResult> uneven_pipeline_alternative(const Scenario& scenario, const SearchSpace& space,
                                                      const SearchOptions& options, const PlanResult& even_best);

}  // namespace trainplan
