#pragma once
// Notes on how one reported plan was costed: what a reader would otherwise have to work out from its
// breakdown. Pure; called once per reported plan, not inside the search.
#include <string>
#include <vector>

#include "planner/core/plan_result.hpp"

namespace trainplan {

std::vector<std::string> plan_costing_notes(const PlanResult& result);

}  // namespace trainplan
