#pragma once
// The candidates of the model-parallel knobs before a GPU count's divisibility, as the search
// enumerates them (defined in plan_search.cpp, where enumerate_layouts combines them): tp, pp
// (divisors of the layers unless uneven) and cp (divisors of seq_len), each within its bounds.
#include <vector>

#include "planner/core/search/plan_search.hpp"

namespace trainplan {

std::vector<int> tensor_parallel_sizes(const Scenario& scenario, const SearchSpace& space);
std::vector<int> pipeline_sizes(const Scenario& scenario, const SearchSpace& space);
std::vector<int> context_parallel_sizes(const SearchSpace& space);

}  // namespace trainplan
