#include <gtest/gtest.h>

#include "planner/core/evaluate.hpp"
#include "planner/core/model/memory_model.hpp"
#include "planner/core/step/dualpipe_memory.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
StageMemoryInputs one_billion_parameters(int shards) {
  StageMemoryInputs in;
  in.parameters_per_gpu = 1e9;
  in.data_parallel_shards = shards;
  return in;
}
}  // namespace

TEST(MemoryModel, Fp8ParamsReplaceTheBf16WeightsAndTheirFp8Copy) {
  ParallelPlan p;
  p.precision = Precision::fp8;
  const Calibration c = default_calibration();
  const double cached = stage_memory(one_billion_parameters(8), p, c).weights_bytes;
  p.fp8_params = true;
  const double fp8_only = stage_memory(one_billion_parameters(8), p, c).weights_bytes;
  EXPECT_DOUBLE_EQ(cached, 4e9);    // bf16 weight + fp8 copy + fp8 transpose
  EXPECT_DOUBLE_EQ(fp8_only, 2e9);  // fp8 weight + fp8 transpose
  p.precision = Precision::bf16;    // fp8_params means nothing without fp8
  EXPECT_DOUBLE_EQ(stage_memory(one_billion_parameters(8), p, c).weights_bytes, 2e9);
}

TEST(MemoryModel, OptimizerStateBytesShardOverDataParallelRanks) {
  ParallelPlan p;
  p.zero_stage = 1;
  const Calibration c = default_calibration();
  EXPECT_DOUBLE_EQ(stage_memory(one_billion_parameters(4), p, c).optimizer_bytes, 12e9 / 4);
  p.optimizer_state_bytes = 6;  // master weight and moments in bf16 (Apex DistributedFusedAdam dtype bf16)
  EXPECT_DOUBLE_EQ(stage_memory(one_billion_parameters(4), p, c).optimizer_bytes, 6e9 / 4);
  p.fp32_grad_reduce = false;   // bf16 gradient buffer, unsharded under ZeRO-1
  EXPECT_DOUBLE_EQ(stage_memory(one_billion_parameters(4), p, c).gradients_bytes, 2e9);
}

TEST(MemoryModel, HeadroomDecidesWhetherAPlanFits) {
  Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  ParallelPlan p;
  p.tp = 8;
  p.sequence_parallel = true;
  p.seq_len = 4096;
  p.global_batch = 8;
  const PlanResult plain = evaluate(sc, p);
  ASSERT_TRUE(plain.valid);
  ASSERT_TRUE(plain.fits_in_memory);
  // Leave just less than the slack free: still fits; just more: does not.
  const double slack = sc.gpu.hbm_gib - plain.memory_per_gpu_gib;
  sc.job.memory_headroom_gib = slack * 0.99;
  EXPECT_TRUE(evaluate(sc, p).fits_in_memory);
  sc.job.memory_headroom_gib = slack * 1.01;
  const PlanResult tight = evaluate(sc, p);
  EXPECT_FALSE(tight.fits_in_memory);
  EXPECT_DOUBLE_EQ(tight.memory_per_gpu_gib, plain.memory_per_gpu_gib);  // the need is unchanged
}

}  // namespace trainplan

