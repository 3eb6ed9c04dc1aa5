#pragma once
// Rendering the ranges of a plan's days and cost (planner/core/economics/uncertainty): a table section for
// people and JSON keys for scripts (time_to_train_days_p10/_p50/_p90, cost_usd_p10/_p50/_p90, with
// failures, beside the point estimates; the failure-free range and the tornado under `uncertainty`).
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "planner/core/economics/uncertainty.hpp"

namespace trainplan {

// Top-level keys (the six ranges) plus `uncertainty`: samples, seed, the failure-free range, the
// tornado and the input distributions with their sources.
nlohmann::json uncertainty_json(const UncertaintySummary& summary, const UncertaintyModel& model, const std::string& source);

void write_uncertainty_table(const UncertaintySummary& summary, std::ostream& out);

}  // namespace trainplan
