#include "planner/core/step/pipeline_send_exposure.hpp"

#include <gtest/gtest.h>

namespace trainplan {
namespace {

ParallelPlan interleaved(int pp, int vp, bool overlap) {
  ParallelPlan p;
  p.pp = pp;
  p.vp = vp;
  p.pp_send_overlap = overlap;
  return p;
}

TEST(PipelineSendExposure, OverlappedInterleavedSendsWaitOnlyInWarmUpAndCoolDown) {
  // MLPerf GPT-3 175B's layout (pp 8, vp 12): 8 micro-batches' worth whatever m beyond pp.
  EXPECT_EQ(exposed_send_microbatches(interleaved(8, 12, true), 8), 8);
  EXPECT_EQ(exposed_send_microbatches(interleaved(8, 12, true), 128), 8);
  // Fewer micro-batches than stages: every one of them is in warm-up or cool-down.
  EXPECT_EQ(exposed_send_microbatches(interleaved(8, 12, true), 4), 4);
}

TEST(PipelineSendExposure, EverySendWaitsWithoutOverlapOrWithoutInterleaving) {
  EXPECT_EQ(exposed_send_microbatches(interleaved(8, 12, false), 128), 128);
  // Megatron-Core turns overlap_p2p_comm off for the plain 1F1B schedule.
  EXPECT_EQ(exposed_send_microbatches(interleaved(8, 1, true), 128), 128);
}

}  // namespace
}  // namespace trainplan
