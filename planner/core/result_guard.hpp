#pragma once
// The last check before a result is shown: every figure a plan or its economics reports must be a
// finite number >= 0. Inputs inside their ranges can still combine into an overflow or a 0/0; the
// CLI turns what these return into a one-line error naming the inputs, never a JSON null or a
// negative time with exit status 0.
#include <optional>
#include <string>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/calendar/training_schedule.hpp"

namespace trainplan {

// "step_time_s = nan": the first figure of `result` that is not a finite number >= 0, if any.
std::optional<std::string> first_bad_figure(const PlanResult& result);
// The same over the failure, cost and energy figures (Monte-Carlo ones when it ran).
std::optional<std::string> first_bad_figure(const RunEconomics& economics);
// The same over a calendar run: the finish day, each stretch's days, tokens and rate, and its plan.
std::optional<std::string> first_bad_figure(const CalendarResult& calendar);

}  // namespace trainplan
