// The routed experts' activation as DeepSeek-V3 and Megatron keep it: recomputed, or its input in fp8.
#include <gtest/gtest.h>

#include "planner/core/evaluate.hpp"
#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/moe_layer.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
// 64 routed experts of width 1024, top-4, on Llama 3 8B's trunk (hidden 4096, SwiGLU).
ModelShape fine_grained() {
  ModelShape m = testing::llama3_8b();
  m.name = "fine-grained";
  m.moe.routed_experts = 64;
  m.moe.top_k = 4;
  m.moe.expert_ffn = 1024;
  return m;
}

ParallelPlan expert_plan(Precision precision) {
  ParallelPlan p;
  p.ep = 8;
  p.seq_len = 4096;
  p.global_batch = 64;
  p.precision = precision;
  return p;
}

constexpr double kRoutedRows = 4096.0 * 4;  // tokens x top_k, balanced (load 1)
constexpr double kFfn = 1024;
}  // namespace

TEST(RoutedActivation, RecomputeDropsTheDownProjectionInputAndRerunsTheActivation) {
  const ModelShape m = fine_grained();
  for (const Precision precision : {Precision::bf16, Precision::fp8}) {
    ParallelPlan p = expert_plan(precision);
    const LayerWork kept = moe_layer_work(m, p);
    p.moe_act_recompute = true;
    const LayerWork rerun = moe_layer_work(m, p);
    const double down_input_bytes = precision == Precision::fp8 ? 1.0 : 2.0;
    EXPECT_NEAR(kept.saved_activation_bytes - rerun.saved_activation_bytes, kRoutedRows * kFfn * down_input_bytes, 1.0);
    // Backward re-reads the two bf16 halves, writes the bf16 output (and under fp8 casts it: 4 B).
    const double cast = precision == Precision::fp8 ? 4.0 : 0.0;
    EXPECT_NEAR(rerun.moe_act_recompute_bytes, kRoutedRows * kFfn * (2 * 2.0 + 2.0 + cast), 1.0);
    EXPECT_EQ(kept.moe_act_recompute_bytes, 0.0);
    const Scenario sc = testing::scenario(m, 64);
    EXPECT_GT(layer_time(rerun, sc, p).recompute_compute_s, layer_time(kept, sc, p).recompute_compute_s);
  }
}

TEST(RoutedActivation, Fp8InputKeepsOneByteAndAScalePer128Values) {
  const ModelShape m = fine_grained();
  ParallelPlan p = expert_plan(Precision::fp8);
  p.moe_act_recompute = true;
  const LayerWork bf16_input = moe_layer_work(m, p);
  p.moe_act_input_fp8 = true;
  const LayerWork fp8_input = moe_layer_work(m, p);
  // Two halves of the SwiGLU input, 2 B each before, 1 + 4/128 B after.
  EXPECT_NEAR(bf16_input.saved_activation_bytes - fp8_input.saved_activation_bytes,
              kRoutedRows * kFfn * 2 * (2.0 - (1.0 + 4.0 / 128)), 1.0);
  // One quantizing pass in forward: read bf16, write fp8 + scales.
  EXPECT_NEAR(fp8_input.elementwise_bytes - bf16_input.elementwise_bytes, kRoutedRows * kFfn * 2 * (2.0 + 1.0 + 4.0 / 128), 1.0);
  EXPECT_EQ(fp8_input.elementwise_kernels, bf16_input.elementwise_kernels + 1);
}

TEST(RoutedActivation, FullRecomputationKeepsNothingOfItToSave) {
  const ModelShape m = fine_grained();
  ParallelPlan p = expert_plan(Precision::fp8);
  p.recompute = Recompute::full;
  const LayerWork plain = moe_layer_work(m, p);
  p.moe_act_recompute = true;
  p.moe_act_input_fp8 = true;
  const LayerWork both = moe_layer_work(m, p);
  EXPECT_EQ(both.saved_activation_bytes, plain.saved_activation_bytes);
  EXPECT_EQ(both.elementwise_bytes, plain.elementwise_bytes);
  EXPECT_EQ(both.moe_act_recompute_bytes, 0.0);
}

TEST(RoutedActivation, LowersThePlansActivationMemory) {
  const ModelShape m = fine_grained();
  const Scenario sc = testing::scenario(m, 64);
  ParallelPlan p = expert_plan(Precision::fp8);
  const PlanResult kept = evaluate(sc, p);
  p.moe_act_recompute = true;
  p.moe_act_input_fp8 = true;
  const PlanResult saved = evaluate(sc, p);
  EXPECT_LT(saved.memory.activations_bytes, kept.memory.activations_bytes);
  EXPECT_GT(saved.step_time_s, kept.step_time_s);  // the re-run and the quantizing pass cost time
}

}  // namespace trainplan
