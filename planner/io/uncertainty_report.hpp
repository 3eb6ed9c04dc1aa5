#pragma once
// Rendering the ranges of a plan's days and cost (planner/core/economics/uncertainty): a table section for
// people and JSON keys for scripts (time_to_train_days_p10/_p50/_p90, cost_usd_p10/_p50/_p90, with
// failures, beside the point estimates; the failure-free range and the tornado under `uncertainty`).
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "planner/core/economics/uncertainty.hpp"

namespace trainplan {

// Top-level keys (the six ranges) plus `uncertainty`: samples, seed, the failure-free range, the
// tornado and the input distributions with their sources.
nlohmann::json uncertainty_json(const UncertaintySummary& summary, const UncertaintyModel& model, const std::string& source);

// `sampling`: what each sample re-evaluated, for the heading.
void write_uncertainty_table(const UncertaintySummary& summary, std::ostream& out,
                             const std::string& sampling = "layout kept, not re-searched");

// The ranges alone, for rows of size, sweep and compare: JSON keys time_to_train_days_p10/_p50/_p90,
// time_to_train_days_failure_free_p10/_p50/_p90 and cost_usd_p10/_p50/_p90 (the same names as CSV
// headers); null values without a summary.
nlohmann::json range_keys_json(const UncertaintySummary* summary);
std::vector<std::string> range_csv_header();
std::vector<std::string> range_csv_cells(const UncertaintySummary* summary);
// "57.4-67.4-97.9": days with failures p10-p50-p90, for a table cell ("-" without a summary).
std::string range_table_cell(const UncertaintySummary* summary);

}  // namespace trainplan
