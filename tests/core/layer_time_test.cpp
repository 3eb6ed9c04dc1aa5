// Layer time: what hidden communication still costs, and fp8's operand casts.
#include <gtest/gtest.h>

#include "planner/core/model/fp8_split_accumulator.hpp"
#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/moe_layer.hpp"
#include "test_models.hpp"

namespace trainplan {

TEST(LayerTime, HiddenTensorParallelCommunicationCostsItsSmShare) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  ParallelPlan p;
  p.tp = 8;
  p.seq_len = 8192;
  p.global_batch = 8;
  p.sequence_parallel = true;
  p.tp_backward_overlap = false;  // every collective on the critical path (tp_backward_overlap_test.cpp)
  const LayerWork w = dense_layer_work(sc.model, p);
  const double exposed_s = layer_time(w, sc, p).tp_comm_s;
  p.tp_overlap = true;
  const LayerTime overlapped = layer_time(w, sc, p);
  ASSERT_GT(exposed_s, 0);
  // The collectives fit behind this layer's GEMMs: the calibrated 80% of them hides, and for as
  // long as it runs the hidden part holds 20 of 132 SMs (DeepSeek-V3 section 3.2.2).
  const double hide = sc.calibration.overlap_efficiency;
  ASSERT_DOUBLE_EQ(hide, 0.8);
  EXPECT_NEAR(overlapped.tp_comm_s, exposed_s * (1 - hide) + exposed_s * hide * 20.0 / 132.0, 1e-12);
  Scenario free_overlap = sc;
  free_overlap.calibration.overlapped_comm_sm_share = 0;
  free_overlap.calibration.overlap_efficiency = 1;
  EXPECT_DOUBLE_EQ(layer_time(w, free_overlap, p).tp_comm_s, 0.0);
}

TEST(LayerTime, KernelsSustainTheCalibratedFractionOfTheirIsolatedRate) {
  Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  const GemmShape g{8192, 8192, 8192, 1};
  sc.calibration.sustained_kernel_fraction = 1.0;
  const double isolated_s = gemm_seconds(g, Precision::bf16, sc.gpu, sc.profile, sc.calibration);
  const double isolated_hbm_s = memory_bound_seconds(1e9, 1, sc);
  sc.calibration.sustained_kernel_fraction = 0.5;
  const double launch = sc.calibration.kernel_overhead_s;
  // Half the rate: twice the time, the fixed launch overhead apart.
  EXPECT_NEAR(gemm_seconds(g, Precision::bf16, sc.gpu, sc.profile, sc.calibration) - launch, 2 * (isolated_s - launch), 1e-15);
  EXPECT_NEAR(memory_bound_seconds(1e9, 1, sc) - launch, 2 * (isolated_hbm_s - launch), 1e-15);
  EXPECT_DOUBLE_EQ(default_calibration().sustained_kernel_fraction, 0.89);
}

TEST(LayerTime, Fp8CastsEachGemmOperandOncePerPass) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  LayerWork w;
  w.out_proj = {1000, 2000, 3000, 1};  // one GEMM whose input no norm writes, nothing else in the layer
  ParallelPlan p;
  p.precision = Precision::fp8;
  const LayerTime t = layer_time(w, sc, p);
  const double gemm_s = gemm_seconds(w.out_proj, Precision::fp8, sc.gpu, sc.profile, sc.calibration);
  // Memory-bound kernels run at the achieved HBM rate times the sustained fraction.
  const double hbm = achieved_hbm_bytes_per_s(sc.gpu, sc.profile) * sc.calibration.sustained_kernel_fraction;
  const double launch = sc.calibration.kernel_overhead_s;
  // Forward: the input (m x k) read in bf16, written in fp8 and fp8-transposed: 4 bytes each.
  EXPECT_NEAR(t.forward_compute_s, gemm_s + 4.0 * 1000 * 3000 / hbm + launch, 1e-12);
  // Backward: two GEMMs with the split accumulator (slower than the fast-accumulation curve) and
  // the output gradient (m x n) cast the same way.
  EXPECT_NEAR(t.backward_compute_s, kFp8SplitAccumulatorSlowdown * 2.0 * gemm_s + 4.0 * 1000 * 2000 / hbm + launch, 1e-12);
  p.precision = Precision::bf16;
  const LayerTime bf16 = layer_time(w, sc, p);
  EXPECT_NEAR(bf16.forward_compute_s, gemm_seconds(w.out_proj, Precision::bf16, sc.gpu, sc.profile, sc.calibration), 1e-15);
  EXPECT_NEAR(bf16.backward_compute_s, 2.0 * gemm_seconds(w.out_proj, Precision::bf16, sc.gpu, sc.profile, sc.calibration), 1e-15);
}

