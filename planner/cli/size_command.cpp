// trainplan size: the smallest GPU count that meets a deadline, or the time a GPU count takes.
#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <ostream>

#include "framework_options.hpp"  // ---- Megatron-LM / NeMo names ----
#include "calendar_options.hpp"  // size --schedule
#include "commands.hpp"
#include "planner/core/plan_notes.hpp"
#include "planner/core/search/site_rank_orders.hpp"  // ---- sites ----
#include "planner/core/search/sizing_choice.hpp"
#include "planner/core/economics/sample_ranges.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/ranges_sampling.hpp"
#include "planner/io/number_text.hpp"
#include "planner/io/size_report.hpp"
#include "flag_values.hpp"
#include "progress_bar.hpp"
#include "report_output.hpp"
#include "scenario_at_count.hpp"
#include "no_layout_note.hpp"  // ---- no layout ----
#include "search_options.hpp"
#include "uncertainty_options.hpp"

namespace trainplan {

namespace {

struct SizeFlags {
  std::string deadline_days;
  std::string granularity;   // empty: GPUs per node
  std::string min_gpus;
  std::string max_gpus = "1048576";
  std::string confidence;    // ---- size --confidence C: empty = size on the point estimate ----
  std::string minimize = "gpus";  // gpus: the fewest GPUs meeting the deadline; cost: the cheapest of those searched
  std::string deadline_basis = "with-failures";  // the days the deadline holds: with-failures | failure-free
  std::string power_cap_mw;  // ---- size --power-cap-mw: empty = no cap ----
};

}  // namespace

int size_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  PlanFlags flags;
  SearchFlags search_flags;
  SizeFlags size_flags;
  namespace po = boost::program_options;
  po::options_description options("Model, hardware and job");
  add_scenario_options(options, flags);
  po::options_description sizing("Sizing");
  sizing.add_options()
      ("deadline-days", po::value(&size_flags.deadline_days), "find the smallest GPU count that trains within this many days")
      ("minimize", po::value(&size_flags.minimize)->default_value(size_flags.minimize),
       "with --deadline-days: gpus (the fewest that meet it) | cost (the cheapest count searched that meets it)")
      ("deadline-basis", po::value(&size_flags.deadline_basis)->default_value(size_flags.deadline_basis),
       "with --deadline-days: the days held to it, with-failures (wall-clock with failures, checkpoints and restarts) "
       "| failure-free")
      ("confidence", po::value(&size_flags.confidence),
       "with --deadline-days: the fewest GPUs whose days with failures meet the deadline in this fraction of the "
       "uncertainty samples (0.9: the p90; docs/uncertainty.md)")
      ("power-cap-mw", po::value(&size_flags.power_cap_mw),
       "the most power at the meter (MW, PUE included) the site can feed: no answer draws more (docs/goodput-and-cost.md)")
      ("granularity", po::value(&size_flags.granularity), "GPU counts searched are multiples of this (a node or a pod; default: GPUs per node)")
      ("min-gpus", po::value(&size_flags.min_gpus), "smallest GPU count considered (default: the granularity)")
      ("max-gpus", po::value(&size_flags.max_gpus)->default_value(size_flags.max_gpus), "largest GPU count considered");
  po::options_description layout("Searched knobs (each flag given fixes its knob)");
  po::options_description fixed_knobs("Fixed knobs (not searched: the default unless given)");
  add_search_layout_options(layout, fixed_knobs, flags);
  layout.add(fixed_knobs);
  po::options_description space("Search space and output");
  add_search_options(space, search_flags);
  add_format_option(space, flags);
  std::string report_path;  // ---- decision report ----
  add_report_option(space, report_path);
  po::options_description economics_options("Failures, checkpoints, cost and energy");
  add_economics_options(economics_options, flags);
  UncertaintyFlags uncertainty_flags;  // ---- size --confidence ----
  add_uncertainty_options(economics_options, uncertainty_flags);
  options.add(sizing).add(layout).add(space).add(economics_options);
  // ---- size --schedule: GPUs or an arrival date that finish by a date (planner/cli/calendar_options.cpp) ----
  ScheduleFlags schedule_flags;
  po::options_description calendar("Calendar: GPUs arriving in phases, a batch ramp, a batch law");
  add_schedule_options(calendar, schedule_flags, true);
  options.add(calendar);
  if (!parse_command_line(args, options,
                          "usage: trainplan size --tokens T (--deadline-days D | --gpus N) (--global-batch N | --max-global-batch-tokens N) [options]\n"
                          "       trainplan size --schedule FILE --finish-by DATE [--solve gpus|arrival] [--phase K] --tokens T --global-batch N [options]\n\n"
                          "--deadline-days: the smallest GPU count (on the granularity) whose best plan trains within D days\n"
                          "(wall-clock with failures; --deadline-basis failure-free for the other), never more than the fabric\n"
                          "(--topology) reaches; --gpus: the best plan and its time for N GPUs. Exit status: 0 found, 1 no count meets the deadline (or nothing fits), 2 bad input.",
                          out, "size"))
    return 0;
  resolve_framework_names(flags, err, "size");  // ---- Megatron-LM / NeMo names ----
  if (schedule_requested(schedule_flags)) {
    if (!size_flags.deadline_days.empty()) throw InputError("command line", "--deadline-days", "not with --schedule: give --finish-by DATE");
    if (!size_flags.granularity.empty() || !size_flags.min_gpus.empty())
      throw InputError("command line", size_flags.granularity.empty() ? "--min-gpus" : "--granularity",
                       "not with --schedule: the schedule's granularity_gpus sets the counts");
    return size_with_schedule(flags, search_flags, schedule_flags, parse_positive_int(size_flags.max_gpus, "--max-gpus"), out, err,
                              args, report_path);
  }
  const ReportFormat format = parse_report_format(flags.format);
  const bool by_deadline = !size_flags.deadline_days.empty();
  if (by_deadline == !flags.given("gpus").empty())
    throw InputError("command line", "--deadline-days", "give either --deadline-days D (how many GPUs) or --gpus N (how long)");
  if (flags.given("tokens").empty()) throw InputError("command line", "--tokens", "missing: how many tokens does the run train on?");
  const SearchSetup setup = build_search_setup(flags, search_flags, false);
  print_setup_note(setup.plan_setup, "size", err);  // ---- --slurm without --gpus ----
  const ScenarioAtGpus scenario_at = scenario_at_gpus(setup);
  const Scenario& base = setup.plan_setup.scenario;
  const int reach_gpus = fabric_reach_gpus(setup);  // counts above it are never searched nor chosen

