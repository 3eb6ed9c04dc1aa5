#pragma once
// Sections of the decision report kept in files of their own (html_report.cpp writes the rest and
// calls these): the answer's uncertainty band, the cost breakdown, and the run over calendar time.
#include <iosfwd>

#include "html_report.hpp"

namespace trainplan {

// The band under the answer: p10 / p50 / p90 of days (with failures and failure-free) and cost under
// the uncertainty model, and the inputs that move it most; or why there is none.
void write_uncertainty_band(const DecisionReport& report, std::ostream& out);

// The cost breakdown as a table (the plan JSON's `cost_breakdown`): the purchase by part, the amortised
// share, energy and rent, each with what it is, whether the cost includes it, and its source.
void write_cost_breakdown_table(const RunEconomics& economics, std::ostream& out);

// The calendar's answer (finish dates, failure-free and with failures) for the top of the page.
void write_calendar_answer(const DecisionReport& report, std::ostream& out);
// The calendar section: tokens by date (chart), the arrival phases, each stretch with its layout.
void write_calendar_section(const DecisionReport& report, std::ostream& out);

}  // namespace trainplan
