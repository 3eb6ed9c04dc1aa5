#include "planner/core/evaluate.hpp"

#include <gtest/gtest.h>

#include "planner/core/model/parameter_count.hpp"
#include "planner/core/step/straggler.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan llama_plan() {
  ParallelPlan p;
  p.tp = 8;
  p.pp = 4;
  p.micro_batch = 1;
  p.seq_len = 8192;
  p.global_batch = 512;
  p.sequence_parallel = true;
  p.zero_stage = 1;
  return p;
}
}  // namespace

TEST(Evaluate, BreakdownSumsToStepTime) {
  const PlanResult r = evaluate(testing::scenario(testing::llama3_8b(), 1024), llama_plan());
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.breakdown.total(), r.step_time_s, 1e-12);
  EXPECT_GT(r.breakdown.compute_s, 0);
  EXPECT_GT(r.breakdown.tp_comm_s, 0);
  EXPECT_GT(r.breakdown.pipeline_bubble_s, 0);
  EXPECT_EQ(r.plan.dp, 32);
  EXPECT_EQ(r.microbatches, 16);
}

TEST(Evaluate, TheStepWaitsForTheSlowestGpuAndAPlanFitsOnlyBelowTheHeadroom) {
  Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  sc.calibration.gpu_speed_cv = 0.01;
  const PlanResult r = evaluate(sc, llama_plan());
  ASSERT_TRUE(r.valid);
  EXPECT_GT(r.breakdown.straggler_s, 0);
  EXPECT_DOUBLE_EQ(r.breakdown.straggler_s, straggler_seconds(r.breakdown.compute_s, 1024, 0.01));
  ASSERT_TRUE(r.fits_in_memory);
  sc.job.memory_headroom_gib = r.memory_capacity_gib - r.memory_per_gpu_gib + 0.5;
  const PlanResult tight = evaluate(sc, llama_plan());
  EXPECT_FALSE(tight.fits_in_memory);
  EXPECT_DOUBLE_EQ(tight.memory_per_gpu_gib, r.memory_per_gpu_gib);
  EXPECT_DOUBLE_EQ(tight.memory_headroom_gib, sc.job.memory_headroom_gib);
}

TEST(Evaluate, MfuIsModelFlopsOverPeak) {
  const PlanResult r = evaluate(testing::scenario(testing::llama3_8b(), 1024), llama_plan());
  ASSERT_TRUE(r.valid);
  EXPECT_NEAR(r.mfu, r.tflops_per_gpu / 989.4, 1e-9);
  EXPECT_NEAR(r.tokens_per_second * r.step_time_s, 512.0 * 8192, 1e-3);
  EXPECT_GT(r.mfu, 0.05);
  EXPECT_LT(r.mfu, 0.8);  // never above the GEMM efficiency the profile allows
  EXPECT_GE(r.hfu, r.mfu);
}

TEST(Evaluate, FullRecomputationCostsAboutAForwardPass) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  ParallelPlan p = llama_plan();
  const PlanResult none = evaluate(sc, p);
  p.recompute = Recompute::full;
  const PlanResult full = evaluate(sc, p);
  // Recomputing the forward adds at most a third (GEMM backward = 2x forward); less here because the
  // flash-attention backward is 2.5x its forward and the output head is not recomputed.
  const double ratio = full.breakdown.compute_s / none.breakdown.compute_s;
  EXPECT_GT(ratio, 1.15);
  EXPECT_LE(ratio, 4.0 / 3.0);
  EXPECT_LT(full.memory.activations_bytes, none.memory.activations_bytes / 5);
  EXPECT_GT(full.hfu, full.mfu);
}

