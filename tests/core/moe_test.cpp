#include <gtest/gtest.h>

#include "planner/core/collective_cost.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/moe_layer.hpp"
#include "planner/core/parameter_count.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ModelShape mixtral() {
  ModelShape m = testing::llama3_8b();
  m.name = "mixtral";
  m.vocab = 32000;
  m.moe.routed_experts = 8;
  m.moe.top_k = 2;
  m.moe.expert_ffn = 14336;
  return m;
}
ParallelPlan plan(int tp, int ep) {
  ParallelPlan p;
  p.tp = tp;
  p.ep = ep;
  p.seq_len = 4096;
  p.global_batch = 256;
  p.sequence_parallel = tp > 1;
  return p;
}
}  // namespace

TEST(Moe, MixtralParametersMatchPublishedTotals) {
  const ParameterCount p = count_parameters(mixtral());
  EXPECT_NEAR(p.total / 46.7e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 12.9e9, 1.0, 0.01);
  // Hand count of the difference: 6 inactive experts per layer.
  EXPECT_DOUBLE_EQ(p.total - p.active, 32.0 * 6 * 3 * 4096 * 14336);
}

TEST(Moe, LayerFlopsUseActiveExperts) {
  const ModelShape m = mixtral();
  const LayerWork w = moe_layer_work(m, plan(1, 1));
  const double tokens = 4096, h = 4096, d = 128;
  const double attention = 2 * tokens * h * (32 + 16) * d + 2 * tokens * 32 * d * h + 4 * tokens * tokens * 32 * d;
  const double experts = 2 * (2 * tokens * h * 14336 * 3);  // top-2, SwiGLU
  const double router = 2 * tokens * h * 8;
  EXPECT_DOUBLE_EQ(w.model_flops_forward, attention + experts + router);
  // Expert GEMMs: 8 local experts, each with tokens * top_k / 8 rows.
  EXPECT_DOUBLE_EQ(w.mlp_up.batch, 8);
  EXPECT_DOUBLE_EQ(w.mlp_up.m, tokens * 2 / 8);
  // Expert parallelism splits experts, not the tokens each GPU routes.
  const LayerWork split = moe_layer_work(m, plan(1, 8));
  EXPECT_DOUBLE_EQ(split.mlp_up.batch, 1);
  EXPECT_DOUBLE_EQ(split.mlp_up.flops(), w.mlp_up.flops());
  EXPECT_DOUBLE_EQ(split.ep_message_bytes, tokens * 2 * h * 2);
}

TEST(Moe, OneExpertTopOneEqualsTheDenseModel) {
  ModelShape moe = testing::llama3_8b();
  moe.moe.routed_experts = 1;
  moe.moe.top_k = 1;
  moe.moe.expert_ffn = moe.ffn;
  const ModelShape dense = testing::llama3_8b();
  EXPECT_DOUBLE_EQ(count_parameters(moe).total, count_parameters(dense).total);
  ParallelPlan p = plan(8, 1);
  p.pp = 4;
  p.global_batch = 512;
  const PlanResult a = evaluate(testing::scenario(moe, 1024), p);
  const PlanResult b = evaluate(testing::scenario(dense, 1024), p);
  ASSERT_TRUE(a.valid && b.valid);
  EXPECT_NEAR(a.step_time_s, b.step_time_s, 1e-9 * b.step_time_s);
  EXPECT_NEAR(a.model_flops_per_step, b.model_flops_per_step, 1e-9 * b.model_flops_per_step);
  EXPECT_NEAR(a.memory_per_gpu_gib, b.memory_per_gpu_gib, 1e-9 * b.memory_per_gpu_gib);
}

TEST(Moe, ExpertParallelismInsideANodeStaysOnNvlink) {
  const Scenario sc = testing::scenario(mixtral(), 64);
  // tp = 1, ep = 8: the 8 expert ranks are consecutive, one node.
  const CollectiveCost inside =
      collective_cost(sc.fabric, sc.profile, sc.calibration, 64, Collective::all_to_all, {8, 1}, 64e6);
  EXPECT_EQ(inside.highest_tier, -1);
  // tp = 8, ep = 8: the expert ranks are 8 apart, one per node.
  const CollectiveCost across =
      collective_cost(sc.fabric, sc.profile, sc.calibration, 64, Collective::all_to_all, {8, 8}, 64e6);
  EXPECT_GE(across.highest_tier, 0);
  EXPECT_GT(across.seconds, inside.seconds);
}

TEST(Moe, ExpertParallelCommunicationAppearsInTheBreakdown) {
  const Scenario sc = testing::scenario(mixtral(), 64);
  const PlanResult one = evaluate(sc, plan(1, 1));
  const PlanResult eight = evaluate(sc, plan(1, 8));
  ASSERT_TRUE(one.valid && eight.valid);
  EXPECT_EQ(one.breakdown.ep_comm_s, 0);
  EXPECT_GT(eight.breakdown.ep_comm_s, 0);
  // Experts sharded over ep: less weight memory per GPU.
  EXPECT_LT(eight.memory.weights_bytes, one.memory.weights_bytes / 3);
}

TEST(Moe, BadExpertLayoutsAreImpossible) {
  const Scenario sc = testing::scenario(mixtral(), 64);
  const PlanResult r = evaluate(sc, plan(1, 3));
  EXPECT_FALSE(r.valid);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_NE(r.problems.front().find("routed experts"), std::string::npos);
}

TEST(Fp8, FasterThanBf16WithMfuAgainstTheBf16Peak) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  ParallelPlan p = plan(8, 1);
  p.global_batch = 64;
  const PlanResult bf16 = evaluate(sc, p);
  p.precision = Precision::fp8;
  const PlanResult fp8 = evaluate(sc, p);
  EXPECT_LT(fp8.step_time_s, bf16.step_time_s);
  EXPECT_NEAR(fp8.mfu, fp8.tflops_per_gpu / 989.4, 1e-9);
  EXPECT_NEAR(fp8.mfu_fp8, fp8.tflops_per_gpu / 1978.9, 1e-9);
}

}  // namespace trainplan

namespace trainplan {

TEST(Moe, OverlappedAllToAllHidesBehindCompute) {
  const Scenario sc = testing::scenario(mixtral(), 64);
  ParallelPlan p = plan(1, 8);
  const PlanResult exposed = evaluate(sc, p);
  p.ep_overlap = true;
  const PlanResult overlapped = evaluate(sc, p);
  EXPECT_LT(overlapped.breakdown.ep_comm_s, exposed.breakdown.ep_comm_s);
  EXPECT_LT(overlapped.step_time_s, exposed.step_time_s);
}

TEST(Fp8, SavesGemmInputsInOneByte) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  ParallelPlan p = plan(8, 1);
  p.global_batch = 64;
  const double bf16 = evaluate(sc, p).memory.activations_bytes;
  p.precision = Precision::fp8;
  const double fp8 = evaluate(sc, p).memory.activations_bytes;
  EXPECT_LT(fp8, bf16);
  EXPECT_GT(fp8, 0.6 * bf16);  // norms, Q/K/V and activations stay in bf16
}

}  // namespace trainplan
