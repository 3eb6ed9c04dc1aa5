#include "researched_uncertainty_report.hpp"

#include <ostream>

#include "uncertainty_report.hpp"

namespace trainplan {

std::string researched_sampling_text(const ResearchedUncertainty& r) {
  if (r.layout_fixed) return "layout fixed by flags, not re-searched (the flags allow one plan)";
  return "per sample the whole space re-searched at the sample's routing efficiency, the best plan kept: rank 1's plan in " +
         std::to_string(r.summary.valid_samples - r.samples_with_other_plan) + " of " + std::to_string(r.summary.valid_samples) +
         " samples, " + std::to_string(r.distinct_plans) + " distinct plan" + (r.distinct_plans == 1 ? "" : "s");
}

nlohmann::json researched_uncertainty_json(const ResearchedUncertainty& r, const UncertaintyModel& model, const std::string& source) {
  nlohmann::json j = uncertainty_json(r.summary, model, source);
  j["uncertainty"]["sampling"] = "Latin hypercube; " + researched_sampling_text(r);
  j["uncertainty"]["samples_with_other_plan"] = r.samples_with_other_plan;
  j["uncertainty"]["distinct_plans"] = r.distinct_plans;
  j["uncertainty"]["plans_evaluated"] = r.plans_evaluated;
  j["uncertainty"]["plans_ranked"] = r.plans_ranked;
  return j;
}

void write_researched_uncertainty(const ResearchedUncertainty& r, std::ostream& out) {
  write_uncertainty_table(r.summary, out, researched_sampling_text(r));
}

}  // namespace trainplan
