// Tensor parallelism's backward collectives beside their own GEMMs (Megatron-LM's asynchronous
// column-parallel backward): what hides, what stays exposed, and what the layer is charged.
#include <gtest/gtest.h>

#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/tp_backward_overlap.hpp"
#include "test_models.hpp"

namespace trainplan {

TEST(TpBackwardOverlap, AllReduceHidesBehindTheWeightGradientItCanFitIn) {
  const double gemm_s[2] = {3.0, 0.5};
  // Without sequence parallelism: one all-reduce per column-parallel linear, beside its weight
  // gradient (as long as its forward GEMM). 1 s fits behind 3 s; behind 0.5 s, 0.5 s stays exposed.
  const TpBackwardCollectives t = tp_backward_collectives(2, gemm_s, false, 1.0, 0.0, 0.0);
  EXPECT_DOUBLE_EQ(t.hidden_s, 1.5);
  EXPECT_DOUBLE_EQ(t.exposed_s, 0.5);
}

TEST(TpBackwardOverlap, SequenceParallelExposesTheRowParallelGather) {
  const double gemm_s[1] = {10.0};
  // The row-parallel linear's output gradient is all-gathered before anything runs (exposed); the
  // column-parallel re-gather and reduce-scatter hide behind its data and weight gradients.
  const TpBackwardCollectives t = tp_backward_collectives(1, gemm_s, true, 0.0, 0.4, 0.6);
  EXPECT_DOUBLE_EQ(t.exposed_s, 0.4);
  EXPECT_DOUBLE_EQ(t.hidden_s, 1.0);
  // Nothing to hide behind: everything exposed, the re-gather included.
  const double none[1] = {0.0};
  const TpBackwardCollectives bare = tp_backward_collectives(1, none, true, 0.0, 0.4, 0.6);
  EXPECT_DOUBLE_EQ(bare.exposed_s, 1.4);
  EXPECT_DOUBLE_EQ(bare.hidden_s, 0.0);
}

TEST(TpBackwardOverlap, LayerChargesForwardCollectivesAndWhatTheBackwardLeaves) {
  Scenario sc = testing::scenario(testing::gpt3_175b(), 8);
  ParallelPlan p;
  p.tp = 8;
  p.seq_len = 2048;
  p.micro_batch = 1;
  p.global_batch = 8;
  p.attention_kernel = AttentionKernel::materialized;
  for (const Recompute recompute : {Recompute::none, Recompute::full}) {
    p.recompute = recompute;
    const LayerWork w = dense_layer_work(sc.model, p);
    p.tp_backward_overlap = false;
    const double synchronous_s = layer_time(w, sc, p).tp_comm_s;
    p.tp_backward_overlap = true;
    const double overlapped_s = layer_time(w, sc, p).tp_comm_s;
    // GPT-3's column-parallel GEMMs outlast an 8-GPU all-reduce of the activation: the backward's
    // two all-reduces hide, paying only their SM share; the forward's (and a full recomputation's) stay.
    const double passes = recompute == Recompute::full ? 3.0 : 2.0;
    const double one_pass_s = synchronous_s / passes;
    EXPECT_NEAR(overlapped_s, (passes - 1.0) * one_pass_s + one_pass_s * sc.calibration.overlapped_comm_sm_share,
                1e-12 * synchronous_s);
  }
  // With userbuffers overlap (tp_overlap) the flag changes nothing: that path hides every pass.
  p.recompute = Recompute::none;
  p.tp_overlap = true;
  const LayerWork w = dense_layer_work(sc.model, p);
  p.tp_backward_overlap = false;
  const double ub_off = layer_time(w, sc, p).tp_comm_s;
  p.tp_backward_overlap = true;
  EXPECT_DOUBLE_EQ(layer_time(w, sc, p).tp_comm_s, ub_off);
}

}  // namespace trainplan
