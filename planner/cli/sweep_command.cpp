// trainplan sweep: the best plan at each GPU count of a list, per topology; table, CSV, JSON, SVG.
#include <algorithm>
#include <chrono>
#include <functional>
#include <fstream>
#include <limits>
#include <ostream>

#include "commands.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"
#include "planner/io/svg_chart.hpp"
#include "flag_values.hpp"
#include "planner/io/number_text.hpp"
#include "planner/io/plan_option_table.hpp"
#include "planner/io/plan_row.hpp"
#include "planner/io/row_writer.hpp"
#include "progress_bar.hpp"
#include "scenario_at_count.hpp"
#include "report_output.hpp"
#include "search_options.hpp"

namespace trainplan {

namespace {

// One topology's curve.
struct SweepSeries {
  std::string topology;            // as given on the command line (empty: the default fabric)
  std::string fabric_name;         // the fabric's own name, for labels
  std::vector<CountOutcome> points;
  ScenarioAtGpus at_gpus;          // the scenario at any GPU count, for the economics of a point
  EconomicsModel economics;
  LoadedEconomics loaded_economics;  // economics with where each setting came from (for --report)
  int reach_gpus = 0;              // the most GPUs the fabric connects; counts above are not planned
};

// Why a point has no plan: the fabric's reach, no layout, or nothing fits ("" when it has one).
std::string point_problem(const SweepSeries& s, const CountOutcome& p) {
  if (!p.reachable) return beyond_reach_reason(s.fabric_name, s.reach_gpus);
  if (p.found) return "";
  return p.evaluated == 0 ? "no layout" : "none fits";
}

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

// The curves as the chart and the report take them: each point with its failures and cost under
// `model_of(series)` (the series' own settings for --svg; the report's, with its Monte-Carlo runs).
std::vector<ReportSweepCurve> report_curves(const std::vector<SweepSeries>& series,
                                            const std::function<EconomicsModel(const SweepSeries&)>& model_of) {
  std::vector<ReportSweepCurve> curves;
  for (const SweepSeries& s : series) {
    ReportSweepCurve curve{s.fabric_name, {}};
    const EconomicsModel model = model_of(s);
    for (const CountOutcome& p : s.points) {
      ReportSweepPoint point{p, p.found, {}, point_problem(s, p)};
      if (p.found) point.economics = plan_economics(s.at_gpus(p.gpus), p.best, model);
      curve.points.push_back(std::move(point));
    }
    curves.push_back(std::move(curve));
  }
  return curves;
}

// ---- decision report (--report FILE.html): the curves, and each topology's fastest point as its plan.
void write_sweep_report(const std::vector<SweepSeries>& series, const std::vector<std::string>& args, const std::string& path) {
  const SweepSeries* answer_series = &series.front();
  const CountOutcome* answer = nullptr;
  for (const SweepSeries& s : series)
    for (const CountOutcome& p : s.points)
      if (p.found && (!answer || p.best.time_to_train_days < answer->best.time_to_train_days)) {
        answer = &p;
        answer_series = &s;
      }
  const int answer_gpus = answer ? answer->gpus : series.front().points.front().gpus;
  DecisionReport report = start_report("sweep", args, answer_series->at_gpus(answer_gpus), answer_series->loaded_economics);
  report.sweep = report_curves(series, [&](const SweepSeries&) { return report.economics_model; });
  for (const SweepSeries& s : series) {
    const CountOutcome* fastest = nullptr;
    for (const CountOutcome& p : s.points)
      if (p.found && (!fastest || p.best.time_to_train_days < fastest->best.time_to_train_days)) fastest = &p;
    if (fastest)
      report.plans.push_back(report_plan(report, s.at_gpus(fastest->gpus), fastest->best,
                                         std::to_string(fastest->gpus) + " GPUs"));
  }
  std::stable_sort(report.plans.begin(), report.plans.end(), [](const ReportPlan& a, const ReportPlan& b) {
    return a.result.time_to_train_days < b.result.time_to_train_days;
  });
  report.plans_caption = "The fastest count of each topology's curve, fastest first.";
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
  po::options_description layout("Fixed knobs (a given flag fixes its knob; the others are searched)");
  add_layout_options(layout, flags);
  po::options_description space("Search space and output");
  add_search_options(space, search_flags);
  add_format_option(space, flags);
  space.add_options()("svg", po::value(&svg_path), "also write a chart (time-to-train and MFU against GPUs) to this SVG file");
  std::string report_path;  // ---- decision report ----
  add_report_option(space, report_path);
  po::options_description economics_options("Failures, checkpoints, cost and energy (reported per point)");
  add_economics_options(economics_options, flags);
  options.add(layout).add(space).add(economics_options);
  if (!parse_command_line(args, options,
                          "usage: trainplan sweep --gpus 8192:65536 (--global-batch N | --max-global-batch-tokens N) [options]\n\n"
                          "The best plan at each GPU count (one curve per --topology): time-to-train, MFU, tokens/s and\n"
                          "GPU-days. 'no layout': no split of the count satisfies the divisibility rules with this batch;\n"
                          "'none fits': no plan fits in memory; 'beyond reach': more GPUs than the fabric connects (not\n"
                          "planned). Exit status: 0 some count has a plan, 1 none has, 2 bad input.",
                          out, "sweep"))
    return 0;
  const ReportFormat format = parse_report_format(flags.format);
  if (flags.given("gpus").empty()) throw InputError("command line", "--gpus", "missing: the GPU counts to sweep (e.g. 8192:65536)");
  const std::vector<int> counts = parse_gpu_counts(flags.given("gpus"), "--gpus");

  const auto start = std::chrono::steady_clock::now();
  ProgressBar bar(err);
  std::vector<SweepSeries> series;
  std::string model_name, gpu_name;
  const std::size_t total_points = counts.size() * topologies.size();
  for (const std::string& topology : topologies) {
    PlanFlags series_flags = flags;
    series_flags.topology = topology;
    series_flags.plan_values["gpus"] = std::to_string(counts.front());
    // Counts beyond the fabric's reach (the first one included) become infeasible points, not errors.
    const SearchSetup setup = build_search_setup(series_flags, search_flags, true, true);
    model_name = setup.plan_setup.scenario.model.name;
    gpu_name = setup.plan_setup.scenario.gpu.name;
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
    s.at_gpus = scenario_at_gpus(setup);
    s.loaded_economics = load_plan_economics(series_flags, setup.plan_setup.overrides);
    s.economics = s.loaded_economics.model;
    s.reach_gpus = fabric_reach_gpus(setup);
    s.points = sweep_counts(s.at_gpus, setup.space, search_options, counts, started, s.reach_gpus);
    series.push_back(std::move(s));
  }
  bar.clear();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::int64_t evaluated = 0;
  bool any_found = false;
  for (const SweepSeries& s : series)
    for (const CountOutcome& p : s.points) {
      evaluated += p.evaluated;
      any_found = any_found || p.found;
    }

  if (!svg_path.empty()) {
    std::ofstream file(svg_path);
    if (!file) throw InputError("--svg " + svg_path, "", "cannot write the file");
    const auto own_settings = [](const SweepSeries& s) { return s.economics; };
    svg::write_line_chart(sweep_chart(report_curves(series, own_settings), model_name + " on " + gpu_name + ": best plan per GPU count", 0),
                          file);
    if (!file) throw InputError("--svg " + svg_path, "", "writing the file failed");
  }

  if (!report_path.empty()) write_sweep_report(series, original_args, report_path);  // ---- decision report ----

  switch (format) {
    case ReportFormat::json: {
      nlohmann::json points = nlohmann::json::array();
      for (const SweepSeries& s : series)
        for (const CountOutcome& p : s.points) {
          const auto value = [&](double v) { return p.found ? nlohmann::json(v) : nlohmann::json(nullptr); };
          points.push_back({{"topology", s.fabric_name},
                            {"gpus", p.gpus},
                            {"found", p.found},
                            {"reachable", p.reachable},
                            {"time_to_train_days", value(p.best.time_to_train_days)},
                            {"mfu", value(p.best.mfu)},
                            {"tokens_per_second", value(p.best.tokens_per_second)},
                            {"step_time_s", value(p.best.step_time_s)},
                            {"gpu_days", value(p.gpu_days())},
                            {"evaluated", p.evaluated},
                            {"feasible", p.feasible},
                            {"plan", p.found ? plan_result_json(p.best) : nlohmann::json(nullptr)}});
          if (!p.found) points.back()["problem"] = point_problem(s, p);
          if (p.found) {
            const RunEconomics e = plan_economics(s.at_gpus(p.gpus), p.best, s.economics);
            points.back()["economics"] = economics_json(e);
            points.back()["cost_usd"] = e.cost_usd;
            points.back()["energy_mwh"] = e.energy_mwh;
            points.back()["time_to_train_days_with_failures"] = e.time_to_train_days;
          }
        }
      const nlohmann::json j = {{"model", model_name}, {"gpu", gpu_name},         {"points", points},
                                {"evaluated", evaluated}, {"seconds", seconds}};
      out << j.dump(2) << "\n";
      break;
    }
    case ReportFormat::csv: {
      TextRows rows;
      std::vector<std::string> header = plan_csv_header(false);
      header.insert(header.begin(), {"topology", "gpus", "found", "gpu_days"});
      header.push_back("problem");
      rows.push_back(header);
      for (const SweepSeries& s : series)
        for (const CountOutcome& p : s.points) {
          std::vector<std::string> row = p.found ? plan_csv_cells(p.best, nullptr) : plan_csv_empty_cells(false);
          row.insert(row.begin(), {s.fabric_name, std::to_string(p.gpus), p.found ? "true" : "false",
                                   p.found ? option_cell(p.gpu_days()) : ""});
          row.push_back(point_problem(s, p));
          rows.push_back(row);
        }
      write_rows(rows, true, out);
      break;
    }
    case ReportFormat::table: {
      out << "trainplan sweep: " << model_name << " on " << gpu_name << ", " << counts.size() << " GPU counts x "
          << series.size() << " topologies, " << evaluated << " plans evaluated in " << fixed_decimals(seconds, 2) << " s\n\n";
      TextRows rows;
      std::vector<std::string> header = plan_table_header(true);
      header.insert(header.begin(), {"topology", "GPUs", "GPU-days"});
      rows.push_back(header);
      for (const SweepSeries& s : series)
        for (const CountOutcome& p : s.points) {
          std::vector<std::string> row = plan_table_empty_cells(true);
          if (p.found) {
            const RunEconomics e = plan_economics(s.at_gpus(p.gpus), p.best, s.economics);
            row = plan_table_cells(p.best, &e);
          }
          // A point without a plan says why in its GPU-days cell.
          const std::string gpu_days = p.found ? fixed_decimals(p.gpu_days(), 0) : p.reachable ? point_problem(s, p) : "beyond reach";
          row.insert(row.begin(), {s.fabric_name, std::to_string(p.gpus), gpu_days});
          rows.push_back(row);
        }
      write_rows(rows, false, out);
      for (const SweepSeries& s : series)
        if (std::any_of(s.points.begin(), s.points.end(), [](const CountOutcome& p) { return !p.reachable; }))
          out << "\nbeyond reach: " << beyond_reach_reason(s.fabric_name, s.reach_gpus) << " (those counts are not planned)\n";
      break;
    }
  }
  return any_found ? 0 : 1;
}

}  // namespace trainplan
