// trainplan report: the decision report as one self-contained HTML page: the best plans for a GPU
// count, the curve over neighbouring counts (with a deadline), the fabric, cost, failures, every
// assumption, provenance and the validation summary (docs/report.md).
#include <algorithm>
#include <ostream>

#include "framework_options.hpp"  // ---- Megatron-LM / NeMo names ----
#include "commands.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/number_text.hpp"
#include "planner/io/sweep_report.hpp"
#include "flag_values.hpp"
#include "progress_bar.hpp"
#include "report_output.hpp"
#include "scenario_at_count.hpp"
#include "search_options.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

// The counts swept by default: a quarter, half, the count itself and twice it (those below one node
// dropped), so the page shows what fewer or more GPUs would do.
std::vector<int> default_sweep_counts(int gpus, int gpus_per_node) {
  std::vector<int> counts;
  for (int c : {gpus / 4, gpus / 2, gpus, 2 * gpus})
    if (c >= std::max(1, gpus_per_node) && (c == gpus || c % std::max(1, gpus_per_node) == 0) &&
        std::find(counts.begin(), counts.end(), c) == counts.end())
      counts.push_back(c);
  return counts;
}

}  // namespace

int report_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  PlanFlags flags;
  SearchFlags search_flags;
  std::string output = "trainplan-report.html", deadline_text, sweep_text, top_text = "5";
  po::options_description options("Model, hardware and job");
  add_scenario_options(options, flags);
  po::options_description report_options("Report");
  report_options.add_options()
      ("output,o", po::value(&output)->default_value(output), "the HTML file to write")
      ("deadline-days", po::value(&deadline_text), "a deadline, drawn on the curve; the answer names the fewest GPUs swept that meet it")
      ("sweep-gpus", po::value(&sweep_text), "GPU counts of the curve (a:b doubling, a:b:step or a,b,c; default: gpus/4, gpus/2, gpus, 2*gpus; none: no curve)")
      ("top", po::value(&top_text)->default_value(top_text), "best plans listed");
  po::options_description layout("Fixed knobs (a given flag fixes its knob; the others are searched)");
  add_layout_options(layout, flags);
  po::options_description space("Search space");
  add_search_options(space, search_flags);
  po::options_description economics_options("Failures, checkpoints, cost and energy");
  add_economics_options(economics_options, flags);
  UncertaintyFlags uncertainty_flags;  // ---- the answer's band ----
  add_uncertainty_options(economics_options, uncertainty_flags);
  options.add(report_options).add(layout).add(space).add(economics_options);
  if (!parse_command_line(args, options,
                          "usage: trainplan report --gpus N --tokens T (--global-batch N | --max-global-batch-tokens N) [options]\n\n"
                          "Writes the decision report, one self-contained HTML page (no network access needed): the best\n"
                          "plans for N GPUs with the time to train and its Monte-Carlo range, where a step's time goes, the\n"
                          "curve over GPU counts with failures and the deadline, the fabric's bill of materials and cost,\n"
                          "failures and goodput, every assumption and the provenance of every hardware figure, and the\n"
                          "validation summary. Exit status: 0 written with a plan, 1 written but no plan fits, 2 bad input.",
                          out, "report"))
    return 0;
  resolve_framework_names(flags, err, "report");  // ---- Megatron-LM / NeMo names ----
  if (flags.given("tokens").empty()) throw InputError("command line", "--tokens", "missing: how many tokens does the run train on?");
  const double deadline_days = deadline_text.empty() ? 0 : parse_deadline_days(deadline_text, "--deadline-days");
  const SearchSetup setup = build_search_setup(flags, search_flags, true);
  print_setup_note(setup.plan_setup, "report", err);  // ---- --slurm without --gpus ----
  SearchOptions search_options = setup.options;
  search_options.top = parse_positive_int(top_text, "--top");
  if (search_options.top > 100) throw InputError("command line", "--top", "at most 100 in a report, got " + top_text);
  const Scenario& sc = setup.plan_setup.scenario;
  std::vector<int> counts;
  if (sweep_text != "none")
    counts = sweep_text.empty() ? default_sweep_counts(sc.job.gpus, sc.job.gpus_per_node) : parse_gpu_counts(sweep_text, "--sweep-gpus");

  ProgressBar bar(err);
  std::string stage = "searching";
  if (bar.enabled())
    search_options.progress = [&](const SearchProgress& p) {
      bar.show(stage, p.layouts_total > 0 ? static_cast<double>(p.layouts_done) / static_cast<double>(p.layouts_total) : 1.0);
    };
  const SearchResult result = search_plans(sc, setup.space, search_options);

  DecisionReport report = start_report("report", args, sc, load_plan_economics(flags, setup.plan_setup.overrides));
  report.deadline_days = deadline_days;
  for (std::size_t i = 0; i < result.plans.size(); ++i)
    report.plans.push_back(report_plan(report, sc, result.plans[i], std::to_string(i + 1)));
  report.plans_caption = "The best " + std::to_string(result.plans.size()) + " of " + std::to_string(result.evaluated) +
                         " plans evaluated over " + std::to_string(result.layouts) + " layouts (" + std::to_string(result.feasible) +
                         " fit in memory), ranked by time to train; docs/search.md states the space.";
  if (result.plans.empty()) report.answer_notes.push_back("No plan of the searched space fits in memory on " + std::to_string(sc.job.gpus) + " GPUs.");

  if (!counts.empty()) {
    const ScenarioAtGpus scenario_at = scenario_at_gpus(setup);
    const int reach = fabric_reach_gpus(setup);
    SearchOptions sweep_options = search_options;
    sweep_options.top = 1;
    const CountStarted started = [&](int gpus) { stage = "curve: " + std::to_string(gpus) + " GPUs"; };
    ReportSweepCurve curve;
    curve.fabric = sc.fabric.name;
    for (const CountOutcome& o : sweep_counts(scenario_at, setup.space, sweep_options, counts, started, reach)) {
      const std::string problem = !o.reachable ? beyond_reach_reason(sc.fabric.name, reach)
                                  : o.found    ? ""
                                  : o.evaluated == 0 ? "no layout" : "none fits";
      curve.points.push_back(report_point(report, o.reachable ? scenario_at(o.gpus) : sc, o, problem));
    }
    if (deadline_days > 0) {
      const ReportSweepPoint* meets = nullptr;
      for (const ReportSweepPoint& p : curve.points)
        if (p.outcome.found && p.has_economics && p.economics.time_to_train_days <= deadline_days &&
            (!meets || p.outcome.gpus < meets->outcome.gpus))
          meets = &p;
      if (meets)
        report.answer_notes.push_back(
            "Of the counts on the curve, " + std::to_string(meets->outcome.gpus) + " GPUs is the fewest whose best plan meets the " +
            fixed_decimals(deadline_days, 0) + "-day deadline with failures (" + fixed_decimals(meets->economics.time_to_train_days, 1) +
            " days; " + fixed_decimals(meets->outcome.best.time_to_train_days, 1) +
            " failure-free). trainplan size --deadline-days finds the fewest on the node grid.");
      else
        report.answer_notes.push_back("None of the counts on the curve meets the " + fixed_decimals(deadline_days, 0) +
                                      "-day deadline with failures; trainplan size --deadline-days searches further.");
    }
    add_curve_uncertainty(curve, scenario_at, report.economics_model, load_uncertainty(uncertainty_flags));
    report.sweep.push_back(std::move(curve));
  }
  add_report_uncertainty(report, sc, load_uncertainty(uncertainty_flags));
  bar.clear();
  write_report_file(report, output, "--output");

  out << "trainplan report: wrote " << output << "\n";
  if (!report.plans.empty()) {
    const ReportPlan& best = report.plans.front();
    out << "  " << sc.model.name << " on " << sc.job.gpus << " x " << sc.gpu.name << ": "
        << fixed_decimals(best.economics.time_to_train_days, 1) << " days with failures (p10-p90 "
        << fixed_decimals(best.economics.monte_carlo.p10_days, 1) << "-" << fixed_decimals(best.economics.monte_carlo.p90_days, 1)
        << "), " << fixed_decimals(best.result.time_to_train_days, 1) << " failure-free, $"
        << fixed_decimals(best.economics.cost_usd / 1e6, 1) << "M\n";
  } else {
    out << "  no plan of the space fits in memory on " << sc.job.gpus << " GPUs\n";
  }
  for (const std::string& note : report.answer_notes) out << "  " << note << "\n";
  return report.plans.empty() ? 1 : 0;
}

}  // namespace trainplan
