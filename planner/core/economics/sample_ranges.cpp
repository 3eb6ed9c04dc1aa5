#include "planner/core/economics/sample_ranges.hpp"

#include <limits>

namespace trainplan {

SampleRanges sample_ranges(const std::vector<SampleOutcome>& outcomes) {
  SampleRanges r;
  std::vector<double> free_days, days, cost;
  for (const SampleOutcome& o : outcomes) {
    ++r.samples;
    if (!o.valid) continue;
    ++r.valid_samples;
    free_days.push_back(o.days_failure_free);
    days.push_back(o.days);
    cost.push_back(o.cost_usd);
  }
  r.days_failure_free = percentiles(std::move(free_days));
  r.days = percentiles(std::move(days));
  r.cost_usd = percentiles(std::move(cost));
  return r;
}

void set_sample_ranges(UncertaintySummary& summary, const SampleRanges& ranges) {
  summary.samples = ranges.samples;
  summary.valid_samples = ranges.valid_samples;
  summary.days_failure_free = ranges.days_failure_free;
  summary.days = ranges.days;
  summary.cost_usd = ranges.cost_usd;
}

double days_with_failures_at(const std::vector<SampleOutcome>& outcomes, double q) {
  std::vector<double> days;
  for (const SampleOutcome& o : outcomes)
    if (o.valid) days.push_back(o.days);
  return days.empty() ? std::numeric_limits<double>::infinity() : quantile_of(std::move(days), q);
}

}  // namespace trainplan