  ProgressBar bar(err);
  SearchOptions search_options = setup.options;
  int current_gpus = 0;
  if (bar.enabled())
    search_options.progress = [&](const SearchProgress& p) {
      bar.show("searching " + std::to_string(current_gpus) + " GPUs",
               p.layouts_total > 0 ? static_cast<double>(p.layouts_done) / static_cast<double>(p.layouts_total) : 1.0);
    };
  const CountStarted started = [&](int gpus) { current_gpus = gpus; };

  if (size_flags.minimize != "gpus" && size_flags.minimize != "cost")
    throw InputError("command line", "--minimize", "expected gpus or cost, got '" + size_flags.minimize + "'");
  SizeReport report;
  report.model = base.model.name;
  report.gpu = base.gpu.name;
  report.fabric = base.fabric.name;
  report.reach_gpus = reach_gpus;
  report.fabric_sites = has_site_tier(base.fabric);
  report.training_tokens = base.job.training_tokens;
  report.by_deadline = by_deadline;
  report.gpus = base.job.gpus;
  const LoadedEconomics settings = load_plan_economics(flags, setup.plan_setup.overrides);
  const auto economics_of = [&](const CountOutcome& o) { return plan_economics(scenario_at(o.gpus), o.best, settings.model); };
  // ---- the ranges of a count's best plan, re-searched per sample (once per count: --confidence and the answer share them) ----
  const LoadedUncertainty ranges_model = load_uncertainty(uncertainty_flags);
  std::map<int, ResearchedUncertainty> researched_at;
  const auto researched = [&](const CountOutcome& o) -> const ResearchedUncertainty& {
    auto it = researched_at.find(o.gpus);
    if (it == researched_at.end())
      it = researched_at.emplace(o.gpus, count_answer_uncertainty(scenario_at(o.gpus), setup.space, setup.options, o.best.plan,
                                                                  settings.model, ranges_model.model)).first;
    return it->second;
  };
  // The days the deadline holds a count to (one sizing loop, core/search/cluster_sizing.hpp).
  OutcomeDays days_of = [&](const CountOutcome& o) { return economics_of(o).time_to_train_days; };
  if (by_deadline) {
    report.deadline_days = parse_deadline_days(size_flags.deadline_days, "--deadline-days");
    GpuGrid& grid = report.grid;
    grid.step = size_flags.granularity.empty() ? std::max(1, base.job.gpus_per_node)
                                               : parse_positive_int(size_flags.granularity, "--granularity");
    if (!size_flags.min_gpus.empty()) grid.min_gpus = parse_positive_int(size_flags.min_gpus, "--min-gpus");
    grid.max_gpus = parse_positive_int(size_flags.max_gpus, "--max-gpus");
    if (grid.first() > grid.last())
      throw InputError("command line", "--max-gpus", "is below the smallest count on the granularity (" + std::to_string(grid.first()) + ")");
    if (size_flags.deadline_basis == "failure-free") {
      days_of = failure_free_days;
      report.deadline_basis = "failure-free";
    } else if (size_flags.deadline_basis != "with-failures") {
      throw InputError("command line", "--deadline-basis", "expected with-failures or failure-free, got '" + size_flags.deadline_basis + "'");
    }
    if (!size_flags.confidence.empty()) {  // ---- size --confidence: sized on a quantile of days with failures ----
      report.confidence = parse_positive_number(size_flags.confidence, "--confidence");
      if (report.confidence >= 1) throw InputError("command line", "--confidence", "expected a fraction between 0 and 1 (0.9: the p90), got " + size_flags.confidence);
      if (size_flags.minimize != "gpus") throw InputError("command line", "--confidence", "works with --minimize gpus only");
      if (size_flags.deadline_basis != "with-failures")
        throw InputError("command line", "--deadline-basis", "not with --confidence: the confident days are days with failures");
      if (!ranges_model.enabled) throw InputError("command line", "--uncertainty-samples", "0 leaves --confidence nothing to sample");
      days_of = [&](const CountOutcome& o) {  // the count's p-C days with failures, each sample re-searched
        if (bar.enabled()) bar.show("sampling uncertainty at " + std::to_string(o.gpus) + " GPUs", 0.0);  // progress: alive
        return days_with_failures_at(researched(o).outcomes, report.confidence);
      };
      report.deadline_basis = "confidence";
    }
    report.result = size_for_deadline(scenario_at, setup.space, search_options, grid, report.deadline_days, started, reach_gpus, days_of);
    if (report.result.found && report.confidence > 0) report.confident_days = days_of(report.result.chosen);
  } else {
    if (!size_flags.confidence.empty()) throw InputError("command line", "--confidence", "needs --deadline-days");
    report.result = size_at_count(scenario_at, setup.space, search_options, base.job.gpus, started);
    if (!report.result.found) report.no_layout = no_layout_note(setup, search_options, base.job.gpus);  // ---- no layout ----
  }
  bar.clear();

