// trainplan search: every plan of a stated space, the best first.
#include <ostream>

#include "commands.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/plan_report.hpp"
#include "flag_values.hpp"
#include "planner/io/number_text.hpp"
#include "planner/io/plan_row.hpp"
#include "planner/io/row_writer.hpp"
#include "progress_bar.hpp"
#include "scenario_at_count.hpp"
#include "report_output.hpp"
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
  std::string report_path;  // ---- decision report ----
  add_report_option(space, report_path);
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
  if (!report_path.empty()) {  // ---- decision report (--report FILE.html) ----
    DecisionReport report = start_report("search", args, sc, economics_settings);
    for (std::size_t i = 0; i < result.plans.size(); ++i)
      report.plans.push_back(report_plan(report, sc, result.plans[i], std::to_string(i + 1)));
    report.plans_caption = "The best " + std::to_string(result.plans.size()) + " of " + std::to_string(result.evaluated) +
                           " plans evaluated over " + std::to_string(result.layouts) + " layouts (" +
                           std::to_string(result.feasible) + " fit in memory).";
    if (result.plans.empty()) report.answer_notes.push_back("No plan of the searched space fits in memory.");
    write_report_file(report, report_path);
  }

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
      TextRows rows;
      std::vector<std::string> header = plan_csv_header(false);
      header.insert(header.begin(), "rank");
      rows.push_back(header);
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        std::vector<std::string> row = plan_csv_cells(result.plans[i], nullptr);
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
      TextRows rows;
      std::vector<std::string> header = plan_table_header(true);
      header.insert(header.begin(), "rank");
      rows.push_back(header);
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        const RunEconomics e = plan_economics(sc, result.plans[i], economics_settings.model);
        std::vector<std::string> row = plan_table_cells(result.plans[i], &e);
        row.insert(row.begin(), std::to_string(i + 1));
        rows.push_back(row);
      }
      write_rows(rows, false, out);
      out << "\n  breakdown columns: seconds per step on the busiest stage; other = context/expert comm + optimizer\n";
      break;
    }
  }
  return result.plans.empty() ? 1 : 0;
}

}  // namespace trainplan
