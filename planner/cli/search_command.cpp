// trainplan search: every plan of a stated space, the best first.
#include <ostream>

#include "framework_options.hpp"  // ---- Megatron-LM / NeMo names ----
#include "commands.hpp"
#include "flag_values.hpp"
#include "planner/core/plan_notes.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/search_report.hpp"
#include "progress_bar.hpp"
#include "report_output.hpp"
#include "planner/core/search/uneven_pipeline_hint.hpp"  // ---- uneven-pipeline hint ----
#include "no_layout_note.hpp"  // ---- no layout: why, and the nearest counts ----
#include "search_options.hpp"
#include "uncertainty_options.hpp"  // ---- uncertainty ranges ----

namespace trainplan {

int search_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  PlanFlags flags;
  SearchFlags search_flags;
  std::string top_text = "10";
  boost::program_options::options_description options("Model, hardware and job");
  add_scenario_options(options, flags);
  boost::program_options::options_description layout("Searched knobs (each flag given fixes its knob)");
  boost::program_options::options_description fixed_knobs("Fixed knobs (not searched: the default unless given)");
  add_search_layout_options(layout, fixed_knobs, flags);
  layout.add(fixed_knobs);
  boost::program_options::options_description space("Search space and output");
  add_search_options(space, search_flags);
  space.add_options()("top", boost::program_options::value(&top_text)->default_value(top_text), "plans to print");
  add_format_option(space, flags);
  std::string report_path;  // ---- decision report ----
  add_report_option(space, report_path);
  boost::program_options::options_description economics_options("Failures, checkpoints, cost and energy (reported for the top plans)");
  add_economics_options(economics_options, flags);
  UncertaintyFlags uncertainty_flags;  // ---- uncertainty ranges of the top plans (JSON) ----
  add_uncertainty_options(economics_options, uncertainty_flags);
  options.add(layout).add(space).add(economics_options);
  if (!parse_command_line(args, options,
                          "usage: trainplan search --gpus N (--global-batch N | --max-global-batch-tokens N) [options]\n\n"
                          "Evaluates every plan of the stated space (docs/search.md), drops those that do not fit in\n"
                          "memory, and prints the best. Exit status: 0 plans found, 1 none fits, 2 bad input.",
                          out, "search"))
    return 0;
  resolve_framework_names(flags, err, "search");  // ---- Megatron-LM / NeMo names ----
  const ReportFormat format = parse_report_format(flags.format);
  const SearchSetup setup = build_search_setup(flags, search_flags, true);
  print_setup_note(setup.plan_setup, "search", err);  // ---- --slurm without --gpus ----
  SearchOptions search_options = setup.options;
  search_options.top = parse_positive_int(top_text, "--top");
  if (search_options.top > 100000) throw InputError("command line", "--top", "at most 100000, got " + top_text);
  ProgressBar bar(err);
  if (bar.enabled())
    search_options.progress = [&bar](const SearchProgress& p) {
      bar.show("searching", p.layouts_total > 0 ? static_cast<double>(p.layouts_done) / static_cast<double>(p.layouts_total) : 1.0);
    };
  const Scenario& sc = setup.plan_setup.scenario;
  SearchResult result = search_plans(sc, setup.space, search_options);
  for (PlanResult& plan : result.plans) plan.notes = plan_costing_notes(plan);  // the reported plans only, as `plan` says them
  bar.clear();
  // ---- no plans: is it because no layout takes the batch (why, and the nearest counts with a plan)? ----
  const std::optional<NoLayoutNote> no_layout =
      result.plans.empty() ? no_layout_note(setup, search_options, sc.job.gpus) : std::nullopt;
  // ---- the uneven-pipeline hint: pipelines of more stages than the layers' divisors allow, when faster ----
  const std::optional<PlanResult> uneven_alternative =
      result.plans.empty() ? std::nullopt : uneven_pipeline_alternative(sc, setup.space, search_options, result.plans.front());
  const LoadedEconomics economics_settings = load_plan_economics(flags, setup.plan_setup.overrides);
  const LoadedUncertainty uncertainty = load_uncertainty(uncertainty_flags);
  if (!report_path.empty()) {  // ---- decision report (--report FILE.html) ----
    DecisionReport decision = start_report("search", args, sc, economics_settings);
    for (std::size_t i = 0; i < result.plans.size(); ++i)
      decision.plans.push_back(report_plan(decision, sc, result.plans[i], std::to_string(i + 1)));
    decision.plans_caption = "The best " + std::to_string(result.plans.size()) + " of " + std::to_string(result.evaluated) +
                             " plans evaluated over " + std::to_string(result.layouts) + " layouts (" +
                             std::to_string(result.feasible) + " fit in memory).";
    if (result.plans.empty())
      decision.answer_notes.push_back(no_layout ? no_layout->text() : "No plan of the searched space fits in memory.");
    if (uneven_alternative)  // ---- the uneven-pipeline hint ----
      decision.answer_notes.push_back(uneven_pipeline_hint_text(result.plans.front(), *uneven_alternative, sc.model.layers));
    add_report_uncertainty(decision, sc, uncertainty);
    write_report_file(decision, report_path);
  }
  SearchReport report;
  report.model = sc.model.name;
  report.gpu = sc.gpu.name;
  report.fabric = sc.fabric.name;
  report.gpus = sc.job.gpus;
  report.objective = search_flags.objective;
  report.space = setup.space;
  report.result = result;
  report.no_layout = no_layout;
  report.layers = sc.model.layers;
  report.uneven_alternative = uneven_alternative;
  // Every format carries time_to_train_days with failures: the economics of every plan listed.
  for (const PlanResult& plan : result.plans) report.economics.push_back(plan_economics(sc, plan, economics_settings.model));
  // ---- uncertainty ranges of the top plans (JSON only; each plan's layout kept, not re-searched) ----
  if (format == ReportFormat::json && uncertainty.enabled) {
    for (const PlanResult& plan : result.plans)
      report.uncertainty.push_back(plan_uncertainty(sc, plan.plan, economics_settings.model, uncertainty.model));
    report.uncertainty_model = &uncertainty.model;
    report.uncertainty_source = uncertainty.source;
  }
  // ---- the answer's ranges with the layout re-searched per sample (table and JSON) ----
  if (format != ReportFormat::csv && uncertainty.enabled && !result.plans.empty() && sc.job.training_tokens > 0) {
    report.researched = search_answer_uncertainty(sc, setup.space, search_options, result, economics_settings.model, uncertainty.model);
    report.uncertainty_model = &uncertainty.model;
    report.uncertainty_source = uncertainty.source;
  }
  write_search_report(report, format, out);
  return result.plans.empty() ? 1 : 0;
}

}  // namespace trainplan