namespace trainplan {

// DeepSeek-V3 report, Table 2 (deepseek-ai/DualPipe, dualpipe.py): a rank holds two stages, stage k
// with pp - k micro-batches in flight and stage pp-1-k with k + 1: pp + 1 in all.
TEST(MemoryModel, DualPipeRanksKeepOneMoreMicroBatchThanOneFOneB) {
  for (int k = 0; k < 8; ++k) {
    const DualPipeInFlight f = dualpipe_in_flight(16, k, 120);
    EXPECT_DOUBLE_EQ(f.near_chunk + f.far_chunk, 17.0) << k;
    EXPECT_DOUBLE_EQ(f.near_chunk, 16.0 - k) << k;
  }
  // Fewer micro-batches per direction than stages: no more than a direction has.
  EXPECT_DOUBLE_EQ(dualpipe_in_flight(16, 0, 8).near_chunk, 4.0);
}

TEST(MemoryModel, DualPipeRankAddsItsTwoStagesAndShardsTheOptimizerOverBothCopies) {
  ParallelPlan p;
  p.zero_stage = 1;
  const Calibration c = default_calibration();
  StageMemoryInputs first = one_billion_parameters(8);
  first.activation_bytes_per_microbatch = 1e9;
  first.microbatches_in_flight = 16;
  StageMemoryInputs last = one_billion_parameters(8);
  last.parameters_per_gpu = 0.5e9;
  last.activation_bytes_per_microbatch = 0.25e9;
  last.microbatches_in_flight = 1;
  const MemoryBreakdown a = stage_memory(first, p, c), b = stage_memory(last, p, c);
  const MemoryBreakdown rank = dualpipe_rank_memory(a, b, p.zero_stage);
  EXPECT_DOUBLE_EQ(rank.weights_bytes, 3e9);    // 2 bytes x 1.5e9: both stages' bf16 weights
  EXPECT_DOUBLE_EQ(rank.gradients_bytes, 6e9);  // fp32 gradients of both, not sharded by ZeRO-1
  EXPECT_DOUBLE_EQ(rank.optimizer_bytes, 0.5 * (12e9 + 6e9) / 8);  // each stage's shards over 2 x 8 ranks
  EXPECT_DOUBLE_EQ(rank.activations_bytes, 16.25e9);
  EXPECT_DOUBLE_EQ(rank.overhead_bytes, c.memory_overhead_bytes);
  // Without ZeRO each copy keeps its whole optimizer state.
  p.zero_stage = 0;
  const MemoryBreakdown a0 = stage_memory(first, p, c), b0 = stage_memory(last, p, c);
  EXPECT_DOUBLE_EQ(dualpipe_rank_memory(a0, b0, p.zero_stage).optimizer_bytes, 12e9 + 6e9);
}

TEST(MemoryModel, TheEmbeddingAndOutputHeadHaveNoFp8Copy) {
  ParallelPlan p;
  p.precision = Precision::fp8;
  const Calibration c = default_calibration();
  StageMemoryInputs in = one_billion_parameters(8);
  in.unquantized_parameters = 0.25e9;
  EXPECT_DOUBLE_EQ(stage_memory(in, p, c).weights_bytes, 2e9 + 2.0 * 0.75e9);
}

}  // namespace trainplan

namespace trainplan {

// End to end: a DualPipe plan's rank 0 holds the first stage (pp micro-batches in flight) and the
// last (one, with the output head's saved logits); 1F1B's first stage holds pp micro-batches of the
// first stage alone. Mixtral's four stages are even (eight layers each; embedding and head alike),
// so the difference is one micro-batch of a stage plus the head's fp32 logits, and the weights and
// gradients of two stages.
TEST(MemoryModel, DualPipeRankZeroHoldsTheFirstAndTheLastStage) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  ParallelPlan p;
  p.pp = 4;
  p.ep = 8;
  p.dp = 16;
  p.zero_stage = 1;
  p.precision = Precision::fp8;
  p.seq_len = 4096;
  p.global_batch = 256;
  const PlanResult one_f_one_b = evaluate(sc, p);
  p.ep_overlap = true;
  p.ep_overlap_schedule = EpOverlapSchedule::dualpipe;
  const PlanResult dualpipe = evaluate(sc, p);
  ASSERT_TRUE(one_f_one_b.valid);
  ASSERT_TRUE(dualpipe.valid) << (dualpipe.problems.empty() ? "" : dualpipe.problems.front());
  const double logits = 4096.0 * static_cast<double>(sc.model.vocab) * 4.0;
  EXPECT_NEAR(dualpipe.memory.activations_bytes, one_f_one_b.memory.activations_bytes * 5.0 / 4.0 + logits, 1e3);
  // The first stage's embedding and the last's head have no fp8 copy; they differ by the final norm.
  EXPECT_NEAR(dualpipe.memory.weights_bytes, 2.0 * one_f_one_b.memory.weights_bytes, 1e5);
  EXPECT_NEAR(dualpipe.memory.gradients_bytes, 2.0 * one_f_one_b.memory.gradients_bytes, 1e5);
  EXPECT_NEAR(dualpipe.memory.optimizer_bytes, one_f_one_b.memory.optimizer_bytes, 1e5);
}

}  // namespace trainplan
