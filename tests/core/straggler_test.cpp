#include <gtest/gtest.h>

#include <cmath>

#include "planner/core/evaluate.hpp"
#include "planner/core/step/straggler.hpp"
#include "test_models.hpp"

namespace trainplan {

TEST(Straggler, ExpectedMaximumOfNormalsGrowsLikeSqrtTwoLogN) {
  EXPECT_DOUBLE_EQ(expected_max_standard_normal(1), 0.0);
  // Two draws: the exact expected maximum is 1/sqrt(pi) = 0.564; Blom's approximation is within 5%.
  EXPECT_NEAR(expected_max_standard_normal(2), 1.0 / std::sqrt(M_PI), 0.03);
  // Ten draws: exact 1.539.
  EXPECT_NEAR(expected_max_standard_normal(10), 1.539, 0.01);
  double previous = 0;
  for (long long n : {8LL, 128LL, 2048LL, 16384LL, 32768LL}) {
    const double z = expected_max_standard_normal(n);
    EXPECT_GT(z, previous);
    EXPECT_LT(z, std::sqrt(2.0 * std::log(static_cast<double>(n))));
    previous = z;
  }
}

TEST(Straggler, TheSlowestGpuLengthensLargerJobsMore) {
  EXPECT_DOUBLE_EQ(straggler_seconds(10.0, 1, 0.01), 0.0);
  EXPECT_DOUBLE_EQ(straggler_seconds(10.0, 4096, 0.0), 0.0);
  EXPECT_NEAR(straggler_seconds(10.0, 4096, 0.01), 10.0 * 0.01 * expected_max_standard_normal(4096), 1e-12);
  // In a plan: the same per-GPU work on 16x the GPUs waits longer for its slowest GPU.
  ParallelPlan p;
  p.tp = 8;
  p.sequence_parallel = true;
  p.zero_stage = 1;
  p.seq_len = 4096;
  p.global_batch = 16;
  const PlanResult small = evaluate(testing::scenario(testing::llama3_8b(), 16), p);
  p.global_batch = 256;
  const PlanResult large = evaluate(testing::scenario(testing::llama3_8b(), 256), p);
  ASSERT_TRUE(small.valid && large.valid);
  EXPECT_GT(small.breakdown.straggler_s, 0.0);
  EXPECT_GT(large.breakdown.straggler_s / large.breakdown.compute_s, small.breakdown.straggler_s / small.breakdown.compute_s);
}

}  // namespace trainplan
