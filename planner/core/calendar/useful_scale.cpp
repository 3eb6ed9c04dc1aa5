// The largest useful GPU count under a batch law (derivation in useful_scale.hpp).
#include "planner/core/calendar/useful_scale.hpp"

namespace trainplan {

UsefulScale largest_useful_gpus(const std::vector<int>& counts, const std::vector<std::int64_t>& batches, int seq_len,
                                double target_tokens, const BatchEfficiency& efficiency, const RateAt& rate_at,
                                double min_doubling_cut) {
  constexpr double kSecondsPerDay = 86400.0;
  UsefulScale result;
  bool chain_unbroken = true;
  for (int gpus : counts) {
    ScalePoint point;
    point.gpus = gpus;
    for (std::int64_t batch : batches) {
      const Rate r = rate_at(gpus, batch);
      BatchCandidate candidate;
      candidate.global_batch = batch;
      candidate.efficiency = efficiency.efficiency(static_cast<double>(batch) * seq_len);
      candidate.found = r.found && r.tokens_per_second > 0;
      if (candidate.found) {
        candidate.days = target_tokens / candidate.efficiency / r.tokens_per_second / kSecondsPerDay;
        candidate.plan = r.plan;
      }
      point.candidates.push_back(candidate);
      if (!candidate.found) continue;
      const double eff = candidate.efficiency;
      const double days = candidate.days;
      if (!point.found || days < point.days) {
        point.found = true;
        point.global_batch = batch;
        point.days = days;
        point.efficiency = eff;
        point.plan = r.plan;
      }
    }
    if (!result.points.empty() && result.points.back().found && point.found) point.cut = 1 - point.days / result.points.back().days;
    if (chain_unbroken && point.found) {
      if (result.points.empty() || (result.points.back().found && point.cut > min_doubling_cut))
        result.largest_useful_gpus = gpus;
      else
        chain_unbroken = false;
    } else {
      chain_unbroken = false;
    }
    result.points.push_back(point);
  }
  return result;
}

}  // namespace trainplan
