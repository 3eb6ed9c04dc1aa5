#include <gtest/gtest.h>

#include "planner/core/evaluate.hpp"
#include "planner/core/model/memory_model.hpp"
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

// DeepSeek-V3 report, Table 2: DualPipe keeps 2x the parameters and pp+1 micro-batches of activations.
TEST(MemoryModel, DualPipeHoldsTwoParameterCopiesAndOneMoreMicroBatch) {
  ParallelPlan p;
  p.pp = 16;
  p.ep_overlap = true;
  p.zero_stage = 1;
  const Calibration c = default_calibration();
  StageMemoryInputs in = one_billion_parameters(8);
  in.activation_bytes_per_microbatch = 1e9;
  in.microbatches_in_flight = 16;
  const MemoryBreakdown one_f_one_b = stage_memory(in, p, c);
  p.ep_overlap_schedule = EpOverlapSchedule::dualpipe;
  const MemoryBreakdown dualpipe = stage_memory(in, p, c);
  EXPECT_DOUBLE_EQ(dualpipe.weights_bytes, 2.0 * one_f_one_b.weights_bytes);
  EXPECT_DOUBLE_EQ(dualpipe.gradients_bytes, 2.0 * one_f_one_b.gradients_bytes);
  EXPECT_DOUBLE_EQ(dualpipe.optimizer_bytes, one_f_one_b.optimizer_bytes);
  EXPECT_DOUBLE_EQ(dualpipe.activations_bytes, 17e9);
  EXPECT_DOUBLE_EQ(one_f_one_b.activations_bytes, 16e9);
}

}  // namespace trainplan
