#pragma once
// One line of settings and figures per plan, for the table and CSV reporters of search, size and sweep.
#include <string>
#include <vector>

#include "planner/core/plan_result.hpp"

namespace trainplan {

std::vector<std::string> plan_row_header();
std::vector<std::string> plan_row(const PlanResult& result);

}  // namespace trainplan
