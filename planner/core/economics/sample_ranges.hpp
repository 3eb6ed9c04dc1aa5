#pragma once
// The ranges of a set of sample outcomes: how many were drawn and valid, and p10 / p50 / p90 of
// failure-free days, days with failures and cost over the valid ones. The one place sample outcomes
// become percentiles, whether each sample kept the layout (uncertainty.cpp) or re-searched it
// (planner/core/search/researched_uncertainty.cpp). Pure.
#include <vector>

#include "planner/core/economics/uncertainty.hpp"

namespace trainplan {

struct SampleRanges {
  int samples = 0;        // outcomes given
  int valid_samples = 0;  // of them valid (the others are left out of the percentiles)
  Percentiles days_failure_free;
  Percentiles days;       // with failures
  Percentiles cost_usd;
};

SampleRanges sample_ranges(const std::vector<SampleOutcome>& outcomes);

// Copies the counts and the three ranges into `summary` (its seed, class and tornado untouched).
void set_sample_ranges(UncertaintySummary& summary, const SampleRanges& ranges);

// The days with failures of the valid outcomes at fraction `q` (type 7, as `percentiles`; 0.9: the
// p90); infinity when none is valid.
double days_with_failures_at(const std::vector<SampleOutcome>& outcomes, double q);

}  // namespace trainplan
