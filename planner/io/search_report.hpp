#pragma once
// The report of `trainplan search`: the best plans of a space, ranked (table, JSON, CSV).
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "plan_report.hpp"
#include "planner/core/search/plan_search.hpp"
#include "planner/core/economics/uncertainty.hpp"  // ---- uncertainty ranges ----
#include "planner/core/search/researched_uncertainty.hpp"
#include "planner/io/layout_shortfall_text.hpp"  // ---- no layout ----

namespace trainplan {

struct SearchReport {
  std::string model, gpu, fabric;
  int gpus = 0;
  std::string objective;             // as given: time | step
  SearchSpace space;
  SearchResult result;
  std::vector<RunEconomics> economics;  // of each plan of result.plans
  // ---- uncertainty ranges of each plan (JSON only; empty: none), the model and its source ----
  std::vector<UncertaintySummary> uncertainty;
  const UncertaintyModel* uncertainty_model = nullptr;
  std::string uncertainty_source;
  // ---- the answer's ranges with the layout re-searched per sample (researched_uncertainty.hpp) ----
  std::optional<ResearchedUncertainty> researched;
  // ---- no plans because the count has no layout for the batch: why, and the nearest counts ----
  std::optional<NoLayoutNote> no_layout;
  // ---- an uneven pipeline with more stages beats the best even plan: the hint's plan ----
  std::optional<PlanResult> uneven_alternative;
  int layers = 0;                    // the model's, for the hint
};

nlohmann::json space_json(const SearchSpace& space);
// "hint: --uneven-pipeline finds pp 16 (tp 4, dp 16) at 161.4 days, ... against ... for the best plan
// above: ...": the uneven-pipeline hint of the table and of the decision report.
std::string uneven_pipeline_hint_text(const PlanResult& even_best, const PlanResult& uneven, int layers);

void write_search_report(const SearchReport& report, ReportFormat format, std::ostream& out);

}  // namespace trainplan
