// trainplan sweep: the best plan at each GPU count of a list, per topology; table, CSV, JSON, SVG.
#include <algorithm>
#include <chrono>
#include <fstream>
#include <optional>
#include <ostream>

#include "framework_options.hpp"  // ---- Megatron-LM / NeMo names ----
#include "commands.hpp"
#include "planner/core/plan_notes.hpp"
#include "planner/core/search/site_rank_orders.hpp"  // ---- sites ----
#include "planner/io/input_error.hpp"
#include "planner/io/sweep_report.hpp"
#include "flag_values.hpp"
#include "output_path.hpp"
#include "progress_bar.hpp"
#include "report_output.hpp"
#include "uncertainty_options.hpp"
#include "scenario_at_count.hpp"
#include "no_layout_note.hpp"  // ---- no layout ----
#include "search_options.hpp"

namespace trainplan {

namespace {

// Takes every "--topology X" / "--topology=X" out of `args` (several are allowed here: one series
// each), leaving the rest for the option parser.
std::vector<std::string> take_topologies(std::vector<std::string>& args) {
  std::vector<std::string> topologies;
  std::vector<std::string> rest;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--topology") {
      if (i + 1 >= args.size()) throw InputError("command line", "--topology", "expects a topology name or file");
      topologies.push_back(args[++i]);
    } else if (a.rfind("--topology=", 0) == 0) {
      topologies.push_back(a.substr(std::string("--topology=").size()));
    } else {
      rest.push_back(a);
    }
  }
  args = rest;
  return topologies;
}

// ---- decision report (--report FILE.html): the curves (economics under the report's settings, with
// its Monte-Carlo runs), and each topology's fastest point as its plan.
void write_sweep_decision_report(const std::vector<SweepSeries>& series, const std::vector<ScenarioAtGpus>& at_gpus,
                                 const std::vector<LoadedEconomics>& economics, const std::vector<std::string>& args,
                                 const std::string& path, const std::vector<std::vector<std::optional<UncertaintySummary>>>& ranges) {
  std::size_t answer_series = 0;
  const CountOutcome* answer = nullptr;
  for (std::size_t si = 0; si < series.size(); ++si)
    for (const CountOutcome& p : series[si].points)
      if (p.found && (!answer || p.best.time_to_train_days < answer->best.time_to_train_days)) {
        answer = &p;
        answer_series = si;
      }
  const int answer_gpus = answer ? answer->gpus : series.front().points.front().gpus;
  DecisionReport report = start_report("sweep", args, at_gpus[answer_series](answer_gpus), economics[answer_series]);
  report.sweep = sweep_curves(series, [&](std::size_t si, std::size_t i) {
    const CountOutcome& p = series[si].points[i];
    return std::optional(plan_economics(at_gpus[si](p.gpus), p.best, report.economics_model));
  });
  for (std::size_t si = 0; si < series.size(); ++si) {
    const CountOutcome* fastest = nullptr;
    for (const CountOutcome& p : series[si].points)
      if (p.found && (!fastest || p.best.time_to_train_days < fastest->best.time_to_train_days)) fastest = &p;
    if (fastest)
      report.plans.push_back(report_plan(report, at_gpus[si](fastest->gpus), fastest->best, std::to_string(fastest->gpus) + " GPUs"));
  }
  std::stable_sort(report.plans.begin(), report.plans.end(), [](const ReportPlan& a, const ReportPlan& b) {
    return a.result.time_to_train_days < b.result.time_to_train_days;
  });
  report.plans_caption = "The fastest count of each topology's curve, fastest first.";
  // The curve's band: p10..p90 of days with failures with the model's own error and the uncertain inputs.
  for (std::size_t si = 0; si < report.sweep.size() && si < ranges.size(); ++si)
    for (std::size_t i = 0; i < report.sweep[si].points.size() && i < ranges[si].size(); ++i)
      if (ranges[si][i] && ranges[si][i]->valid_samples > 0) {
        report.sweep[si].points[i].has_range = true;
        report.sweep[si].points[i].days_range = ranges[si][i]->days;
      }
  if (!answer) report.answer_notes.push_back("No count of the sweep has a plan (see the curve's table for why).");
  write_report_file(report, path);
}

}  // namespace

