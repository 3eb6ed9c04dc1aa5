#include "planner/core/model/layer_work.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_for(int tp, int micro_batch, int seq_len) {
  ParallelPlan p;
  p.tp = tp;
  p.micro_batch = micro_batch;
  p.seq_len = seq_len;
  p.attention_kernel = AttentionKernel::materialized;
  return p;
}
}  // namespace

TEST(LayerWork, Gpt3LayerForwardFlopsMatchMegatronFormula) {
  // Narayanan et al. 2021: a layer's forward is 24*b*s*h^2 + 4*b*s^2*h FLOPs (ffn = 4h, MHA).
  const ModelShape m = testing::gpt3_175b();
  const double b = 2, s = 2048, h = 12288;
  const LayerWork w = dense_layer_work(m, plan_for(1, 2, 2048));
  EXPECT_DOUBLE_EQ(w.model_flops_forward, 24 * b * s * h * h + 4 * b * s * s * h);
}

TEST(LayerWork, TensorParallelismSplitsFlopsEvenly) {
  const ModelShape m = testing::gpt3_175b();
  const LayerWork one = dense_layer_work(m, plan_for(1, 1, 2048));
  const LayerWork eight = dense_layer_work(m, plan_for(8, 1, 2048));
  EXPECT_DOUBLE_EQ(one.model_flops_forward, 8 * eight.model_flops_forward);
  EXPECT_DOUBLE_EQ(eight.tp_message_bytes, 2048.0 * 12288 * 2);
  EXPECT_EQ(eight.tp_collectives_forward, 2);
}

TEST(LayerWork, GqaShrinksKeyValueProjection) {
  const ModelShape m = testing::llama3_8b();
  const LayerWork w = dense_layer_work(m, plan_for(1, 1, 8192));
  // QKV output width: 32 query heads + 2 * 8 KV heads, 128 each.
  EXPECT_DOUBLE_EQ(w.qkv.n, (32 + 16) * 128.0);
  EXPECT_DOUBLE_EQ(w.mlp_up.n, 2.0 * 14336);  // gate and up projections fused
}

TEST(LayerWork, KorthikantiActivationMemoryPerLayer) {
  // Korthikanti et al. 2022, Table 2: bytes per layer, t-way tensor parallelism, a = heads.
  const ModelShape m = testing::gpt3_175b();
  const double s = 2048, b = 1, h = 12288, a = 96, t = 8;
  ParallelPlan p = plan_for(8, 1, 2048);
  p.recompute = Recompute::none;
  p.sequence_parallel = false;
  EXPECT_NEAR(dense_layer_work(m, p).saved_activation_bytes, s * b * h * (10 + 24 / t + 5 * a * s / (h * t)), 1.0);
  p.sequence_parallel = true;
  EXPECT_NEAR(dense_layer_work(m, p).saved_activation_bytes, s * b * h / t * (34 + 5 * a * s / h), 1.0);
  p.recompute = Recompute::selective;
  EXPECT_NEAR(dense_layer_work(m, p).saved_activation_bytes, s * b * h * 34 / t, 1.0);
  p.recompute = Recompute::full;
  EXPECT_NEAR(dense_layer_work(m, p).saved_activation_bytes, 2 * s * b * h / t, 1.0);
}

TEST(LayerWork, FlashAttentionUnderCausalMaskDoesHalfTheWork) {
  const ModelShape m = testing::llama3_8b();
  ParallelPlan p = plan_for(1, 1, 8192);
  p.attention_kernel = AttentionKernel::flash3;
  p.causal = true;
  const double causal = dense_layer_work(m, p).flash_attention_flops;
  p.causal = false;
  EXPECT_DOUBLE_EQ(2 * causal, dense_layer_work(m, p).flash_attention_flops);
  EXPECT_DOUBLE_EQ(dense_layer_work(m, p).flash_attention_flops, 4.0 * 8192 * 8192 * 32 * 128);
}

TEST(HeadWork, LogitsGemmIsVocabularyParallel) {
  const ModelShape m = testing::llama3_8b();
  const HeadWork head = head_work(m, plan_for(4, 1, 8192));
  EXPECT_DOUBLE_EQ(head.model_flops_forward, 2.0 * 8192 * 4096 * 128256 / 4);
}

}  // namespace trainplan
