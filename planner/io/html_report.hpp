#pragma once
// The decision report: one self-contained HTML page (inline CSS, SVG and a few lines of JS; nothing
// fetched) that a decision-maker reads from top to bottom: the question and the answer with its range,
// the best layouts, where a step's time goes, the curve over GPU counts with its deadline, the
// fabric's bill of materials and the cost, failures and goodput, every assumption, the provenance of
// every hardware figure, and how far the model is from published runs. Built from the result structs
// the commands compute (never by re-reading their text output). docs/report.md describes the page.
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "planner/core/search/cluster_sizing.hpp"
#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/core/validation.hpp"
#include "planner/core/economics/uncertainty.hpp"
#include "planner/io/calendar_report.hpp"
#include "planner/io/svg_chart.hpp"

namespace trainplan {

// One evaluated plan and, when it is valid, its failures, cost and energy.
struct ReportPlan {
  std::string label;              // "1" (a rank), or a compare variant's name
  std::string fabric;             // the fabric it ran on (compare: one per variant)
  PlanResult result;
  bool has_economics = false;
  RunEconomics economics;
};

// One GPU count of a sweep.
struct ReportSweepPoint {
  CountOutcome outcome;
  bool has_economics = false;     // set for counts with a plan
  RunEconomics economics;
  std::string problem;            // why there is no plan ("no layout", "none fits", ...); "" with one
  // Days with failures under the uncertainty model (the model's own error and the uncertain inputs,
  // planner/core/economics/uncertainty): the curve's band when set, else the Monte-Carlo one.
  bool has_range = false;
  Percentiles days_range;
};

struct ReportSweepCurve {
  std::string fabric;
  std::vector<ReportSweepPoint> points;
};

// The validation set's summary (trainplan validate).
struct ReportValidation {
  ValidationSummary timing;       // timing rows
  ValidationSummary parameters;   // parameter-count rows
  std::vector<GroupSummary> groups;
};

struct DecisionReport {
  std::string command;            // the trainplan command that wrote it ("plan", "report", ...)
  std::string command_line;       // as typed, for the reader to rerun
  std::string question;           // one sentence; empty: composed from the scenario
  Scenario scenario;              // at the answer's GPU count
  EconomicsModel economics_model;
  std::map<std::string, Provenance> economics_provenance;  // dotted key -> where the number came from
  std::string monte_carlo_note;   // e.g. that the report chose the run count
  std::vector<ReportPlan> plans;  // best first (compare: one per variant)
  std::string plans_caption;
  bool has_fabric_size = false;
  FabricSize fabric_size;         // the scenario's fabric sized for its GPU count
  std::vector<ReportSweepCurve> sweep;
  double deadline_days = 0;       // 0: none
  std::vector<std::string> answer_notes;  // sentences under the answer (how it was found)
  bool has_validation = false;
  ReportValidation validation;
  // The best plan's ranges under the uncertainty model (planner/core/economics/uncertainty): the
  // answer's band. Absent when nothing was sampled (--uncertainty-samples 0, or compare and sweep).
  bool has_uncertainty = false;
  UncertaintySummary uncertainty;
  std::string uncertainty_source;  // where the distributions come from
  // A run over calendar time (plan/size --schedule): the finish dates answer; `plans` hold the last
  // stretch's plan. calendar.schedule must outlive the report.
  bool has_calendar = false;
  CalendarReport calendar;
};

// The curve over GPU counts: time to train failure-free (solid) and with failures (dashed, with the
// Monte-Carlo p10..p90 band when simulated) and the deadline; MFU; cost. Gaps say why.
svg::LineChart sweep_chart(const std::vector<ReportSweepCurve>& curves, const std::string& title, double deadline_days);

// A horizontal bar of the step's parts (compute, each exposed communication, bubble, optimizer),
// with a legend under it; an SVG element without the XML prolog.
std::string step_breakdown_svg(const StepBreakdown& breakdown);

// The question the report answers, composed from the scenario and the command.
std::string default_question(const DecisionReport& report);

void write_html_report(const DecisionReport& report, std::ostream& out);
std::string html_report(const DecisionReport& report);

}  // namespace trainplan
