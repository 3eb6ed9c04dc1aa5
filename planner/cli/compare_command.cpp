// trainplan compare: one plan over several fabrics (topology files or --set what-ifs), side by side.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <ostream>

#include "commands.hpp"
#include "plan_options.hpp"
#include "planner/core/cost_energy.hpp"
#include "planner/core/fabric_sizing.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

struct Variant {
  std::string label;
  std::string topology;          // empty: the plan's --topology (or the default)
  std::vector<std::string> sets; // extra --set overrides of this variant
};

struct VariantResult {
  Variant variant;
  std::string fabric;
  PlanResult plan;
  RunEconomics economics;
  FabricSize size;
};

}  // namespace

int compare_command(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  PlanFlags flags;
  std::vector<std::string> topologies, variants;
  po::options_description options("Model, hardware and job");
  add_scenario_options(options, flags);
  po::options_description layout("Parallel layout and training settings");
  add_layout_options(layout, flags);
  add_format_option(layout, flags);
  layout.add_options()
      ("topologies", po::value(&topologies)->multitoken(), "topology names or files to compare")
      ("variant", po::value(&variants)->composing(), "a what-if of the base fabric: one or more fabric.KEY=VALUE joined by ';' (repeatable)");
  options.add(layout);
  po::options_description economics("Failures, checkpoints, cost and energy");
  add_economics_options(economics, flags);
  options.add(economics);
  if (!parse_command_line(args, options,
                          "usage: trainplan compare --gpus N (--global-batch N | --global-batch-tokens N) [plan options]\n"
                          "                         (--topologies A B ... | --variant 'fabric.KEY=VALUE;...' ...)\n\n"
                          "Runs one plan over several fabrics and prints step time, MFU, time-to-train, network size and\n"
                          "cost side by side.",
                          out, "compare"))
    return 0;
  const ReportFormat format = parse_report_format(flags.format);
  if (topologies.empty() && variants.empty())
    throw InputError("command line", "--topologies", "missing: give topologies or --variant what-ifs to compare");

  std::vector<Variant> list;
  for (const auto& t : topologies) list.push_back({t, t, {}});
  if (!variants.empty()) list.push_back({"base", "", {}});
  for (const auto& v : variants) {
    if (v.empty() || v.find(";;") != std::string::npos || v.front() == ';' || v.back() == ';')
      throw InputError("command line", "--variant", "expected one or more fabric.KEY=VALUE joined by ';', got '" + v + "'");
    Variant variant{v, "", {}};
    std::string rest = v;
    while (!rest.empty()) {
      const auto semicolon = rest.find(';');
      variant.sets.push_back(rest.substr(0, semicolon));
      rest = semicolon == std::string::npos ? "" : rest.substr(semicolon + 1);
    }
    list.push_back(variant);
  }

  std::vector<VariantResult> results;
  for (const auto& variant : list) {
    PlanFlags f = flags;
    if (!variant.topology.empty()) f.topology = variant.topology;
    f.sets.insert(f.sets.end(), variant.sets.begin(), variant.sets.end());
    const PlanSetup setup = build_plan_setup(f, true);
    VariantResult r{variant, setup.scenario.fabric.name, evaluate(setup.scenario, setup.plan), {},
                    size_fabric(setup.scenario.fabric, setup.scenario.job.gpus)};
    // A fabric that cannot connect the job's GPUs makes the plan impossible on it.
    if (!r.size.reachable) {
      r.plan.valid = false;
      r.plan.problems.insert(r.plan.problems.begin(), "the fabric " + r.fabric + " reaches at most " + std::to_string(r.size.max_gpus) +
                                                          " GPUs");
    }
    if (r.plan.valid) r.economics = plan_economics(setup.scenario, r.plan, load_plan_economics(f, setup.overrides).model);
    results.push_back(std::move(r));
  }

  if (format == ReportFormat::json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : results) {
      nlohmann::json row = {{"variant", r.variant.label}, {"fabric", r.fabric}, {"total_switches", r.size.total_switches},
                            {"total_cables", r.size.total_cables}, {"bisection_gb_s", r.size.bisection_gb_s},
                            {"max_gpus", r.size.max_gpus}};
      row["plan"] = plan_result_json(r.plan);
      if (r.plan.valid) row["economics"] = economics_json(r.economics);
      j.push_back(row);
    }
    out << nlohmann::json{{"variants", j}}.dump(2) << "\n";
    return 0;
  }
  if (format == ReportFormat::csv) {
    out << "variant,fabric,valid,step_time_s,mfu,dp_comm_s,time_to_train_days_failure_free,time_to_train_days,total_switches,"
           "total_cables,cost_usd\n";
    for (const auto& r : results)
      out << '"' << r.variant.label << "\"," << r.fabric << "," << (r.plan.valid ? "true" : "false") << "," << r.plan.step_time_s
          << "," << r.plan.mfu << "," << r.plan.breakdown.dp_comm_s << "," << r.plan.time_to_train_days << ","
          << r.economics.time_to_train_days << "," << r.size.total_switches << "," << r.size.total_cables << ","
          << r.economics.cost_usd << "\n";
    return 0;
  }
  char line[320];
  std::snprintf(line, sizeof line, "%-44s %8s %6s %8s %9s %9s %9s %8s %10s\n", "variant", "step s", "MFU%", "dp comm", "days",
                "days+fail", "switches", "cables", "cost $M");
  out << line;
  for (const auto& r : results) {
    if (!r.plan.valid) {
      out << r.variant.label << ": impossible plan: " << (r.plan.problems.empty() ? "" : r.plan.problems.front()) << "\n";
      continue;
    }
    std::snprintf(line, sizeof line, "%-44s %8.3f %6.1f %8.3f %9.1f %9.1f %9d %8lld %10.1f\n", r.variant.label.substr(0, 44).c_str(),
                  r.plan.step_time_s, 100 * r.plan.mfu, r.plan.breakdown.dp_comm_s, r.plan.time_to_train_days,
                  r.economics.time_to_train_days, r.size.total_switches, r.size.total_cables, r.economics.cost_usd / 1e6);
    out << line;
  }
  return 0;
}

}  // namespace trainplan
