#include <gtest/gtest.h>

#include "planner/core/calibration.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/model/moe_dispatch_overlap.hpp"
#include "planner/core/model/moe_layer.hpp"
#include "planner/core/plan_check.hpp"
#include "test_models.hpp"

namespace trainplan {

TEST(EpOverlapPairing, MegatronWarmUpOfTheFirstStageIsUnpaired) {
  // Interleaved 1F1B, p 8, v 4, 128 micro-batches: 2*7 + 3*8 = 38 warm-up chunks of 512.
  const EpOverlapPairing p = ep_overlap_pairing(EpOverlapSchedule::megatron_1f1b, 8, 4, 128);
  EXPECT_DOUBLE_EQ(p.passes, 512);
  EXPECT_DOUBLE_EQ(p.unpaired, 38);
  // Without a pipeline only the first forward (and the last backward) has no partner.
  EXPECT_DOUBLE_EQ(ep_overlap_pairing(EpOverlapSchedule::megatron_1f1b, 1, 1, 16).unpaired, 1);
  // Fewer micro-batches than the warm-up: nothing pairs.
  EXPECT_DOUBLE_EQ(ep_overlap_pairing(EpOverlapSchedule::megatron_1f1b, 8, 4, 2).paired_share(), 0.0);
}

TEST(EpOverlapPairing, DualPipeRankZeroWarmsUpTwicePerStage) {
  const EpOverlapPairing p = ep_overlap_pairing(EpOverlapSchedule::dualpipe, 16, 1, 120);
  EXPECT_DOUBLE_EQ(p.unpaired, 31);
  EXPECT_NEAR(p.paired_share(), 89.0 / 120.0, 1e-12);
}

TEST(EpOverlap, EachExchangeHidesBehindItsPartnerChunkOnlyInPairedPasses) {
  Calibration c = default_calibration();
  c.overlap_efficiency = 0.5;
  EpOverlapPairing half{100, 50};
  EpOverlapChunks chunks;
  chunks.dispatch_s = 1.0;
  chunks.combine_s = 2.0;
  // Plenty of compute beside every exchange: the paired half of the 2 x (1 + 2) s hides.
  chunks.forward_attention_s = chunks.forward_mlp_s = chunks.backward_attention_s = chunks.backward_mlp_s = 100.0;
  EpOverlapTime t = overlap_expert_exchange(chunks, half, c);
  EXPECT_DOUBLE_EQ(t.hidden_s, 3.0);
  EXPECT_DOUBLE_EQ(t.exposed_s, 3.0);
  // A short forward attention bounds only the exchange beside it (the combine-gradient, dispatch-
  // sized): 0.5 x 0.4 = 0.2 s of its 1 s hides, the other three hide whole.
  chunks.forward_attention_s = 0.4;
  t = overlap_expert_exchange(chunks, EpOverlapPairing{100, 0}, c);
  EXPECT_DOUBLE_EQ(t.hidden_s, 0.2 + 1.0 + 2.0 + 2.0);
  EXPECT_DOUBLE_EQ(t.exposed_s, 6.0 - 5.2);
  // A recomputed forward's exchange has no partner.
  chunks.exchange_passes = 3;
  EXPECT_DOUBLE_EQ(overlap_expert_exchange(chunks, EpOverlapPairing{100, 0}, c).exposed_s, 9.0 - 5.2);
}

TEST(EpOverlap, DualPipeBubbleIsSmallerThanOneF1B) {
  EXPECT_DOUBLE_EQ(dualpipe_bubble_ratio(2, 10), 0.0);
  EXPECT_NEAR(dualpipe_bubble_ratio(16, 120), 7.0 * (2.0 / 3.0) / 120.0, 1e-15);
  EXPECT_LT(dualpipe_bubble_ratio(16, 120), 15.0 / 120.0);
}

TEST(EpOverlap, SchedulesCheckTheirConstraints) {
  const ModelShape m = testing::mixtral_8x7b();
  ParallelPlan p;
  p.tp = 1;
  p.pp = 4;
  p.ep = 8;
  p.dp = 16;
  p.global_batch = 256;
  p.seq_len = 4096;
  p.ep_overlap = true;
  p.ep_overlap_schedule = EpOverlapSchedule::megatron_1f1b;
  EXPECT_EQ(ep_overlap_problems(m, p, 16).size(), 1u);  // pp > 1 without interleaving
  p.vp = 2;
  EXPECT_TRUE(ep_overlap_problems(m, p, 16).empty());
  p.recompute = Recompute::full;
  EXPECT_EQ(ep_overlap_problems(m, p, 16).size(), 1u);
  p.recompute = Recompute::none;
  p.ep_overlap_schedule = EpOverlapSchedule::dualpipe;
  EXPECT_EQ(ep_overlap_problems(m, p, 16).size(), 1u);  // vp must be 1
  p.vp = 1;
  EXPECT_TRUE(ep_overlap_problems(m, p, 16).empty());
  EXPECT_EQ(ep_overlap_problems(m, p, 7).size(), 1u);   // fewer than 2 pp micro-batches
  p.pp = 3;
  EXPECT_FALSE(ep_overlap_problems(m, p, 16).empty());  // odd pp
  p.ep_overlap = false;
  EXPECT_TRUE(ep_overlap_problems(m, p, 16).empty());
  // check_plan reports them.
  p.pp = 4;
  p.ep_overlap = true;
  p.ep_overlap_schedule = EpOverlapSchedule::megatron_1f1b;
  const auto problems = check_plan(m, testing::h100(), 512, p);
  EXPECT_FALSE(problems.empty());
}

TEST(EpOverlap, PipelineWarmUpLeavesMoreExposedThanNoPipeline) {
  // The same per-layer exchange: with a deep pipeline and few micro-batches, more of it is exposed.
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  ParallelPlan p;
  p.tp = 1;
  p.pp = 4;
  p.vp = 2;
  p.ep = 8;
  p.seq_len = 4096;
  p.global_batch = 64;
  p.ep_overlap = true;
  const PlanResult few = evaluate(sc, p);
  ASSERT_TRUE(few.valid);
  p.global_batch = 1024;
  const PlanResult many = evaluate(sc, p);
  ASSERT_TRUE(many.valid);
  const double per_microbatch_few = few.breakdown.ep_comm_s / few.microbatches;
  const double per_microbatch_many = many.breakdown.ep_comm_s / many.microbatches;
  EXPECT_GT(per_microbatch_few, per_microbatch_many);
}

TEST(MoeRouter, CostsScoresOfTheRoutedTokensAndTheFp8DispatchCast) {
  const ModelShape m = testing::mixtral_8x7b();
  ParallelPlan p;
  p.tp = 2;
  p.sequence_parallel = true;
  p.seq_len = 4096;
  p.ep = 4;
  const MoeRouterWork r = moe_router_work(m, p);
  const double tokens = 4096.0 / 2, e = 8, k = 2;
  EXPECT_DOUBLE_EQ(r.bytes, tokens * (e * 4 * 2 + e * 4 + k * 12 + e * 5 + e * 4));
  EXPECT_DOUBLE_EQ(r.kernels, 8);
  p.dispatch_fp8 = true;
  const MoeRouterWork fp8 = moe_router_work(m, p);
  EXPECT_DOUBLE_EQ(fp8.bytes - r.bytes, tokens * 4096 * (2.0 + 1.0 + 4.0 / 128.0));
  // A dense model has no router.
  EXPECT_DOUBLE_EQ(moe_router_work(testing::llama3_8b(), p).bytes, 0.0);
}

}  // namespace trainplan