TEST(Evaluate, ZeroStagesShardOptimizerThenGradientsThenWeights) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  ParallelPlan p = llama_plan();
  p.zero_stage = 0;
  const MemoryBreakdown z0 = evaluate(sc, p).memory;
  p.zero_stage = 1;
  const MemoryBreakdown z1 = evaluate(sc, p).memory;
  p.zero_stage = 3;
  const MemoryBreakdown z3 = evaluate(sc, p).memory;
  EXPECT_NEAR(z1.optimizer_bytes, z0.optimizer_bytes / 32, 1.0);
  EXPECT_DOUBLE_EQ(z1.weights_bytes, z0.weights_bytes);
  // ZeRO-3 shards the weights and gradients too, and holds whole what it gathers: on the first stage
  // (the busiest: the most micro-batches in flight) the embedding being looked up beside the layer
  // prefetched after it, in bf16, and the embedding's whole gradient (fp32) before its reduce-scatter.
  const ParameterCount count = count_parameters(sc.model);
  const double layer = (count.attention_per_layer + count.norms_per_layer + count.dense_mlp_per_layer) / p.tp;
  const double embedding = count.embedding / p.tp;
  ASSERT_GT(embedding, layer);  // Llama 3's 128K vocabulary: the embedding is the largest unit
  EXPECT_NEAR(z3.weights_bytes, z0.weights_bytes / 32 + (embedding + layer) * 2.0, 1.0);
  EXPECT_NEAR(z3.gradients_bytes, z0.gradients_bytes / 32 + embedding * 4.0, 1.0);
  // With one stage the parameters outside the layers are one unit, the root (embedding, final norm
  // and head, untied in Llama 3), as FSDP and Megatron-FSDP wrap them: gathered and reduced whole.
  ParallelPlan one_stage = p;
  one_stage.pp = 1;
  one_stage.zero_stage = 0;
  const MemoryBreakdown s0 = evaluate(sc, one_stage).memory;
  one_stage.zero_stage = 3;
  const MemoryBreakdown s3 = evaluate(sc, one_stage).memory;
  const double root = (count.embedding + count.final_norm + count.output_head) / p.tp;
  ASSERT_GT(count.output_head, 0.0);
  EXPECT_NEAR(s3.weights_bytes, s0.weights_bytes / 128 + (root + layer) * 2.0, 1.0);  // 1,024 / 8: 128 shards
  EXPECT_NEAR(s3.gradients_bytes, s0.gradients_bytes / 128 + root * 4.0, 1.0);
  // Without data parallelism there is nothing to gather.
  p.global_batch = 64;
  const Scenario alone = testing::scenario(testing::llama3_8b(), 32);
  p.zero_stage = 0;
  const MemoryBreakdown a0 = evaluate(alone, p).memory;
  p.zero_stage = 3;
  const MemoryBreakdown a3 = evaluate(alone, p).memory;
  EXPECT_DOUBLE_EQ(a3.weights_bytes, a0.weights_bytes);
  EXPECT_DOUBLE_EQ(a3.gradients_bytes, a0.gradients_bytes);
}

TEST(Evaluate, ModelThatDoesNotFitIsReportedWithItsMemory) {
  ModelShape big = testing::gpt3_175b();
  ParallelPlan p;
  p.tp = 8;
  p.global_batch = 64;
  const PlanResult r = evaluate(testing::scenario(big, 64), p);
  ASSERT_TRUE(r.valid);
  EXPECT_FALSE(r.fits_in_memory);
  EXPECT_GT(r.memory_per_gpu_gib, 80);
  EXPECT_GT(r.memory.weights_bytes, 40e9);  // 175B / 8 in bf16
}

TEST(Evaluate, ImpossiblePlanIsInvalidWithAReason) {
  ParallelPlan p = llama_plan();
  p.tp = 3;
  const PlanResult r = evaluate(testing::scenario(testing::llama3_8b(), 3 * 4 * 10), p);
  EXPECT_FALSE(r.valid);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_EQ(r.step_time_s, 0);
}

TEST(Evaluate, InterleavingShrinksTheBubble) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  ParallelPlan p = llama_plan();
  const double plain = evaluate(sc, p).breakdown.pipeline_bubble_s;
  p.vp = 2;
  EXPECT_LT(evaluate(sc, p).breakdown.pipeline_bubble_s, plain * 0.6);
}

