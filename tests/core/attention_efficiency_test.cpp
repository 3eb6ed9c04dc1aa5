// Fused attention's speed by shape: published curves by mask, head dimension and keys per query.
#include <gtest/gtest.h>

#include <cmath>

#include "planner/core/attention_efficiency.hpp"
#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/layer_work.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
AttentionCurve curve(bool causal, int head_dim, std::vector<double> keys, std::vector<double> fractions) {
  return {causal, head_dim, SizeCurve(std::move(keys), std::move(fractions))};
}
// A dense layer's work with only its attention core left (no projection GEMMs, no memory-bound
// passes), so that its forward time is the attention's.
LayerWork attention_part(LayerWork w) {
  w.qkv = w.out_proj = w.mlp_up = w.mlp_down = GemmShape{};
  w.elementwise_bytes = 0;
  w.elementwise_kernels = 0;
  return w;
}
AttentionKernelFigures two_head_dims() {
  AttentionKernelFigures k;
  k.curves = {curve(true, 64, {1024, 4096}, {0.2, 0.4}), curve(true, 128, {1024, 4096}, {0.3, 0.5}),
              curve(false, 128, {1024, 4096}, {0.45, 0.55})};
  return k;
}
}  // namespace

TEST(AttentionEfficiency, OneFigureServesEveryShape) {
  const AttentionKernelFigures k(0.6);
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {true, 64, 512}), 0.6);
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {false, 256, 1e6}), 0.6);
  EXPECT_DOUBLE_EQ(attention_fraction_at(AttentionKernelFigures{}, {true, 128, 4096}), 0.0);
}

TEST(AttentionEfficiency, CurvesReadByMaskHeadDimensionAndKeys) {
  const AttentionKernelFigures k = two_head_dims();
  // At a measured point, the point.
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {true, 128, 4096}), 0.5);
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {false, 128, 1024}), 0.45);
  // Log-linear in keys: 2048 is half way from 1024 to 4096.
  EXPECT_NEAR(attention_fraction_at(k, {true, 128, 2048}), 0.4, 1e-12);
  // Linear in head dimension between the two measured ones: 96 is half way from 64 to 128.
  EXPECT_NEAR(attention_fraction_at(k, {true, 96, 4096}), 0.45, 1e-12);
  // Outside the measured head dimensions, the nearest curve.
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {true, 192, 4096}), 0.5);
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {true, 32, 4096}), 0.4);
  // Beyond the longest length the longest's value; below the shortest, scaled down with the length.
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {true, 128, 131072}), 0.5);
  EXPECT_NEAR(attention_fraction_at(k, {true, 128, 512}), 0.15, 1e-12);
  // A mask with no curves of its own reads the other mask's.
  AttentionKernelFigures causal_only;
  causal_only.curves = {curve(true, 128, {1024, 4096}, {0.3, 0.5})};
  EXPECT_DOUBLE_EQ(attention_fraction_at(causal_only, {false, 128, 4096}), 0.5);
}

// An unmasked launch never reads below a causal one of the same shape: where the full-mask curve
// stops short (A100's published figure hides its short full-mask lengths) its scaled-down value
// gives way to the causal curve's; where both are measured the full-mask reading stands.
TEST(AttentionEfficiency, AFullMaskLaunchReadsNoLowerThanACausalOne) {
  AttentionKernelFigures k;
  k.curves = {curve(true, 128, {512, 1024, 4096}, {0.2, 0.3, 0.5}), curve(false, 128, {2048, 4096}, {0.6, 0.65})};
  // 1,024 keys: the full-mask curve scaled down from 2,048 (0.3) meets the causal 0.3; 512 keys:
  // 0.15 against the causal 0.2.
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {false, 128, 512}), 0.2);
  EXPECT_NEAR(attention_fraction_at(k, {false, 128, 1024}), 0.3, 1e-12);
  // Measured: the full-mask figure.
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {false, 128, 4096}), 0.65);
  // A causal launch is not raised by the full-mask curve.
  EXPECT_DOUBLE_EQ(attention_fraction_at(k, {true, 128, 512}), 0.2);
}

