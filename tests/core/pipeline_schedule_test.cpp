#include "planner/core/model/pipeline_schedule.hpp"

#include <gtest/gtest.h>

namespace trainplan {

TEST(PipelineSchedule, BubbleRatioOf1F1B) {
  EXPECT_DOUBLE_EQ(pipeline_bubble_ratio(8, 1, 64), 7.0 / 64);
  EXPECT_DOUBLE_EQ(pipeline_bubble_ratio(1, 1, 64), 0.0);
}

TEST(PipelineSchedule, InterleavingDividesTheBubble) {
  EXPECT_DOUBLE_EQ(pipeline_bubble_ratio(8, 3, 64), 7.0 / (3 * 64));
}

TEST(PipelineSchedule, InFlightMicrobatches) {
  EXPECT_DOUBLE_EQ(in_flight_microbatches(8, 1, 64), 8.0);
  EXPECT_DOUBLE_EQ(in_flight_microbatches(8, 1, 4), 4.0);  // fewer micro-batches than stages
  EXPECT_DOUBLE_EQ(in_flight_microbatches(8, 2, 64), 8.0 * (1.0 + 7.0 / 16.0));
  EXPECT_DOUBLE_EQ(in_flight_microbatches(1, 1, 64), 1.0);
}

}  // namespace trainplan