  // ---- size --power-cap-mw: power grows with the count, days fall with it, so the smallest count that
  // meets the deadline draws the least power: when it draws more than the cap, no count does ----
  if (!size_flags.power_cap_mw.empty()) {
    report.power_cap_mw = parse_positive_number(size_flags.power_cap_mw, "--power-cap-mw");
    if (report.power_cap_mw > 1e4) throw InputError("command line", "--power-cap-mw", "at most 10000 MW, got " + size_flags.power_cap_mw);
  }
  const auto over_cap = [&](const CountOutcome& o) { return report.power_cap_mw > 0 && economics_of(o).power_mw > report.power_cap_mw; };
  if (by_deadline && size_flags.minimize == "cost")
    choose_cheapest_meeting(report.result, report.deadline_days, [&](const CountOutcome& o) { return economics_of(o).cost_usd; },
                            [&](const CountOutcome& o) { return over_cap(o) ? INFINITY : days_of(o); });
  if (report.result.found && over_cap(report.result.chosen)) {
    const RunEconomics e = economics_of(report.result.chosen);
    report.power_cap_problem = (by_deadline ? "the deadline needs " + std::to_string(report.result.chosen.gpus) + " GPUs, "
                                            : std::to_string(report.result.chosen.gpus) + " GPUs ") +
                               "drawing " + fixed_decimals(e.power_mw, 1) + " MW at the meter, more than the power cap of " +
                               fixed_decimals(report.power_cap_mw, 1) + " MW (" + fixed_decimals(e.server_power_w_per_gpu, 0) +
                               " W per GPU at server level, spares and network included, PUE applied)";
    report.result.found = false;
  }
  if (report.result.found) report.economics = economics_of(report.result.chosen);
  if (report.result.found) report.result.chosen.best.notes = plan_costing_notes(report.result.chosen.best);  // as `plan` says them
  if (report.result.found && ranges_model.enabled && base.job.training_tokens > 0) {  // ---- ranges, re-searched per sample ----
    const ResearchedUncertainty& r = researched(report.result.chosen);
    report.ranges = r.summary;
    report.ranges_sampling = ranges_sampling_of(r);
  }
  for (const CountOutcome& o : report.result.searched)  // every count's wall-clock days, for the report
    report.searched_days_with_failures.push_back(o.found ? economics_of(o).time_to_train_days : 0.0);
  if (report.confidence > 0)  // ---- size --confidence: the quantile the deadline tested, for the counts it sampled ----
    for (const CountOutcome& o : report.result.searched)
      report.searched_days_at_confidence.push_back(o.found && researched_at.count(o.gpus)
                                                       ? days_with_failures_at(researched_at.at(o.gpus).outcomes, report.confidence)
                                                       : 0.0);

