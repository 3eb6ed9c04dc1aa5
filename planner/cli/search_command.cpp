// trainplan search: every plan of a stated space, the best first.
#include <ostream>

#include "commands.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"
#include "search_options.hpp"

namespace trainplan {

namespace {

nlohmann::json space_json(const SearchSpace& space) {
  const auto bounds = [](const KnobBounds& b) {
    return nlohmann::json{{"min", b.min}, {"max", b.max == 0 ? nlohmann::json(nullptr) : nlohmann::json(b.max)}};
  };
  nlohmann::json recompute = nlohmann::json::array(), precisions = nlohmann::json::array(), sp = nlohmann::json::array();
  for (Recompute r : space.recompute_modes) recompute.push_back(to_string(r));
  for (Precision p : space.precisions) precisions.push_back(to_string(p));
  for (bool on : space.sequence_parallel) sp.push_back(on);
  nlohmann::json j = {{"tp", bounds(space.tp)},
                      {"pp", bounds(space.pp)},
                      {"dp", bounds(space.dp)},
                      {"cp", bounds(space.cp)},
                      {"vp", bounds(space.vp)},
                      {"ep", bounds(space.ep)},
                      {"micro_batch", bounds(space.micro_batch)},
                      {"zero_stages", space.zero_stages},
                      {"recompute_modes", recompute},
                      {"sequence_parallel", sp},
                      {"precisions", precisions},
                      {"uneven_pipeline", space.uneven_pipeline},
                      {"prune_by_memory", space.prune_by_memory}};
  if (space.global_batch > 0)
    j["global_batch"] = space.global_batch;
  else
    j["max_global_batch"] = space.max_global_batch;
  return j;
}

}  // namespace

int search_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  PlanFlags flags;
  SearchFlags search_flags;
  std::string top_text = "10";
  boost::program_options::options_description options("Model, hardware and job");
  add_scenario_options(options, flags);
  boost::program_options::options_description layout("Fixed knobs (a given flag fixes its knob; the others are searched)");
  add_layout_options(layout, flags);
  boost::program_options::options_description space("Search space and output");
  add_search_options(space, search_flags);
  space.add_options()("top", boost::program_options::value(&top_text)->default_value(top_text), "plans to print");
  add_format_option(space, flags);
  boost::program_options::options_description economics_options("Failures, checkpoints, cost and energy (reported for the top plans)");
  add_economics_options(economics_options, flags);
  options.add(layout).add(space).add(economics_options);
  if (!parse_command_line(args, options,
                          "usage: trainplan search --gpus N (--global-batch N | --max-global-batch-tokens N) [options]\n\n"
                          "Evaluates every plan of the stated space (docs/search.md), drops those that do not fit in\n"
                          "memory, and prints the best. Exit status: 0 plans found, 1 none fits, 2 bad input.",
                          out, "search"))
    return 0;
  const ReportFormat format = parse_report_format(flags.format);
  const SearchSetup setup = build_search_setup(flags, search_flags, true);
  SearchOptions search_options = setup.options;
  search_options.top = parse_positive_int(top_text, "--top");
  if (search_options.top > 100000) throw InputError("command line", "--top", "at most 100000, got " + top_text);
  ProgressBar bar(err);
  if (bar.enabled())
    search_options.progress = [&bar](const SearchProgress& p) {
      bar.show("searching", p.layouts_total > 0 ? static_cast<double>(p.layouts_done) / static_cast<double>(p.layouts_total) : 1.0);
    };
  const Scenario& sc = setup.plan_setup.scenario;
  const SearchResult result = search_plans(sc, setup.space, search_options);
  bar.clear();
  const LoadedEconomics economics_settings = load_plan_economics(flags, setup.plan_setup.overrides);

  switch (format) {
    case ReportFormat::json: {
      nlohmann::json plans = nlohmann::json::array();
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        nlohmann::json entry = plan_result_json(result.plans[i]);
        entry.update(economics_json(plan_economics(sc, result.plans[i], economics_settings.model)));
        entry["rank"] = i + 1;
        plans.push_back(entry);
      }
      const nlohmann::json j = {{"model", sc.model.name},
                                {"gpu", sc.gpu.name},
                                {"fabric", sc.fabric.name},
                                {"gpus", sc.job.gpus},
                                {"objective", search_flags.objective},
                                {"space", space_json(setup.space)},
                                {"plans", plans},
                                {"layouts", result.layouts},
                                {"evaluated", result.evaluated},
                                {"feasible", result.feasible},
                                {"rejected", result.rejected},
                                {"threads", result.threads},
                                {"seconds", result.seconds}};
      out << j.dump(2) << "\n";
      break;
    }
    case ReportFormat::csv: {
      std::vector<std::vector<std::string>> rows;
      std::vector<std::string> header = plan_row_header();
      header.insert(header.begin(), "rank");
      rows.push_back(header);
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        std::vector<std::string> row = plan_row(result.plans[i]);
        row.insert(row.begin(), std::to_string(i + 1));
        rows.push_back(row);
      }
      write_rows(rows, true, out);
      break;
    }
    case ReportFormat::table: {
      out << "trainplan search: " << sc.model.name << " on " << sc.job.gpus << " x " << sc.gpu.name << " (" << sc.fabric.name
          << ")\n";
      out << "  " << result.evaluated << " plans evaluated over " << result.layouts << " layouts, " << result.feasible
          << " fit in memory, in " << result.seconds << " s on " << result.threads << " threads\n\n";
      if (result.plans.empty()) {
        out << "  no plan of the space fits in memory\n";
        break;
      }
      std::vector<std::vector<std::string>> rows;
      rows.push_back({"rank", "tp", "pp", "dp", "cp", "ep", "etp", "vp", "mb", "batch", "prec", "recompute", "sp", "zero", "step s",
                      "days", "days+fail", "MFU%", "GiB", "compute", "tp comm", "pp comm", "dp comm", "bubble", "other", "cost $M",
                      "MWh"});
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        const PlanResult& r = result.plans[i];
        const std::vector<std::string> c = plan_row(r);
        const StepBreakdown& b = r.breakdown;
        const auto seconds = [](double v) { return fixed_decimals(v, 3); };
        const std::string mfu = fixed_decimals(100 * r.mfu, 1);
        const RunEconomics e = plan_economics(sc, r, economics_settings.model);
        rows.push_back({std::to_string(i + 1), c[0], c[1], c[2], c[3], c[4], std::to_string(r.plan.routed_expert_tp()), c[5], c[6],
                        c[7], c[8], c[9],
                        r.plan.sequence_parallel ? "yes" : "no", c[11], seconds(r.step_time_s), fixed_decimals(r.time_to_train_days, 1),
                        fixed_decimals(e.time_to_train_days, 1), mfu, fixed_decimals(r.memory_per_gpu_gib, 1), seconds(b.compute_s),
                        seconds(b.tp_comm_s), seconds(b.pp_comm_s), seconds(b.dp_comm_s), seconds(b.pipeline_bubble_s),
                        seconds(b.cp_comm_s + b.ep_comm_s + b.optimizer_s + b.straggler_s), fixed_decimals(e.cost_usd / 1e6, 1),
                        fixed_decimals(e.energy_mwh, 0)});
      }
      write_rows(rows, false, out);
      out << "\n  breakdown columns: seconds per step on the busiest stage; other = context/expert comm + optimizer + waiting for the slowest GPU\n";
      break;
    }
  }
  return result.plans.empty() ? 1 : 0;
}

}  // namespace trainplan
