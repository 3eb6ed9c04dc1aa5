// trainplan compare: one plan over several fabrics (topology files or --set what-ifs), side by side.
#include <ostream>

#include "framework_options.hpp"  // ---- Megatron-LM / NeMo names ----
#include "commands.hpp"
#include "plan_options.hpp"
#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/core/plan_notes.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/compare_report.hpp"
#include "planner/io/ranges_sampling.hpp"
#include "report_output.hpp"
#include "uncertainty_options.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

// Whether the flags give every knob search would otherwise search (tp, pp, cp, vp, micro-batch, ZeRO,
// recomputation, sequence parallelism unless tp is 1, ep and expert tp for MoE, the batch).
bool layout_given_in_full(const PlanFlags& flags, const ModelShape& model) {
  const auto given = [&](const char* key) { return !flags.given(key).empty(); };
  const bool tp_one = given("tp") && flags.given("tp") == "1";
  return given("tp") && given("pp") && given("cp") && given("vp") && given("micro_batch") && given("zero") && given("recompute") &&
         (tp_one || given("sequence_parallel")) && (given("global_batch") || given("global_batch_tokens")) &&
         (!model.is_moe() || (given("ep") && (tp_one || given("expert_tp"))));
}

struct Variant {
  std::string label;
  std::string topology;          // empty: the plan's --topology (or the default)
  std::vector<std::string> sets; // extra --set overrides of this variant
};

}  // namespace

int compare_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  PlanFlags flags;
  std::vector<std::string> topologies, variants;
  po::options_description options("Model, hardware and job");
  add_scenario_options(options, flags);
  po::options_description layout("Parallel layout and training settings");
  add_layout_options(layout, flags);
  add_format_option(layout, flags);
  std::string report_path;  // ---- decision report ----
  add_report_option(layout, report_path);
  layout.add_options()
      ("topologies", po::value(&topologies)->multitoken(), "topology names or files to compare")
      ("variant", po::value(&variants)->composing(), "a what-if of the base fabric: one or more fabric.KEY=VALUE joined by ';' (repeatable)");
  options.add(layout);
  po::options_description economics("Failures, checkpoints, cost and energy");
  add_economics_options(economics, flags);
  UncertaintyFlags uncertainty_flags;  // ---- ranges of each variant ----
  add_uncertainty_options(economics, uncertainty_flags);
  options.add(economics);
  if (!parse_command_line(args, options,
                          "usage: trainplan compare --gpus N (--global-batch N | --global-batch-tokens N) [plan options]\n"
                          "                         (--topologies A B ... | --variant 'fabric.KEY=VALUE;...' ...)\n\n"
                          "Runs one plan over several fabrics and prints step time, MFU, time-to-train, network size and\n"
                          "cost side by side.",
                          out, "compare"))
    return 0;
  resolve_framework_names(flags, err, "compare");  // ---- Megatron-LM / NeMo names ----
  const ReportFormat format = parse_report_format(flags.format);
  if (topologies.empty() && variants.empty())
    throw InputError("command line", "--topologies", "missing: give topologies or --variant what-ifs to compare");

  std::vector<Variant> list;
  // --slurm: the cluster's own fabric is compared first, against each of --topologies.
  if (!flags.slurm.empty() && !topologies.empty()) list.push_back({flags.slurm, "", {}});
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

  const LoadedUncertainty uncertainty = load_uncertainty(uncertainty_flags);
  std::vector<CompareRow> results;
  std::vector<std::pair<Scenario, LoadedEconomics>> report_inputs;  // ---- decision report ----
  for (const auto& variant : list) {
    PlanFlags f = flags;
    if (!variant.topology.empty()) f.topology = variant.topology, f.slurm.clear();  // a topology row replaces --slurm
    f.sets.insert(f.sets.end(), variant.sets.begin(), variant.sets.end());
    const PlanSetup setup = build_plan_setup(f, true);
    if (&variant == &list.front()) print_setup_note(setup, "compare", err);
    CompareRow r{variant.label, setup.scenario.fabric.name, evaluate(setup.scenario, setup.plan), {},
                 size_fabric(setup.scenario.fabric, setup.scenario.job.gpus), std::nullopt, std::nullopt};
    // A fabric that cannot connect the job's GPUs makes the plan impossible on it.
    if (!r.size.reachable) {
      r.plan.valid = false;
      r.plan.problems.insert(r.plan.problems.begin(), "the fabric " + r.fabric + " reaches at most " + std::to_string(r.size.max_gpus) +
                                                          " GPUs");
    }
    r.plan.notes = plan_costing_notes(r.plan);  // how it was costed, as `plan` says it
    if (r.plan.valid) r.economics = plan_economics(setup.scenario, r.plan, load_plan_economics(f, setup.overrides).model);
    if (r.plan.valid && uncertainty.enabled && setup.scenario.job.training_tokens > 0) {  // ---- ranges ----
      r.ranges = plan_uncertainty(setup.scenario, r.plan.plan, load_plan_economics(f, setup.overrides).model, uncertainty.model);
      r.ranges_sampling = ranges_sampling_kept(layout_given_in_full(flags, setup.scenario.model),
                                               "compare runs the one plan given (defaults for the knobs not given) on each fabric");
    }
    if (!report_path.empty()) report_inputs.emplace_back(setup.scenario, load_plan_economics(f, setup.overrides));
    results.push_back(std::move(r));
  }
  if (!report_path.empty()) {  // ---- decision report (--report FILE.html): one plan per variant ----
    std::size_t shown = 0;  // the first variant with a valid plan sets the answer, fabric and cost sections
    while (shown + 1 < results.size() && !results[shown].plan.valid) ++shown;
    DecisionReport report = start_report("compare", args, report_inputs[shown].first, report_inputs[shown].second);
    for (std::size_t i = 0; i < results.size(); ++i)
      report.plans.push_back(report_plan(report, report_inputs[i].first, results[i].plan, results[i].label));
    report.plans_caption = "One plan over each variant, in the order given; the answer, fabric and cost sections show the first valid one.";
    write_report_file(report, report_path);
  }

  write_compare_report(results, format, out);
  return 0;
}

}  // namespace trainplan