  if (!report_path.empty()) {  // ---- decision report (--report FILE.html): the answer and the counts searched ----
    const SizingResult& r = report.result;
    DecisionReport decision = start_report("size", args, scenario_at(r.found ? r.chosen.gpus : base.job.gpus), settings);
    decision.deadline_days = report.deadline_days;
    if (r.found) decision.plans.push_back(report_plan(decision, scenario_at(r.chosen.gpus), r.chosen.best, "1"));
    std::vector<CountOutcome> searched = r.searched;
    std::sort(searched.begin(), searched.end(), [](const CountOutcome& a, const CountOutcome& b) { return a.gpus < b.gpus; });
    ReportSweepCurve curve{base.fabric.name, {}};
    for (const CountOutcome& o : searched)
      curve.points.push_back(report_point(decision, scenario_at(o.gpus), o, o.found ? "" : o.evaluated == 0 ? "no layout" : "none fits"));
    if (by_deadline) {
      add_curve_uncertainty(curve, scenario_at, decision.economics_model, load_uncertainty(uncertainty_flags));
      decision.sweep.push_back(std::move(curve));
    }
    decision.answer_notes.push_back(r.found ? (by_deadline ? std::to_string(r.chosen.gpus) + " GPUs: the " +
                                                                 (size_flags.minimize == "cost" ? "cheapest" : "smallest") +
                                                                 " count found (multiples of " + std::to_string(report.grid.step) +
                                                                 ") whose best plan meets the deadline " +
                                                                 (report.deadline_basis == "failure-free" ? "failure-free."
                                                                  : report.deadline_basis == "confidence" ? "with failures at the stated confidence."
                                                                                                          : "with failures, checkpoints and restarts.")
                                                           : std::string("The best plan for the count given."))
                                            : sizing_problem(report));
    if (r.found && report.ranges)  // the answer's band, re-searched per sample as the table's
      add_report_uncertainty(decision, *report.ranges, ranges_model.source);
    write_report_file(decision, report_path);
  }
  write_size_report(report, format, out);
  return report.result.found ? 0 : 1;
}

}  // namespace trainplan