int sweep_command(const std::vector<std::string>& original_args, std::ostream& out, std::ostream& err) {
  std::vector<std::string> args = original_args;
  std::vector<std::string> topologies = take_topologies(args);
  if (topologies.empty()) topologies.push_back("");

  PlanFlags flags;
  SearchFlags search_flags;
  std::string svg_path;
  namespace po = boost::program_options;
  po::options_description options("Model, hardware and job (--gpus takes a:b doubling, a:b:step or a,b,c; --topology may repeat)");
  add_scenario_options(options, flags);
  po::options_description layout("Searched knobs (each flag given fixes its knob)");
  po::options_description fixed_knobs("Fixed knobs (not searched: the default unless given)");
  add_search_layout_options(layout, fixed_knobs, flags);
  layout.add(fixed_knobs);
  po::options_description space("Search space and output");
  add_search_options(space, search_flags);
  add_format_option(space, flags);
  space.add_options()("svg", po::value(&svg_path), "also write a chart (time-to-train and MFU against GPUs) to this SVG file");
  std::string report_path;  // ---- decision report ----
  add_report_option(space, report_path);
  po::options_description economics_options("Failures, checkpoints, cost and energy (reported per point)");
  add_economics_options(economics_options, flags);
  UncertaintyFlags uncertainty_flags;  // ---- ranges per point ----
  add_uncertainty_options(economics_options, uncertainty_flags);
  options.add(layout).add(space).add(economics_options);
  if (!parse_command_line(args, options,
                          "usage: trainplan sweep --gpus 8192:65536 (--global-batch N | --max-global-batch-tokens N) [options]\n\n"
                          "The best plan at each GPU count (one curve per --topology): time-to-train, MFU, tokens/s and\n"
                          "GPU-days. 'no layout': no split of the count satisfies the divisibility rules with this batch;\n"
                          "'none fits': no plan fits in memory; 'beyond reach': more GPUs than the fabric connects (not\n"
                          "planned). Exit status: 0 some count has a plan, 1 none has, 2 bad input.",
                          out, "sweep"))
    return 0;
  resolve_framework_names(flags, err, "sweep");  // ---- Megatron-LM / NeMo names ----
  const ReportFormat format = parse_report_format(flags.format);
  if (flags.given("gpus").empty()) throw InputError("command line", "--gpus", "missing: the GPU counts to sweep (e.g. 8192:65536)");
  const std::vector<int> counts = parse_gpu_counts(flags.given("gpus"), "--gpus");

  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(err);
  const LoadedUncertainty uncertainty = load_uncertainty(uncertainty_flags);
  SweepReport report;
  report.counts = counts.size();
  std::vector<SweepSeries>& series = report.series;
  std::vector<ScenarioAtGpus> series_at_gpus;        // ---- decision report: each series' scenario at a count
  std::vector<LoadedEconomics> series_economics;     // and its economics settings with their sources ----
  const std::size_t total_points = counts.size() * topologies.size();
  for (const std::string& topology : topologies) {
    PlanFlags series_flags = flags;
    series_flags.topology = topology;
    series_flags.plan_values["gpus"] = std::to_string(counts.front());
    // Counts beyond the fabric's reach (the first one included) become infeasible points, not errors.
    const SearchSetup setup = build_search_setup(series_flags, search_flags, true, true);
    report.model = setup.plan_setup.scenario.model.name;
    report.gpu = setup.plan_setup.scenario.gpu.name;
    SearchOptions search_options = setup.options;
    std::size_t point = 0;
    int current_gpus = 0;
    const std::size_t points_before = series.size() * counts.size();
    if (bar.enabled())
      search_options.progress = [&](const SearchProgress& p) {
        const double within = p.layouts_total > 0 ? static_cast<double>(p.layouts_done) / static_cast<double>(p.layouts_total) : 1.0;
        bar.show("sweep " + std::to_string(current_gpus) + " GPUs",
                 (static_cast<double>(points_before + point) + within) / static_cast<double>(total_points));
      };
    const CountStarted started = [&](int gpus) {
      if (current_gpus != 0) ++point;
      current_gpus = gpus;
    };
    SweepSeries s;
    s.topology = topology;
    s.fabric_name = setup.plan_setup.scenario.fabric.name;
    s.reach_gpus = fabric_reach_gpus(setup);
    s.sites = has_site_tier(setup.plan_setup.scenario.fabric);
    const ScenarioAtGpus at_gpus = scenario_at_gpus(setup);
    s.points = sweep_counts(at_gpus, setup.space, search_options, counts, started, s.reach_gpus);
    for (CountOutcome& p : s.points)  // each count's best plan, as `plan` says it
      if (p.found) p.best.notes = plan_costing_notes(p.best);
    const LoadedEconomics loaded = load_plan_economics(series_flags, setup.plan_setup.overrides);
    for (const CountOutcome& p : s.points)
      s.economics.push_back(p.found ? std::optional(plan_economics(at_gpus(p.gpus), p.best, loaded.model)) : std::nullopt);
    // ---- counts without a layout: why; the nearest counts with a plan for the first few (each scan searches) ----
    std::vector<std::optional<NoLayoutNote>> notes;
    int scans = 0;
    for (const CountOutcome& p : s.points) {
      const bool no_layout = point_problem(p) == PointProblem::no_layout;
      notes.push_back(no_layout ? no_layout_note(setup, search_options, p.gpus, scans < 3) : std::nullopt);
      if (no_layout) ++scans;
    }
    report.no_layout.push_back(std::move(notes));
    if (uncertainty.enabled && setup.plan_setup.scenario.job.training_tokens > 0) {  // ---- ranges per point ----
      std::vector<std::optional<UncertaintySummary>> ranges;
      std::vector<std::optional<RangesSampling>> sampling;
      for (const CountOutcome& p : s.points) {  // each point's best plan re-searched per sample (or fixed by flags)
        if (!p.found) {
          ranges.emplace_back();
          sampling.emplace_back();
          continue;
        }
        const ResearchedUncertainty r = count_answer_uncertainty(at_gpus(p.gpus), setup.space, setup.options, p.best.plan,
                                                                 loaded.model, uncertainty.model);
        ranges.emplace_back(r.summary);
        sampling.emplace_back(ranges_sampling_of(r));
      }
      report.ranges.push_back(std::move(ranges));
      report.ranges_sampling.push_back(std::move(sampling));
    }
    series_at_gpus.push_back(at_gpus);
    series_economics.push_back(loaded);
    series.push_back(std::move(s));
  }
  bar.clear();
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  if (!svg_path.empty()) {
    check_output_path(svg_path, "--svg");
    std::ofstream file(svg_path);
    if (!file) throw InputError("--svg " + svg_path, "", "cannot write the file");
    svg::write_line_chart(sweep_chart(sweep_curves(series), report.model + " on " + report.gpu + ": best plan per GPU count", 0), file);
    if (!file) throw InputError("--svg " + svg_path, "", "writing the file failed");
  }
  if (!report_path.empty())  // ---- decision report ----
    write_sweep_decision_report(series, series_at_gpus, series_economics, original_args, report_path, report.ranges);
  write_sweep_report(report, format, out);
  return sweep_totals(series).any_found ? 0 : 1;
}

}  // namespace trainplan
