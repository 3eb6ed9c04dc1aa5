// The bound on the GPUs any layout of a search space can fill, which stops the scans for the
// nearest counts with a plan (layout_shortfall.hpp).
#include "planner/core/search/layout_shortfall.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "planner/core/search/knob_candidates.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {

// Llama 3 8B (32 layers) with 8K sequences and a fixed batch: tp from the 8-GPU domain, pp
// divisors of 32, cp divisors of the sequence within its bound.
SearchSpace space_with_batch(std::int64_t batch) {
  SearchSpace space;
  space.base.seq_len = 8192;
  space.global_batch = batch;
  space.cp.max = 4;
  return space;
}

}  // namespace

TEST(MostLayoutGpus, IsTheLargestModelSplitTimesTheLargestDataParallelSizeTheBatchAdmits) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  const SearchSpace space = space_with_batch(3);
  const auto largest = [](const std::vector<int>& v) { return *std::max_element(v.begin(), v.end()); };
  const std::int64_t split = 1LL * largest(tensor_parallel_sizes(sc, space)) * largest(pipeline_sizes(sc, space)) *
                             largest(context_parallel_sizes(space));
  EXPECT_EQ(split, 8 * 32 * 4);
  EXPECT_EQ(most_layout_gpus(sc, space), split * 3);  // dp divides the batch of 3
  // A batch up to a maximum: dp x the smallest micro-batch fits in it.
  SearchSpace up_to = space;
  up_to.global_batch = 0;
  up_to.max_global_batch = 20;
  up_to.micro_batch.min = 2;
  EXPECT_EQ(most_layout_gpus(sc, up_to), split * 10);
}

TEST(MostLayoutGpus, NoCountAboveItHasALayoutAndItselfDoes) {
  Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  const SearchSpace space = space_with_batch(1);  // dp 1: the count is tp x pp x cp
  const std::int64_t most = most_layout_gpus(sc, space);
  ASSERT_EQ(most, 8 * 32 * 4);
  sc.job.gpus = static_cast<int>(most);
  EXPECT_TRUE(has_batch_layout(sc, space));
  for (std::int64_t count = most + 1; count <= 4 * most; ++count) {
    sc.job.gpus = static_cast<int>(count);
    ASSERT_FALSE(has_batch_layout(sc, space)) << count;
  }
}

TEST(MostLayoutGpus, AHugeBatchIsCappedAtTheLargestCount) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  EXPECT_EQ(most_layout_gpus(sc, space_with_batch(std::int64_t{1} << 40)), std::numeric_limits<std::int32_t>::max());
}

}  // namespace trainplan
