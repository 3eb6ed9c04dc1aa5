#pragma once
// The decision report's edge in the CLI: the --report FILE.html flag of plan, search, size, sweep and
// compare, and what those commands and `trainplan report` share to fill a DecisionReport from the
// results they computed (planner/io/html_report.hpp renders it).
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "planner/io/economics_loader.hpp"
#include "planner/io/html_report.hpp"
#include "uncertainty_options.hpp"

namespace trainplan {

// Simulated runs behind the report's p10..p90 when the command line asked for none (--runs).
inline constexpr int kReportMonteCarloRuns = 1000;

void add_report_option(boost::program_options::options_description& options, std::string& path);

// A report of `command` (its arguments as typed) on `scenario`: the economics settings (with
// kReportMonteCarloRuns simulated runs when --runs gave none), the fabric sized for the job.
DecisionReport start_report(const char* command, const std::vector<std::string>& args, const Scenario& scenario,
                            const LoadedEconomics& economics);

// A plan evaluated on `scenario`, with its failures, cost and energy under the report's settings.
ReportPlan report_plan(const DecisionReport& report, const Scenario& scenario, const PlanResult& result,
                       const std::string& label);
// One GPU count of a curve; `at_gpus` is the scenario at that count.
ReportSweepPoint report_point(const DecisionReport& report, const Scenario& at_gpus, const CountOutcome& outcome,
                              const std::string& problem);

// The answer's band: the ranges of the report's best valid plan under `uncertainty` (nothing when it
// samples nothing or no plan is valid). `scenario` is the one that plan was evaluated on.
void add_report_uncertainty(DecisionReport& report, const Scenario& scenario, const LoadedUncertainty& uncertainty);
// The same with ranges already computed (plan prints them too).
void add_report_uncertainty(DecisionReport& report, const UncertaintySummary& ranges, const std::string& source);

// The band of each point of `curve` with a plan: p10..p90 of its days with failures under
// `uncertainty` (nothing when it samples nothing or the job has no tokens). `scenario_at` gives the
// scenario at a point's count.
void add_curve_uncertainty(ReportSweepCurve& curve, const ScenarioAtGpus& scenario_at, const EconomicsModel& economics,
                           const LoadedUncertainty& uncertainty);

// The bundled validation set's summary (what `trainplan validate` prints at its end).
ReportValidation bundled_validation_summary();

// Adds the validation summary and writes the page to `path`; InputError naming `flag` when the file
// cannot be written.
void write_report_file(DecisionReport& report, const std::string& path, const char* flag = "--report");

}  // namespace trainplan