TEST(Evaluate, TimeToTrainFollowsThroughput) {
  const PlanResult r = evaluate(testing::scenario(testing::llama3_8b(), 1024), llama_plan());
  EXPECT_NEAR(r.time_to_train_days, 1e12 / r.tokens_per_second / 86400, 1e-9);
}

TEST(Evaluate, FasterHbmNeverSlowsAPlan) {
  Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  const double before = evaluate(sc, llama_plan()).step_time_s;
  sc.gpu.hbm_tb_s *= 2;
  EXPECT_LT(evaluate(sc, llama_plan()).step_time_s, before);
}

}  // namespace trainplan

namespace trainplan {

TEST(Evaluate, AllGatherContextParallelismIsExposedRingIsHidden) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  ParallelPlan p;
  p.tp = 8;
  p.cp = 4;
  p.seq_len = 32768;
  p.global_batch = 64;
  p.sequence_parallel = true;
  const PlanResult ring = evaluate(sc, p);
  p.cp_all_gather = true;
  const PlanResult gathered = evaluate(sc, p);
  ASSERT_TRUE(ring.valid && gathered.valid);
  // Each ring step hides behind a chunk's attention: what remains is the SMs it holds meanwhile.
  EXPECT_GT(ring.breakdown.cp_comm_s, 0.0);
  EXPECT_LT(ring.breakdown.cp_comm_s, 0.5 * gathered.breakdown.cp_comm_s);
  Scenario free_overlap = sc;
  free_overlap.calibration.overlapped_comm_sm_share = 0;
  p.cp_all_gather = false;
  EXPECT_EQ(evaluate(free_overlap, p).breakdown.cp_comm_s, 0.0);
  EXPECT_GT(gathered.breakdown.cp_comm_s, 0.0);
  EXPECT_GT(gathered.step_time_s, ring.step_time_s);
}

}  // namespace trainplan

#include "planner/core/network/collective_cost.hpp"

namespace trainplan {

TEST(Evaluate, ZeroThreeGathersLayerByLayerEachWithItsLatency) {
  // One stage (pp 1) of 32 layers on 512 GPUs, ZeRO-3, nothing overlapped: the data-parallel time is
  // one micro-batch's two all-gathers of bf16 weights and one reduce-scatter of fp32 gradients,
  // each issued once per layer (32 collectives of 1/32 of the stage), not as one stage-sized message.
  const Scenario sc = testing::scenario(testing::llama3_8b(), 512);
  ParallelPlan p;
  p.seq_len = 4096;
  p.global_batch = 512;  // one micro-batch per replica
  p.zero_stage = 3;
  p.dp_overlap = false;
  const PlanResult r = evaluate(sc, p);
  ASSERT_TRUE(r.valid);
  ASSERT_EQ(r.microbatches, 1);
  const double params = r.params_total;  // tp 1, pp 1: the GPU's stage holds every parameter
  const GroupPlacement group{512, 1};
  auto per_layer = [&](Collective kind, double bytes) {
    return 32.0 * collective_cost(sc.fabric, sc.profile, sc.calibration, kind, group, bytes / 32.0).seconds;
  };
  const double expected = 2.0 * per_layer(Collective::all_gather, params * 2.0) + per_layer(Collective::reduce_scatter, params * 4.0);
  EXPECT_NEAR(r.breakdown.dp_comm_s, expected, 1e-9 * expected);
  const double one_message = 2.0 * collective_cost(sc.fabric, sc.profile, sc.calibration, Collective::all_gather, group, params * 2.0).seconds +
                             collective_cost(sc.fabric, sc.profile, sc.calibration, Collective::reduce_scatter, group, params * 4.0).seconds;
  EXPECT_GT(r.breakdown.dp_comm_s, one_message);  // 32 latencies instead of one
}

}  // namespace trainplan
