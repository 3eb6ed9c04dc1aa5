#include "report_output.hpp"

#include <fstream>

#include "output_path.hpp"
#include "plan_options.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/core/plan_notes.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/validation_loader.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

// An argument as a shell reads it back: bare when it is plain, else in single quotes.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                             "-_=.,:/+@%") == std::string::npos;
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// --report's notifier: an empty name is refused, never taken as "no page". A named function, not a
// lambda: GCC 12 warns (maybe-uninitialized) inside boost::function when it copies a lambda.
void refuse_empty_report_path(const std::string& given) {
  if (given.empty()) throw InputError("command line", "--report", "expects a file name (e.g. report.html)");
}

}  // namespace

void add_report_option(po::options_description& options, std::string& path) {
  options.add_options()("report", po::value(&path)->notifier(&refuse_empty_report_path),
                        "also write the decision report, one self-contained HTML page, to this file (docs/report.md)");
}

DecisionReport start_report(const char* command, const std::vector<std::string>& args, const Scenario& scenario,
                            const LoadedEconomics& economics) {
  DecisionReport report;
  report.command = command;
  report.command_line = std::string("trainplan ") + command;
  for (const std::string& a : args) report.command_line += " " + shell_word(a);
  report.scenario = scenario;
  report.economics_model = economics.model;
  report.economics_provenance = economics.provenance;
  MonteCarloSettings& mc = report.economics_model.monte_carlo;
  if (mc.runs <= 0) {
    mc.runs = kReportMonteCarloRuns;
    report.monte_carlo_note = "The p10..p90 range comes from " + std::to_string(kReportMonteCarloRuns) +
                              " simulated runs (seed " + std::to_string(mc.seed) +
                              ") that the report ran, since --runs asked for none; --runs N sets the count.";
  } else {
    report.monte_carlo_note = "The p10..p90 range comes from " + std::to_string(mc.runs) + " simulated runs (--runs), seed " +
                              std::to_string(mc.seed) + ".";
  }
  report.fabric_size = size_fabric(scenario.fabric, scenario.job.gpus);
  report.has_fabric_size = true;
  return report;
}

ReportPlan report_plan(const DecisionReport& report, const Scenario& scenario, const PlanResult& result, const std::string& label) {
  ReportPlan plan;
  plan.label = label;
  plan.fabric = scenario.fabric.name;
  plan.result = result;
  if (result.valid) {
    plan.result.notes = plan_costing_notes(result);  // how it was costed, as `plan` says it, whichever command reports it
    plan.economics = plan_economics(scenario, result, report.economics_model);
    plan.has_economics = true;
  }
  return plan;
}

ReportSweepPoint report_point(const DecisionReport& report, const Scenario& at_gpus, const CountOutcome& outcome,
                              const std::string& problem) {
  ReportSweepPoint point;
  point.outcome = outcome;
  point.problem = problem;
  if (outcome.found) {
    point.economics = plan_economics(at_gpus, outcome.best, report.economics_model);
    point.has_economics = true;
  }
  return point;
}

void add_report_uncertainty(DecisionReport& report, const UncertaintySummary& ranges, const std::string& source) {
  if (report.scenario.job.training_tokens <= 0) return;  // no days to range without --tokens
  report.has_uncertainty = true;
  report.uncertainty = ranges;
  report.uncertainty_source = source;
}

void add_report_uncertainty(DecisionReport& report, const Scenario& scenario, const LoadedUncertainty& uncertainty) {
  if (!uncertainty.enabled || report.scenario.job.training_tokens <= 0) return;
  for (const ReportPlan& p : report.plans)
    if (p.result.valid) {
      add_report_uncertainty(report, plan_uncertainty(scenario, p.result.plan, report.economics_model, uncertainty.model),
                             uncertainty.source);
      return;
    }
}

void add_curve_uncertainty(ReportSweepCurve& curve, const ScenarioAtGpus& scenario_at, const EconomicsModel& economics,
                           const LoadedUncertainty& uncertainty) {
  if (!uncertainty.enabled) return;
  for (ReportSweepPoint& p : curve.points) {
    if (!p.outcome.found || !p.outcome.reachable) continue;
    const Scenario at = scenario_at(p.outcome.gpus);
    if (at.job.training_tokens <= 0) return;
    const UncertaintySummary s = plan_uncertainty(at, p.outcome.best.plan, economics, uncertainty.model);
    if (s.valid_samples == 0) continue;
    p.has_range = true;
    p.days_range = s.days;
  }
}

ReportValidation bundled_validation_summary() {
  std::vector<ValidationRow> rows;
  for (const ValidationCase& c : bundled_validation_set().cases) rows.push_back(run_validation_case(c));
  return {summarize(rows, false), summarize(rows, true), summarize_groups(rows)};
}

void write_report_file(DecisionReport& report, const std::string& path, const char* flag) {
  if (path.empty()) throw InputError("command line", flag, "expects a file name (e.g. report.html)");
  if (!report.has_validation) {
    report.validation = bundled_validation_summary();
    report.has_validation = true;
  }
  check_output_path(path, flag);
  std::ofstream file(path);
  if (!file) throw InputError(std::string(flag) + " " + path, "", "cannot write the file");
  write_html_report(report, file);
  if (!file) throw InputError(std::string(flag) + " " + path, "", "writing the file failed");
}

}  // namespace trainplan
