#pragma once
// Rendering a PlanResult: one interface, three back ends (table for people, JSON and CSV for scripts).
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/economics/uncertainty.hpp"  // ---- uncertainty ranges ----

namespace trainplan {

enum class ReportFormat { table, json, csv };
// Parses --format; throws InputError naming the flag.
ReportFormat parse_report_format(const std::string& text, const char* allowed = "table, json, csv");

// The plan's settings as they were evaluated (dp resolved).
nlohmann::json plan_settings_json(const ParallelPlan& plan);
// The `plan` keys of the JSON contract (params_total ... breakdown), plus memory and notes.
nlohmann::json plan_result_json(const PlanResult& result);

// Which of the scenario's hardware numbers are measured and which are published defaults.
nlohmann::json provenance_json(const Scenario& scenario, const ParallelPlan& plan);

// Failures, goodput, cost and energy of a plan (keys scripts read: cost_usd, energy_mwh, power_mw,
// goodput, time_to_train_days with failures, time_to_train_days_failure_free) and their parts.
nlohmann::json economics_json(const RunEconomics& economics);

// `economics` may be null (nothing beyond the step time is reported then). `uncertainty` (with the
// model it was drawn from and that model's source) may be null: no p10/p50/p90 ranges.
struct UncertaintyReport {  // ---- uncertainty ranges (planner/io/uncertainty_report) ----
  const UncertaintySummary* summary = nullptr;
  const UncertaintyModel* model = nullptr;
  std::string source;
};
void write_plan_report(const Scenario& scenario, const PlanResult& result, const RunEconomics* economics,
                       ReportFormat format, std::ostream& out, const UncertaintyReport& uncertainty = {});

}  // namespace trainplan
