#pragma once
// The words search, size, sweep and plan use when a GPU count has no layout (and the nearest counts
// that have a plan): one wording for every command.
#include <cstdint>
#include <string>

#include "planner/core/search/layout_shortfall.hpp"

namespace trainplan {

// "2^3 x 5^5"; "1" for 1.
std::string prime_factors_text(std::int64_t n);
// "no layout for 25000 GPUs (2^3 x 5^5): ..." with the stage where the layouts run out and why.
std::string no_layout_reason(const LayoutShortfall& shortfall, const Scenario& scenario);
// "nearest GPU counts with a plan that fits: 24576 below, 30720 above (multiples of 8)"; `what`
// replaces "with a plan that fits" (plan: "where this plan is valid and fits").
std::string nearest_counts_text(const NearestCounts& nearest, int step, const std::string& what = "with a plan that fits");

// A count without a layout, as the reports carry it.
struct NoLayoutNote {
  std::string reason;     // no_layout_reason
  NearestCounts nearest;
  int step = 8;           // the nearest counts are multiples of this (GPUs per node); 0: not looked for
  std::string nearest_text() const { return step > 0 ? nearest_counts_text(nearest, step) : ""; }
  std::string text() const { return step > 0 ? reason + "; " + nearest_text() : reason; }
};

}  // namespace trainplan
