#include "planner/core/step/step_flops.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of(Recompute recompute, AttentionKernel kernel) {
  ParallelPlan p;
  p.seq_len = 2048;
  p.recompute = recompute;
  p.attention_kernel = kernel;
  return p;
}
}  // namespace

TEST(ModelFlops, SixNPlusTheFullScoreMatrixPerToken) {
  const ModelShape m = testing::gpt3_175b();
  const ParameterCount params = count_parameters(m);
  // Narayanan et al. 2021: attention adds 12 * layers * hidden * seq per token (heads x head_dim = hidden).
  EXPECT_NEAR(model_flops_per_token(m, params, 2048) - 6.0 * params.active_matmul, 12.0 * 96 * 12288 * 2048, 1.0);
}

TEST(StepFlops, HardwareFlopsAddWhatRecomputationReruns) {
  const ModelShape m = testing::gpt3_175b();
  const ParameterCount params = count_parameters(m);
  const double tokens = 1536.0 * 2048;
  const StepFlops none = step_flops(m, params, plan_of(Recompute::none, AttentionKernel::flash2), 1.0, tokens);
  EXPECT_DOUBLE_EQ(none.hardware, none.model);
  EXPECT_NEAR(none.model, model_flops_per_token(m, params, 2048) * tokens, none.model * 1e-15);
  // Full recomputation re-runs the layers' forward (a third of their work), not the output head.
  const StepFlops full = step_flops(m, params, plan_of(Recompute::full, AttentionKernel::flash2), 1.0, tokens);
  EXPECT_NEAR(full.hardware - full.model, full.model / 3 - 2.0 * static_cast<double>(m.vocab) * static_cast<double>(m.hidden) * tokens, full.model * 1e-12);
  const StepFlops half = step_flops(m, params, plan_of(Recompute::full, AttentionKernel::flash2), 0.5, tokens);
  EXPECT_NEAR(half.hardware - half.model, (full.hardware - full.model) / 2, full.model * 1e-12);
  // Selective recomputation re-runs the attention core's forward, fused kernel or not (Megatron-Core
  // checkpoints the core): the same FLOPs with flash as with materialised scores.
  const StepFlops selective = step_flops(m, params, plan_of(Recompute::selective, AttentionKernel::flash2), 1.0, tokens);
  EXPECT_GT(selective.hardware, none.model);
  EXPECT_DOUBLE_EQ(selective.hardware, step_flops(m, params, plan_of(Recompute::selective, AttentionKernel::materialized), 1.0, tokens).hardware);
}

TEST(StepFlops, MultiTokenPredictionIsHardwareWorkNotModelFlops) {
  ModelShape m = testing::llama3_8b();
  const double tokens = 1e6;
  const StepFlops without = step_flops(m, count_parameters(m), plan_of(Recompute::none, AttentionKernel::flash3), 1.0, tokens);
  m.mtp_layers = 1;
  const StepFlops with = step_flops(m, count_parameters(m), plan_of(Recompute::none, AttentionKernel::flash3), 1.0, tokens);
  EXPECT_DOUBLE_EQ(with.model, without.model);
  EXPECT_GT(with.hardware, with.model);
}

}  // namespace trainplan
