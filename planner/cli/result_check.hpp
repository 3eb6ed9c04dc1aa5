#pragma once
// The CLI's last check on what it is about to print (planner/core/result_guard.hpp): a figure that
// is NaN, infinite or negative, or a Monte-Carlo simulation that was asked for but too large to
// run, becomes an InputError naming the inputs, so bad input never ends in exit status 0.
#include <string>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/calendar/training_schedule.hpp"

namespace trainplan {

// Throws InputError when a valid `result` holds a figure that is not a finite number >= 0.
void check_result_figures(const Scenario& scenario, const PlanResult& result);
// The same over the economics; `model` says whether Monte-Carlo runs were asked for.
void check_economics_figures(const Scenario& scenario, const PlanResult& result, const RunEconomics& economics,
                             const EconomicsModel& model);
// The same over a calendar run (plan/size --schedule) of `scenario` with the schedule `source`.
void check_calendar_figures(const Scenario& scenario, const std::string& source, const CalendarResult& calendar);

}  // namespace trainplan
