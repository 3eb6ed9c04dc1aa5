#include "ranges_sampling.hpp"

#include "researched_uncertainty_report.hpp"

namespace trainplan {

RangesSampling ranges_sampling_of(const ResearchedUncertainty& r) {
  RangesSampling s;
  s.layout = r.layout_fixed ? "fixed by flags" : "re-searched";
  s.text = researched_sampling_text(r);
  s.samples = r.summary.samples;
  s.samples_with_other_plan = r.samples_with_other_plan;
  s.distinct_plans = r.distinct_plans;
  return s;
}

RangesSampling ranges_sampling_kept(bool fixed_by_flags, const std::string& why) {
  RangesSampling s;
  s.layout = fixed_by_flags ? "fixed by flags" : "kept";
  s.text = fixed_by_flags ? "layout fixed by flags, not re-searched" : "layout kept, not re-searched: " + why;
  return s;
}

nlohmann::json ranges_sampling_json(const RangesSampling* s) {
  if (!s) return nullptr;
  return {{"layout", s->layout},
          {"text", s->text},
          {"samples", s->samples},
          {"samples_with_other_plan", s->samples_with_other_plan},
          {"distinct_plans", s->distinct_plans}};
}

}  // namespace trainplan
