// trainplan plan: one plan, every term of its estimate.
#include <algorithm>
#include <ostream>

#include "framework_options.hpp"  // ---- Megatron-LM / NeMo names ----
#include "calendar_options.hpp"  // plan --schedule
#include "commands.hpp"
#include "plan_options.hpp"
#include "planner/io/plan_report.hpp"
#include "planner/core/plan_notes.hpp"  // how the plan was costed
#include "planner/core/search/layout_shortfall.hpp"  // ---- nearest counts ----
#include "planner/io/layout_shortfall_text.hpp"
#include "report_output.hpp"
#include "uncertainty_options.hpp"  // ---- uncertainty ranges ----

namespace trainplan {

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  PlanFlags flags;
  // The Megatron-LM / NeMo names: in their place for --help, else added below only for a command line
  // that can name one.
  flags.framework_options = help_asked(args);
  boost::program_options::options_description model("Model, hardware and job");
  add_scenario_options(model, flags);
  boost::program_options::options_description layout("Parallel layout and training settings");
  add_layout_options(layout, flags);
  add_format_option(layout, flags);
  std::string report_path;  // ---- decision report ----
  add_report_option(layout, report_path);
  model.add(layout);
  boost::program_options::options_description economics_options("Failures, checkpoints, cost and energy");
  add_economics_options(economics_options, flags);
  UncertaintyFlags uncertainty_flags;  // ---- uncertainty ranges ----
  add_uncertainty_options(economics_options, uncertainty_flags);
  model.add(economics_options);
  // ---- plan --schedule: a run over calendar time (planner/cli/calendar_options.cpp) ----
  ScheduleFlags schedule_flags;
  boost::program_options::options_description calendar("Calendar: GPUs arriving in phases, a batch ramp, a batch law");
  add_schedule_options(calendar, schedule_flags, false);
  model.add(calendar);
  if (!flags.framework_options && framework_names_asked(args, model)) {
    flags.framework_options = true;
    add_framework_options(model, flags);
  }
  if (!parse_command_line(args, model,
                          "usage: trainplan plan --gpus N (--global-batch N | --global-batch-tokens N) [options]\n"
                          "       trainplan plan --schedule FILE --tokens T (--global-batch N | --global-batch-tokens N) [options]\n\n"
                          "Estimates step time, MFU, memory per GPU and time-to-train of one training plan.\n"
                          "Counts accept suffixes: 16M, 15.6T. Exit status: 0 a plan was evaluated (see fits_in_memory),\n"
                          "2 bad input or an impossible plan.",
                          out, "plan"))
    return 0;
  resolve_framework_names(flags, err, "plan");  // ---- Megatron-LM / NeMo names ----
  if (schedule_requested(schedule_flags)) return plan_with_schedule(flags, SearchFlags{}, schedule_flags, out, err, args, report_path);
  const ReportFormat format = parse_report_format(flags.format);
  const PlanSetup setup = build_plan_setup(flags);
  print_setup_note(setup, "plan", err);  // ---- --slurm without --gpus ----
  const LoadedEconomics economics_settings = load_plan_economics(flags, setup.overrides);
  const LoadedUncertainty uncertainty_settings = load_uncertainty(uncertainty_flags);  // ---- uncertainty ----
  PlanResult result = evaluate(setup.scenario, setup.plan);
  result.notes = plan_costing_notes(result);  // how it was costed, where the breakdown alone would puzzle
  // ---- uncertainty ranges: p10/p50/p90 of days and cost, tornado (docs/uncertainty.md) ----
  UncertaintySummary ranges;
  UncertaintyReport uncertainty;
  if (result.valid && uncertainty_settings.enabled) {
    ranges = plan_uncertainty(setup.scenario, result.plan, economics_settings.model, uncertainty_settings.model);
    uncertainty = {&ranges, &uncertainty_settings.model, uncertainty_settings.source};
  }
  if (!report_path.empty()) {  // ---- decision report (--report FILE.html) ----
    DecisionReport report = start_report("plan", args, setup.scenario, economics_settings);
    report.plans.push_back(report_plan(report, setup.scenario, result, "1"));
    if (uncertainty.summary) add_report_uncertainty(report, ranges, uncertainty_settings.source);
    write_report_file(report, report_path);
  }
  if (!result.valid) {
    write_plan_report(setup.scenario, result, nullptr, format, out);
    // The report says why on stdout; stderr gets the one line every exit status 2 has.
    std::string why;
    for (const auto& problem : result.problems) why += (why.empty() ? "" : "; ") + problem;
    // ---- a layout the GPU count does not admit: the nearest counts where this plan is possible ----
    const NearestCounts nearest =
        nearest_counts_for_plan(setup.scenario, setup.plan, std::max(1, setup.scenario.job.gpus_per_node));
    if (nearest.below > 0 || nearest.above > 0)
      why += "; " + nearest_counts_text(nearest, std::max(1, setup.scenario.job.gpus_per_node), "where this plan is valid and fits");
    err << "trainplan plan: error: command line: impossible plan: " << (why.empty() ? "see the report" : why) << "\n";
    return 2;
  }
  const RunEconomics economics = plan_economics(setup.scenario, result, economics_settings.model);
  write_plan_report(setup.scenario, result, &economics, format, out, uncertainty);
  return 0;
}

}  // namespace trainplan