TEST(LayerTime, Fp8SplitAccumulatorSlowsTheBackwardGemmsButNotTheBf16Router) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  LayerWork w;
  w.router = {1000, 64, 3000, 1};  // the gating GEMM alone: it stays bf16 under fp8
  ParallelPlan p;
  p.precision = Precision::fp8;
  const double router_s = gemm_seconds(w.router, Precision::bf16, sc.gpu, sc.profile, sc.calibration);
  EXPECT_NEAR(layer_time(w, sc, p).backward_compute_s, 2.0 * router_s, 1e-15);
  // Blockwise scaling's kernels promote inside their own main loop: backward at the curve's rate.
  LayerWork o;
  o.out_proj = {1000, 2000, 3000, 1};
  const double gemm_s = gemm_seconds(o.out_proj, Precision::fp8, sc.gpu, sc.profile, sc.calibration);
  const double delayed = layer_time(o, sc, p).backward_compute_s;
  p.fp8_scaling = Fp8Scaling::blockwise;
  const double blockwise = layer_time(o, sc, p).backward_compute_s;
  EXPECT_NEAR(delayed - blockwise, (kFp8SplitAccumulatorSlowdown - 1.0) * 2.0 * gemm_s, 1e-12);
}

TEST(LayerTime, SelectiveRecomputationOfMlaRerunsNormsAndUpProjections) {
  ModelShape m = testing::llama3_8b();
  m.attention = AttentionKind::mla;
  m.kv_heads = m.heads;
  m.mla = {1536, 512, 128, 64, 128};
  const Scenario sc = testing::scenario(m, 8);
  ParallelPlan p;
  p.seq_len = 4096;
  p.global_batch = 8;
  const LayerWork kept = dense_layer_work(m, p);
  p.recompute = Recompute::selective;
  const LayerWork selective = dense_layer_work(m, p);
  // Not kept: the two norm outputs (GEMM inputs, 2 x 4096 x 4096), the two latent norm outputs
  // (4096 x 2048) and the up-projected Q (32 x 192 wide) and K, V (32 x 320), all bf16.
  const double tokens = 4096;
  EXPECT_DOUBLE_EQ(kept.saved_activation_bytes - selective.saved_activation_bytes,
                   2.0 * (2 * tokens * 4096 + tokens * 2048) + 2.0 * tokens * 32 * (192 + 320));
  const LayerTime t = layer_time(selective, sc, p);
  const double up_s = gemm_seconds(selective.qkv, Precision::bf16, sc.gpu, sc.profile, sc.calibration) +
                      gemm_seconds(selective.mla_kv_up, Precision::bf16, sc.gpu, sc.profile, sc.calibration);
  EXPECT_GT(t.recompute_compute_s, up_s);
  EXPECT_LT(t.recompute_compute_s, 0.2 * t.forward_compute_s);
  // A model without MLA keeps Megatron-Core's meaning: the attention core is checkpointed, so even a
  // fused (flash) kernel's forward runs again: more than nothing, less than the layer's forward.
  const Scenario dense = testing::scenario(testing::llama3_8b(), 8);
  const LayerTime dense_t = layer_time(dense_layer_work(dense.model, p), dense, p);
  EXPECT_GT(dense_t.recompute_compute_s, 0.0);
  EXPECT_LT(dense_t.recompute_compute_s, 0.5 * dense_t.forward_compute_s);
}

}  // namespace trainplan

namespace trainplan {

TEST(LayerTime, TpOverlapLeavesTheDispatchersGatherExposed) {
  // An MoE layer with TP-split experts: the attention's collectives overlap with its GEMMs under
  // tp_overlap, the token dispatcher's all-gather/reduce-scatter of routed copies does not.
  ModelShape m = testing::llama3_8b();
  m.moe.routed_experts = 8;
  m.moe.top_k = 2;
  m.moe.expert_ffn = 14336;
  const Scenario sc = testing::scenario(m, 8);
  ParallelPlan p;
  p.tp = 8;
  p.seq_len = 8192;
  p.global_batch = 8;
  p.sequence_parallel = true;
  const LayerWork w = moe_layer_work(m, p);
  ASSERT_GT(w.tp_expert_collectives_forward, 0);
  const double exposed_s = layer_time(w, sc, p).tp_comm_s;
  p.tp_overlap = true;
  const double overlapped_s = layer_time(w, sc, p).tp_comm_s;
  LayerWork attention_only = w;
  attention_only.tp_expert_collectives_forward = 0;
  ParallelPlan q = p;
  q.tp_overlap = false;
  const double dispatcher_s = exposed_s - layer_time(attention_only, sc, q).tp_comm_s;
  ASSERT_GT(dispatcher_s, 0);
  EXPECT_GT(overlapped_s, dispatcher_s);  // the dispatcher's part stays whole
  EXPECT_LT(overlapped_s, exposed_s);     // the attention's part mostly hides
}

}  // namespace trainplan
