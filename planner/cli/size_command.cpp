// trainplan size: the smallest GPU count that meets a deadline, or the time a GPU count takes.
#include <optional>
#include <string>
#include <ostream>

#include "calendar_options.hpp"  // size --schedule
#include "commands.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"
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

void write_plan_line(const PlanResult& r, std::ostream& out) {
  const ParallelPlan& p = r.plan;
  out << "  best plan               tp " << p.tp << "  pp " << p.pp << "  dp " << p.dp << "  cp " << p.cp << "  ep " << p.ep
      << "  vp " << p.vp << "  micro-batch " << p.micro_batch << "  global batch " << p.global_batch << " x " << p.seq_len << "\n"
      << "                          " << to_string(p.precision) << ", recompute " << to_string(p.recompute)
      << (p.sequence_parallel ? ", sequence parallel" : "") << ", ZeRO " << p.zero_stage << "\n"
      << "  step time               " << fixed_decimals(r.step_time_s, 3) << " s, MFU " << fixed_decimals(100 * r.mfu, 1) << "%, "
      << fixed_decimals(r.memory_per_gpu_gib, 1) << " GiB per GPU\n";
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
  po::options_description economics_options("Failures, checkpoints, cost and energy");
  add_economics_options(economics_options, flags);
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
                          "(failure-free), never more than the fabric (--topology) reaches; --gpus: the best plan and its time\n"
                          "for N GPUs. Exit status: 0 found, 1 no count meets the deadline (or nothing fits), 2 bad input.",
                          out, "size"))
    return 0;
  if (schedule_requested(schedule_flags)) {
    if (!size_flags.deadline_days.empty()) throw InputError("command line", "--deadline-days", "not with --schedule: give --finish-by DATE");
    if (!size_flags.granularity.empty() || !size_flags.min_gpus.empty())
      throw InputError("command line", size_flags.granularity.empty() ? "--min-gpus" : "--granularity",
                       "not with --schedule: the schedule's granularity_gpus sets the counts");
    return size_with_schedule(flags, search_flags, schedule_flags, parse_positive_int(size_flags.max_gpus, "--max-gpus"), out, err);
  }
  const ReportFormat format = parse_report_format(flags.format);
  const bool by_deadline = !size_flags.deadline_days.empty();
  if (by_deadline == !flags.gpus.empty())
    throw InputError("command line", "--deadline-days", "give either --deadline-days D (how many GPUs) or --gpus N (how long)");
  if (flags.tokens.empty()) throw InputError("command line", "--tokens", "missing: how many tokens does the run train on?");
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
      std::vector<std::vector<std::string>> rows;
      std::vector<std::string> header = plan_row_header();
      header.insert(header.begin(), {"gpus", "found", "cost_usd"});
      rows.push_back(header);
      if (found) {
        std::vector<std::string> row = plan_row(chosen.best);
        row.insert(row.begin(), {std::to_string(chosen.gpus), "true", fixed_decimals(economics->cost_usd, 0)});
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
        write_plan_line(chosen.best, out);
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