// The flash kernel is costed at the shape it runs: the sequence's keys on full layers, a sliding
// window's on windowed ones, and under ring context parallelism the local chunk's.
TEST(AttentionEfficiency, LayerTimeReadsTheKernelAtItsShape) {
  ModelShape m = testing::llama3_8b();
  Scenario sc = testing::scenario(m, 8);
  sc.profile.fused_attention[1] = AttentionKernelFigures{};
  sc.profile.fused_attention[1].curves = {curve(true, 128, {1024, 8192}, {0.3, 0.6})};
  ParallelPlan p;
  p.attention_kernel = AttentionKernel::flash3;
  p.causal = true;
  p.seq_len = 8192;
  const double rate = peak_flops_per_s(sc.gpu, Precision::bf16) * sc.calibration.sustained_kernel_fraction;
  const double launch = sc.calibration.kernel_overhead_s;
  const LayerWork w = dense_layer_work(m, p);
  EXPECT_DOUBLE_EQ(w.flash_keys, 8192);
  EXPECT_DOUBLE_EQ(w.flash_head_dim, 128);
  EXPECT_DOUBLE_EQ(w.flash_windowed_flops, 0);
  // The forward's attention at 0.6 (8,192 keys).
  const double attention_s = w.flash_attention_flops / (rate * 0.6) + launch;
  LayerWork only_attention;
  only_attention.flash_attention_flops = w.flash_attention_flops;
  only_attention.flash_head_dim = 128;
  only_attention.flash_keys = 8192;
  EXPECT_NEAR(layer_time(only_attention, sc, p).forward_compute_s, attention_s, 1e-12);
  // Ring context parallelism over 8: each launch runs over a 1,024-key chunk, at 0.3.
  ParallelPlan ring = p;
  ring.cp = 8;
  EXPECT_DOUBLE_EQ(dense_layer_work(m, ring).flash_keys, 1024);
  ParallelPlan gathered = ring;
  gathered.cp_all_gather = true;
  EXPECT_DOUBLE_EQ(dense_layer_work(m, gathered).flash_keys, 8192);
  only_attention.flash_keys = 1024;
  EXPECT_NEAR(layer_time(only_attention, sc, p).forward_compute_s, w.flash_attention_flops / (rate * 0.3) + launch, 1e-12);
  // Every other layer windowed to 1,024 keys: their share of the FLOPs runs at 0.3, the rest at 0.6.
  m.attention_window = 1024;
  m.full_attention_interval = 2;
  const LayerWork windowed = dense_layer_work(m, p);
  ASSERT_GT(windowed.flash_windowed_flops, 0);
  EXPECT_DOUBLE_EQ(windowed.flash_window_keys, 1024);
  const double full_flops = windowed.flash_attention_flops - windowed.flash_windowed_flops;
  // Half the layers are full: their FLOPs are those of a full layer, halved by the pattern.
  EXPECT_NEAR(full_flops, 0.5 * w.flash_attention_flops, 1e-6 * w.flash_attention_flops);
  EXPECT_NEAR(layer_time(attention_part(windowed), sc, p).forward_compute_s,
              full_flops / (rate * 0.6) + windowed.flash_windowed_flops / (rate * 0.3) + launch, 1e-12);
}

// Ring context parallelism under a causal mask: step 0 is the causal launch over the local chunk,
// the cp - 1 later steps are launches without a mask over half the local queries or keys (the same
// pairs as a square launch of chunk / sqrt(2) keys), each step the same FLOPs.
TEST(AttentionEfficiency, RingContextParallelismRunsItsLaterStepsUnmasked) {
  const ModelShape m = testing::llama3_8b();
  Scenario sc = testing::scenario(m, 8);
  sc.profile.fused_attention[1] = AttentionKernelFigures{};
  sc.profile.fused_attention[1].curves = {curve(true, 128, {1024, 4096}, {0.3, 0.5}), curve(false, 128, {1024, 4096}, {0.45, 0.55})};
  ParallelPlan ring;
  ring.attention_kernel = AttentionKernel::flash3;
  ring.causal = true;
  ring.seq_len = 8192;
  ring.cp = 4;
  const LayerWork w = dense_layer_work(m, ring);
  EXPECT_DOUBLE_EQ(w.flash_keys, 2048);
  EXPECT_NEAR(w.flash_ring_block_flops, 0.75 * w.flash_attention_flops, 1e-9 * w.flash_attention_flops);
  EXPECT_NEAR(w.flash_ring_block_keys, 2048 / std::sqrt(2.0), 1e-9);
  // A quarter of the FLOPs at the causal 2,048-key figure (0.4), three quarters at the unmasked
  // figure at 1,448 keys (log-linear between 1,024 and 4,096: 0.45 + 0.1 x 0.25 = 0.475).
  const double causal_fraction = 0.4, block_fraction = 0.475;
  EXPECT_NEAR(full_attention_fraction(ring.attention_kernel, sc.profile, true, w), 1.0 / (0.25 / causal_fraction + 0.75 / block_fraction), 1e-12);
  const double rate = peak_flops_per_s(sc.gpu, Precision::bf16) * sc.calibration.sustained_kernel_fraction;
  EXPECT_NEAR(layer_time(attention_part(w), sc, ring).forward_compute_s,
              0.25 * w.flash_attention_flops / (rate * causal_fraction) + 0.75 * w.flash_attention_flops / (rate * block_fraction) +
                  sc.calibration.kernel_overhead_s,
              1e-12);
  // No split without a causal mask (every step unmasked over the chunk), nor when context
  // parallelism all-gathers the keys (one causal launch over the sequence), nor without cp.
  ParallelPlan full = ring;
  full.causal = false;
  EXPECT_DOUBLE_EQ(dense_layer_work(m, full).flash_ring_block_flops, 0);
  ParallelPlan gathered = ring;
  gathered.cp_all_gather = true;
  EXPECT_DOUBLE_EQ(dense_layer_work(m, gathered).flash_ring_block_flops, 0);
  ParallelPlan one = ring;
  one.cp = 1;
  EXPECT_DOUBLE_EQ(dense_layer_work(m, one).flash_ring_block_flops, 0);
  EXPECT_DOUBLE_EQ(full_attention_fraction(one.attention_kernel, sc.profile, true, dense_layer_work(m, one)),
                   attention_fraction_at(sc.profile.fused_attention[1], {true, 128, 8192}));
}

}  // namespace trainplan
