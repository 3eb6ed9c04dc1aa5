#include "planner/core/step/fp8_amax_sync.hpp"

#include <gtest/gtest.h>

#include "planner/core/evaluate.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan fp8_plan(int dp) {
  ParallelPlan p;
  p.tp = 4;
  p.pp = 8;
  p.vp = 6;
  p.dp = dp;
  p.seq_len = 2048;
  p.global_batch = 64LL * dp;
  p.sequence_parallel = true;
  p.zero_stage = 1;
  p.precision = Precision::fp8;
  return p;
}
}  // namespace

TEST(Fp8AmaxSync, DelayedScalingReducesEveryChunkOfEveryMicroBatchForwardAndBackward) {
  const Scenario sc = testing::scenario(testing::gpt3_175b(), 2048);
  const Fp8AmaxSync s = fp8_amax_sync(sc, fp8_plan(64), 8.0, 64);
  EXPECT_EQ(s.reductions, 2LL * 6 * 64);
  EXPECT_EQ(s.group_ranks, 4 * 64);
  EXPECT_GT(s.seconds, 0.0);
}

TEST(Fp8AmaxSync, NothingWithoutDelayedScalingOrWithoutFp8) {
  const Scenario sc = testing::scenario(testing::gpt3_175b(), 2048);
  ParallelPlan p = fp8_plan(64);
  p.fp8_scaling = Fp8Scaling::current;
  EXPECT_EQ(fp8_amax_sync(sc, p, 8.0, 64).seconds, 0.0);
  p.fp8_scaling = Fp8Scaling::blockwise;
  EXPECT_EQ(fp8_amax_sync(sc, p, 8.0, 64).seconds, 0.0);
  p.fp8_scaling = Fp8Scaling::delayed;
  p.precision = Precision::bf16;
  EXPECT_EQ(fp8_amax_sync(sc, p, 8.0, 64).seconds, 0.0);
}

TEST(Fp8AmaxSync, WithoutTheDataParallelReductionOnlyTheTensorParallelGroupReduces) {
  // Transformer Engine up to 1.5 with NVTE_DP_AMAX_REDUCE_INTERVAL=0 (NVIDIA's MLPerf v3.1 GPT-3 recipe): the
  // same reductions, over the TP group alone, which is cheaper than over the stage's 4 x 64 GPUs.
  const Scenario sc = testing::scenario(testing::gpt3_175b(), 2048);
  ParallelPlan p = fp8_plan(64);
  const Fp8AmaxSync all = fp8_amax_sync(sc, p, 8.0, 64);
  p.fp8_amax_reduce_dp = false;
  const Fp8AmaxSync tp_only = fp8_amax_sync(sc, p, 8.0, 64);
  EXPECT_EQ(tp_only.reductions, all.reductions);
  EXPECT_EQ(tp_only.group_ranks, 4);
  EXPECT_GT(tp_only.seconds, 0.0);
  EXPECT_LT(tp_only.seconds, all.seconds);
}

TEST(Fp8AmaxSync, AnAsynchronousReductionIsOffTheCriticalPath) {
  // NVTE_ASYNC_AMAX_REDUCTION=1: the same reductions, awaited a chunk later: no time on the step.
  const Scenario sc = testing::scenario(testing::gpt3_175b(), 2048);
  ParallelPlan p = fp8_plan(64);
  p.fp8_amax_reduce_dp = false;
  const Fp8AmaxSync sync = fp8_amax_sync(sc, p, 8.0, 64);
  p.fp8_amax_reduce_async = true;
  const Fp8AmaxSync async = fp8_amax_sync(sc, p, 8.0, 64);
  EXPECT_GT(sync.seconds, 0.0);
  EXPECT_EQ(async.reductions, sync.reductions);
  EXPECT_EQ(async.seconds, 0.0);
}

TEST(Fp8AmaxSync, EachReductionCostsMoreAsTheGroupSpansMoreNodes) {
  // The same micro-batches per replica on 2 and on 32 nodes per stage (GPT-3 175B, tp 4, pp 8: DGX
  // Cloud's 128 and 2,048 GPUs): the latency of each small all-reduce grows with the nodes it spans.
  const Scenario small = testing::scenario(testing::gpt3_175b(), 128);
  const Scenario large = testing::scenario(testing::gpt3_175b(), 2048);
  const Fp8AmaxSync a = fp8_amax_sync(small, fp8_plan(4), 8.0, 64);
  const Fp8AmaxSync b = fp8_amax_sync(large, fp8_plan(64), 8.0, 64);
  EXPECT_EQ(a.reductions, b.reductions);
  EXPECT_GT(b.seconds, a.seconds);
}

TEST(Fp8AmaxSync, EvaluateChargesItWithTheDataParallelLine) {
  const Scenario sc = testing::scenario(testing::gpt3_175b(), 2048);
  ParallelPlan delayed = fp8_plan(64);
  ParallelPlan tp_only = delayed;  // the same layers; only the amax group differs
  tp_only.fp8_amax_reduce_dp = false;
  const PlanResult d = evaluate(sc, delayed), t = evaluate(sc, tp_only);
  ASSERT_TRUE(d.valid && t.valid);
  EXPECT_GT(d.breakdown.dp_comm_s, t.breakdown.dp_comm_s);
  EXPECT_NEAR(d.breakdown.dp_comm_s - t.breakdown.dp_comm_s,
              fp8_amax_sync(sc, delayed, 4.0 * 12 / 6, 64).seconds - fp8_amax_sync(sc, tp_only, 4.0 * 12 / 6, 64).seconds, 1e-12);
}

}  // namespace trainplan
