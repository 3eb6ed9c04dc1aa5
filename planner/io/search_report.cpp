#include "search_report.hpp"
#include "uncertainty_report.hpp"  // ---- uncertainty ranges ----
#include "researched_uncertainty_report.hpp"

#include <ostream>

#include "cost_table.hpp"  // ---- cost labelling ----
#include "labelled_notes_text.hpp"
#include "plan_row.hpp"
#include "row_writer.hpp"
#include "number_text.hpp"

namespace trainplan {

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

// ---- the uneven-pipeline hint: the figure --uneven-pipeline would give ----
std::string uneven_pipeline_hint_text(const PlanResult& even, const PlanResult& uneven, int layers) {
  const auto figure = [](const PlanResult& p) {
    return (p.time_to_train_days > 0 ? fixed_decimals(p.time_to_train_days, 1) + " days, " : std::string()) +
           fixed_decimals(p.tokens_per_second, 0) + " tokens/s";
  };
  return "hint: --uneven-pipeline finds pp " + std::to_string(uneven.plan.pp) + " (tp " + std::to_string(uneven.plan.tp) + ", dp " +
         std::to_string(uneven.plan.dp) + ") at " + figure(uneven) + ", against " + figure(even) + " for the best plan above: pp must divide the " +
         std::to_string(layers) + " layers unless uneven stages are allowed (docs/search.md, \"Uneven pipelines\")";
}

void write_search_report(const SearchReport& r, ReportFormat format, std::ostream& out) {
  const SearchResult& result = r.result;
  switch (format) {
    case ReportFormat::json: {
      nlohmann::json plans = nlohmann::json::array();
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        nlohmann::json entry = plan_result_json(result.plans[i]);
        entry.update(economics_json(r.economics[i]));
        if (i < r.uncertainty.size() && r.uncertainty_model)  // ---- uncertainty ranges ----
          entry.update(uncertainty_json(r.uncertainty[i], *r.uncertainty_model, r.uncertainty_source));
        entry["rank"] = i + 1;
        plans.push_back(entry);
      }
      const nlohmann::json j = {{"model", r.model},
                                {"gpu", r.gpu},
                                {"fabric", r.fabric},
                                {"gpus", r.gpus},
                                {"objective", r.objective},
                                {"space", space_json(r.space)},
                                {"plans", plans},
                                {"layouts", result.layouts},
                                {"evaluated", result.evaluated},
                                {"feasible", result.feasible},
                                {"rejected", result.rejected},
                                {"threads", result.threads},
                                {"seconds", result.seconds}};
      nlohmann::json with_problem = j;
      if (r.uneven_alternative && !result.plans.empty()) {  // ---- the uneven-pipeline hint ----
        const PlanResult& u = *r.uneven_alternative;
        with_problem["uneven_pipeline_hint"] = {{"pp", u.plan.pp},
                                                {"time_to_train_days", u.time_to_train_days},
                                                {"tokens_per_second", u.tokens_per_second},
                                                {"step_time_s", u.step_time_s},
                                                {"plan", plan_result_json(u)}};
      }
      if (r.researched && r.uncertainty_model)  // ---- the answer's ranges, re-searched per sample ----
        with_problem["answer_uncertainty"] = researched_uncertainty_json(*r.researched, *r.uncertainty_model, r.uncertainty_source);
      if (result.plans.empty()) {  // ---- why no plan: no layout (and the nearest counts) or memory ----
        with_problem["problem"] = r.no_layout ? r.no_layout->reason : "no plan of the space fits in memory";
        if (r.no_layout) {
          const auto count = [](int n) { return n > 0 ? nlohmann::json(n) : nlohmann::json(nullptr); };
          with_problem["nearest_gpus"] = {{"below", count(r.no_layout->nearest.below)}, {"above", count(r.no_layout->nearest.above)}};
        }
      }
      out << with_problem.dump(2) << "\n";
      break;
    }
    case ReportFormat::csv: {
      TextRows rows;
      std::vector<std::string> header = plan_csv_header(true);
      header.insert(header.begin(), "rank");
      rows.push_back(header);
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        std::vector<std::string> row = plan_csv_cells(result.plans[i], i < r.economics.size() ? &r.economics[i] : nullptr);
        row.insert(row.begin(), std::to_string(i + 1));
        rows.push_back(row);
      }
      write_rows(rows, true, out);
      break;
    }
    case ReportFormat::table: {
      out << "trainplan search: " << r.model << " on " << r.gpus << " x " << r.gpu << " (" << r.fabric
          << ")\n";
      out << "  " << result.evaluated << " plans evaluated over " << result.layouts << " layouts, " << result.feasible
          << " fit in memory, in " << fixed_decimals(result.seconds, 3) << " s on " << result.threads << " threads\n\n";
      if (result.plans.empty()) {
        if (r.no_layout)
          out << "  " << r.no_layout->reason << "\n  " << r.no_layout->nearest_text() << "\n";
        else
          out << "  no plan of the space fits in memory\n";
        break;
      }
      TextRows rows;
      std::vector<std::string> header = plan_table_header(true);
      header.insert(header.begin(), "rank");
      rows.push_back(header);
      for (std::size_t i = 0; i < result.plans.size(); ++i) {
        std::vector<std::string> row = plan_table_cells(result.plans[i], &r.economics[i]);
        row.insert(row.begin(), std::to_string(i + 1));
        rows.push_back(row);
      }
      write_rows(rows, false, out);
      out << "\n  breakdown columns: seconds per step on the busiest stage; ep comm = expert all-to-all (MoE); other = context comm + optimizer + waiting for the slowest GPU + links shared by kinds + activation offload\n";
      if (!r.economics.empty() && has_time_to_train(r.economics.front())) out << "  cost: " << cost_basis_line(r.economics.front()) << "\n";  // ---- cost labelling ----
      if (!r.space.rank_orders.empty()) {  // ---- sites: the rank order each plan was chosen with ----
        out << "  rank order (searched on a fabric with sites):";
        for (std::size_t i = 0; i < result.plans.size(); ++i) out << (i ? ", " : " ") << i + 1 << " " << to_string(result.plans[i].plan.rank_order);
        out << "\n";
      }
      if (r.space.offload_to_fit || r.space.base.activation_offload_layers > 0) {  // ---- activation offloading ----
        out << "  activation offload (layers whose activations go to host memory):";
        for (std::size_t i = 0; i < result.plans.size(); ++i)
          out << (i ? ", " : " ") << i + 1 << " " << activation_offload_cell(result.plans[i]);
        out << "\n";
      }
      {  // ---- how the listed plans were costed (core/plan_notes.hpp) ----
        std::vector<std::pair<std::string, std::vector<std::string>>> noted;
        for (std::size_t i = 0; i < result.plans.size(); ++i) noted.emplace_back(std::to_string(i + 1), result.plans[i].notes);
        for (const auto& line : labelled_notes_lines(noted, "plans")) out << "  " << line << "\n";
      }
      if (r.uneven_alternative) out << "\n  " << uneven_pipeline_hint_text(result.plans.front(), *r.uneven_alternative, r.layers) << "\n";  // ---- the uneven-pipeline hint ----
      if (r.researched) write_researched_uncertainty(*r.researched, out);  // ---- the answer's range, re-searched ----
      break;
    }
  }
}

}  // namespace trainplan
