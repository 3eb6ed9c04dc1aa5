// trainplan size: the smallest GPU count that meets a deadline, or the time a GPU count takes.
#include <algorithm>
#include <optional>
#include <string>
#include <ostream>

#include "commands.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"
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

struct SizeFlags {
  std::string deadline_days;
  std::string granularity;   // empty: GPUs per node
  std::string min_gpus;
  std::string max_gpus = "1048576";
  std::string minimize = "gpus";  // gpus: the fewest GPUs meeting the deadline; cost: the cheapest of those searched
};

nlohmann::json searched_json(const std::vector<CountOutcome>& searched) {
  nlohmann::json list = nlohmann::json::array();
  for (const CountOutcome& o : searched)
    list.push_back({{"gpus", o.gpus},
                    {"found", o.found},
                    {"time_to_train_days", o.found ? nlohmann::json(o.best.time_to_train_days) : nlohmann::json(nullptr)},
                    {"evaluated", o.evaluated}});
  return list;
}

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
      ("granularity", po::value(&size_flags.granularity), "GPU counts searched are multiples of this (a node or a pod; default: GPUs per node)")
      ("min-gpus", po::value(&size_flags.min_gpus), "smallest GPU count considered (default: the granularity)")
      ("max-gpus", po::value(&size_flags.max_gpus)->default_value(size_flags.max_gpus), "largest GPU count considered");
  po::options_description layout("Fixed knobs (a given flag fixes its knob; the others are searched)");
  add_layout_options(layout, flags);
  po::options_description space("Search space and output");
  add_search_options(space, search_flags);
  add_format_option(space, flags);
  std::string report_path;  // ---- decision report ----
  add_report_option(space, report_path);
  po::options_description economics_options("Failures, checkpoints, cost and energy");
  add_economics_options(economics_options, flags);
  options.add(sizing).add(layout).add(space).add(economics_options);
  if (!parse_command_line(args, options,
                          "usage: trainplan size --tokens T (--deadline-days D | --gpus N) (--global-batch N | --max-global-batch-tokens N) [options]\n\n"
                          "--deadline-days: the smallest GPU count (on the granularity) whose best plan trains within D days\n"
                          "(failure-free), never more than the fabric (--topology) reaches; --gpus: the best plan and its time\n"
                          "for N GPUs. Exit status: 0 found, 1 no count meets the deadline (or nothing fits), 2 bad input.",
                          out, "size"))
    return 0;
  const ReportFormat format = parse_report_format(flags.format);
  const bool by_deadline = !size_flags.deadline_days.empty();
  if (by_deadline == !flags.given("gpus").empty())
    throw InputError("command line", "--deadline-days", "give either --deadline-days D (how many GPUs) or --gpus N (how long)");
  if (flags.given("tokens").empty()) throw InputError("command line", "--tokens", "missing: how many tokens does the run train on?");
  const SearchSetup setup = build_search_setup(flags, search_flags, false);
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

  double deadline_days = 0;
  GpuGrid grid;
  SizingResult sizing_result;
  if (by_deadline) {
    deadline_days = parse_positive_number(size_flags.deadline_days, "--deadline-days");
    grid.step = size_flags.granularity.empty() ? std::max(1, base.job.gpus_per_node)
                                               : parse_positive_int(size_flags.granularity, "--granularity");
    if (!size_flags.min_gpus.empty()) grid.min_gpus = parse_positive_int(size_flags.min_gpus, "--min-gpus");
    grid.max_gpus = parse_positive_int(size_flags.max_gpus, "--max-gpus");
    if (grid.first() > grid.last())
      throw InputError("command line", "--max-gpus", "is below the smallest count on the granularity (" + std::to_string(grid.first()) + ")");
    sizing_result = size_for_deadline(scenario_at, setup.space, search_options, grid, deadline_days, started, reach_gpus);
  } else {
    started(base.job.gpus);
    sizing_result.searched.push_back(best_plan_at(scenario_at, setup.space, search_options, base.job.gpus));
    sizing_result.found = sizing_result.searched.back().found;
    sizing_result.chosen = sizing_result.searched.back();
    sizing_result.seconds = sizing_result.chosen.seconds;
  }
  bar.clear();

  if (size_flags.minimize != "gpus" && size_flags.minimize != "cost")
    throw InputError("command line", "--minimize", "expected gpus or cost, got '" + size_flags.minimize + "'");
  const LoadedEconomics settings = load_plan_economics(flags, setup.plan_setup.overrides);
  if (by_deadline && size_flags.minimize == "cost" && sizing_result.found) {
    // Among the counts searched that meet the deadline, the one whose run costs least.
    double cheapest = plan_economics(scenario_at(sizing_result.chosen.gpus), sizing_result.chosen.best, settings.model).cost_usd;
    for (const CountOutcome& o : sizing_result.searched) {
      if (!o.found || o.best.time_to_train_days > deadline_days) continue;
      const double cost = plan_economics(scenario_at(o.gpus), o.best, settings.model).cost_usd;
      if (cost < cheapest) {
        cheapest = cost;
        sizing_result.chosen = o;
      }
    }
  }
  const CountOutcome& chosen = sizing_result.chosen;
  const bool found = sizing_result.found;
  std::optional<RunEconomics> economics;
  if (found) economics = plan_economics(scenario_at(chosen.gpus), chosen.best, settings.model);

  // Why nothing was found, in one sentence (the table's line, the JSON's "problem").
  std::string problem;
  if (!found && by_deadline && sizing_result.limited_by_reach) {
    const std::string reach = beyond_reach_reason(base.fabric.name, reach_gpus);
    const int largest = sizing_result.reachable_last;
    if (largest < grid.first()) {
      problem = reach + ", fewer than the smallest count considered (" + std::to_string(grid.first()) + ")";
    } else {
      problem = "the deadline of " + fixed_decimals(deadline_days, 1) + " days needs more than " + std::to_string(largest) +
                " GPUs, but " + reach;
      for (const CountOutcome& o : sizing_result.searched)
        if (o.gpus == largest)
          problem += o.found ? " (best plan at " + std::to_string(largest) + " GPUs: " + fixed_decimals(o.best.time_to_train_days, 1) + " days)"
                             : " (no plan fits at " + std::to_string(largest) + " GPUs)";
    }
  } else if (!found && by_deadline) {
    problem = "no GPU count from " + std::to_string(grid.first()) + " to " + std::to_string(grid.last()) + " (multiples of " +
              std::to_string(grid.step) + ") meets the deadline";
  } else if (!found) {
    problem = "no plan of the space fits in memory on " + std::to_string(base.job.gpus) + " GPUs";
  }

  if (!report_path.empty()) {  // ---- decision report (--report FILE.html): the answer and the counts searched ----
    DecisionReport report = start_report("size", args, scenario_at(found ? chosen.gpus : base.job.gpus), settings);
    report.deadline_days = deadline_days;
    if (found) report.plans.push_back(report_plan(report, scenario_at(chosen.gpus), chosen.best, "1"));
    std::vector<CountOutcome> searched = sizing_result.searched;
    std::sort(searched.begin(), searched.end(), [](const CountOutcome& a, const CountOutcome& b) { return a.gpus < b.gpus; });
    ReportSweepCurve curve{base.fabric.name, {}};
    for (const CountOutcome& o : searched)
      curve.points.push_back(report_point(report, scenario_at(o.gpus), o, o.found ? "" : o.evaluated == 0 ? "no layout" : "none fits"));
    if (by_deadline) report.sweep.push_back(std::move(curve));
    report.answer_notes.push_back(found ? (by_deadline ? std::to_string(chosen.gpus) + " GPUs: the " +
                                                             (size_flags.minimize == "cost" ? "cheapest" : "smallest") +
                                                             " count found (multiples of " + std::to_string(grid.step) +
                                                             ") whose best plan meets the deadline failure-free."
                                                       : std::string("The best plan for the count given."))
                                        : problem);
    write_report_file(report, report_path);
  }

  switch (format) {
    case ReportFormat::json: {
      nlohmann::json j = {{"model", base.model.name},
                          {"gpu", base.gpu.name},
                          {"fabric", base.fabric.name},
                          {"fabric_max_gpus", reach_gpus},
                          {"training_tokens", base.job.training_tokens},
                          {"mode", by_deadline ? "deadline" : "gpus"},
                          {"found", found},
                          {"gpus", found ? nlohmann::json(chosen.gpus) : nlohmann::json(nullptr)},
                          {"time_to_train_days", found ? nlohmann::json(chosen.best.time_to_train_days) : nlohmann::json(nullptr)},
                          {"gpu_days", found ? nlohmann::json(chosen.gpu_days()) : nlohmann::json(nullptr)},
                          {"plan", found ? plan_result_json(chosen.best) : nlohmann::json(nullptr)},
                          {"cost_usd", economics ? nlohmann::json(economics->cost_usd) : nlohmann::json(nullptr)},
                          {"economics", economics ? economics_json(*economics) : nlohmann::json(nullptr)},
                          {"searched", searched_json(sizing_result.searched)},
                          {"seconds", sizing_result.seconds}};
      if (!found) j["problem"] = problem;
      if (by_deadline) {
        j["deadline_days"] = deadline_days;
        j["granularity"] = grid.step;
        j["min_gpus"] = grid.first();
        j["max_gpus"] = grid.last();
      }
      out << j.dump(2) << "\n";
      break;
    }
    case ReportFormat::csv: {
      TextRows rows;
      std::vector<std::string> header = plan_csv_header(false);
      header.insert(header.begin(), {"gpus", "found", "cost_usd"});
      rows.push_back(header);
      if (found) {
        std::vector<std::string> row = plan_csv_cells(chosen.best, nullptr);
        row.insert(row.begin(), {std::to_string(chosen.gpus), "true", option_cell(economics->cost_usd)});
        rows.push_back(row);
      }
      write_rows(rows, true, out);
      break;
    }
    case ReportFormat::table: {
      out << "trainplan size: " << base.model.name << ", " << base.job.training_tokens << " tokens on " << base.gpu.name << " ("
          << base.fabric.name << ")";
      if (by_deadline) out << ", deadline " << fixed_decimals(deadline_days, 1) << " days";
      out << "\n";
      if (!found) {
        out << "  " << problem << "\n";
      } else {
        out << "  GPUs                    " << chosen.gpus;
        if (by_deadline) out << " (smallest multiple of " << grid.step << " found to meet the deadline)";
        out << "\n  time to train           " << fixed_decimals(chosen.best.time_to_train_days, 1) << " days failure-free, "
            << fixed_decimals(economics->time_to_train_days, 1) << " days with failures and checkpoints\n"
            << "  GPU-days                " << fixed_decimals(chosen.gpu_days(), 0) << "\n"
            << "  cost (" << to_string(economics->basis) << ")              $" << fixed_decimals(economics->cost_usd / 1e6, 1) << "M\n";
        out << "  best plan\n";
        write_rows({plan_table_header(true), plan_table_cells(chosen.best, &*economics)}, false, out);
      }
      if (by_deadline) {
        out << "  counts searched         ";
        for (std::size_t i = 0; i < sizing_result.searched.size(); ++i) {
          const CountOutcome& o = sizing_result.searched[i];
          out << (i ? ", " : "") << o.gpus << ": " << (o.found ? fixed_decimals(o.best.time_to_train_days, 1) + " d" : "none fits");
        }
        out << "\n";
      }
      break;
    }
  }
  return found ? 0 : 1;
}

}  // namespace trainplan
