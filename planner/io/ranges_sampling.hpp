#pragma once
// How the p10/p50/p90 of a row of size, sweep or compare were sampled: the layout re-searched per
// sample (researched_uncertainty.hpp), fixed by the flags (one layout: nothing to re-search), or
// kept (compare runs the plan it is given). A table line and a JSON object `ranges_sampling`.
#include <nlohmann/json.hpp>
#include <string>

#include "planner/core/search/researched_uncertainty.hpp"

namespace trainplan {

struct RangesSampling {
  std::string layout;  // "re-searched", "fixed by flags" or "kept"
  std::string text;    // in words
  int samples = 0;     // samples drawn (re-searched: with their own best plan each)
  int samples_with_other_plan = 0;  // re-searched: valid samples whose best plan is not the point answer
  int distinct_plans = 1;           // re-searched: different best plans over the valid samples
};

RangesSampling ranges_sampling_of(const ResearchedUncertainty& r);
// The layout kept, not re-searched: `fixed_by_flags` says "fixed by flags", otherwise "kept"
// with `why` in the text.
RangesSampling ranges_sampling_kept(bool fixed_by_flags, const std::string& why);

// {"layout", "text", "samples", "samples_with_other_plan", "distinct_plans"}; null without one.
nlohmann::json ranges_sampling_json(const RangesSampling* sampling);

}  // namespace trainplan
