// The largest useful GPU count under a batch law (useful_scale.hpp).
#include "planner/core/calendar/useful_scale.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace trainplan {

namespace {

// Ideal hardware that needs one sequence (of one token) per GPU: speed min(G, B) tokens per second.
Rate busy_when_batch_covers_gpus(int gpus, std::int64_t batch) {
  Rate r;
  r.found = true;
  r.tokens_per_second = static_cast<double>(std::min<std::int64_t>(gpus, batch));
  r.plan.plan.global_batch = batch;
  return r;
}

BatchEfficiency fixed_critical(double critical, double reference) {
  BatchLaw law;
  law.kind = BatchLawKind::mccandlish;
  law.critical_batch_tokens = critical;
  return resolve_batch_efficiency(law, 0, reference);
}

}  // namespace

TEST(UsefulScale, OnIdealHardwareTheAnswerIsTheFirstCountAtOrAboveTheCriticalBatch) {
  // days ~ (1 + B/B_crit) / min(G, B): the best batch is B = G, and the doubling G -> 2G cuts
  // B_crit / (2 (B_crit + G)): more than a quarter exactly while G < B_crit.
  const std::vector<int> counts = {8, 16, 32, 64, 128, 256};
  const std::vector<std::int64_t> batches = {8, 16, 32, 64, 128, 256};
  const UsefulScale scale = largest_useful_gpus(counts, batches, 1, 1e9, fixed_critical(48, 64), busy_when_batch_covers_gpus);
  ASSERT_EQ(scale.points.size(), counts.size());
  for (const ScalePoint& p : scale.points) EXPECT_EQ(p.global_batch, p.gpus);
  EXPECT_NEAR(scale.points[3].cut, 48.0 / (2 * (48 + 32)), 1e-12);
  EXPECT_EQ(scale.largest_useful_gpus, 64);
  // A larger critical batch, a larger answer; no law: every doubling halves the time.
  EXPECT_EQ(largest_useful_gpus(counts, batches, 1, 1e9, fixed_critical(100, 64), busy_when_batch_covers_gpus).largest_useful_gpus, 128);
  EXPECT_EQ(largest_useful_gpus(counts, batches, 1, 1e9, BatchEfficiency{}, busy_when_batch_covers_gpus).largest_useful_gpus, 256);
}

TEST(UsefulScale, ACountWithNoPlanEndsTheChain) {
  const RateAt none_at_32 = [](int gpus, std::int64_t batch) {
    Rate r = busy_when_batch_covers_gpus(gpus, batch);
    r.found = gpus != 32;
    return r;
  };
  const UsefulScale scale = largest_useful_gpus({8, 16, 32, 64}, {8, 16, 32, 64}, 1, 1e9, BatchEfficiency{}, none_at_32);
  EXPECT_EQ(scale.largest_useful_gpus, 16);
  EXPECT_FALSE(scale.points[2].found);
}

}  // namespace trainplan
