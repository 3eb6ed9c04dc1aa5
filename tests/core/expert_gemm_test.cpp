// The routed experts' grouped GEMMs: tile rows per expert and the K depth of each tile.
#include <gtest/gtest.h>

#include "planner/core/model/expert_gemm.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
Scenario with_tile_depth(double fixed_fp8, double fixed_bf16) {
  Scenario sc = testing::scenario(testing::mixtral_8x7b(), 8);
  sc.profile.gemm_fp8_tile_fixed_k = fixed_fp8;
  sc.profile.gemm_bf16_tile_fixed_k = fixed_bf16;
  return sc;
}
}  // namespace

TEST(ExpertGemm, ShallowTilesRunSlowerThanDeepOnesOfTheSameWork) {
  const Scenario sc = with_tile_depth(489, 245);
  const double flops = 2.0 * 4096.0 * 4096.0 * 4096.0;
  const double deep = expert_gemm_efficiency(flops, 16384, Precision::fp8, sc.gpu, sc.profile);
  const double shallow = expert_gemm_efficiency(flops, 768, Precision::fp8, sc.gpu, sc.profile);
  // 768 / (768 + 489) against 4096 / (4096 + 489) for the square GEMM the curve was measured on.
  EXPECT_NEAR(shallow / 0.7, (768.0 / 1257.0) / (4096.0 / 4585.0), 1e-9);
  EXPECT_LT(shallow, deep);
  EXPECT_LE(deep, 0.7);  // never above the curve's plateau
}

TEST(ExpertGemm, Fp8GainsLessOnShallowTiles) {
  const Scenario sc = with_tile_depth(489, 245);
  auto gain = [&](double k) {
    const GemmShape g{4096, 4096, k, 16};
    const double bf16 = expert_gemm_times(g, Precision::bf16, sc.gpu, sc.profile, sc.calibration).forward_s;
    const double fp8 = expert_gemm_times(g, Precision::fp8, sc.gpu, sc.profile, sc.calibration).forward_s;
    return bf16 / fp8;
  };
  EXPECT_LT(gain(768), gain(8192));
}

TEST(ExpertGemm, WithoutTileFiguresTheSquareCurveHolds) {
  const Scenario sc = with_tile_depth(0, 0);
  EXPECT_DOUBLE_EQ(expert_gemm_efficiency(1e12, 256, Precision::bf16, sc.gpu, sc.profile), 0.8);
}

TEST(ExpertGemm, FewTokensPerExpertStillFillAWholeTile) {
  EXPECT_DOUBLE_EQ(expert_tile_rows(10), 128.0);
  EXPECT_DOUBLE_EQ(expert_tile_rows(100), 164.0);  // half a tile on average beyond the tokens
  EXPECT_DOUBLE_EQ(expert_tile_rows(0), 0.0);
  const Scenario sc = with_tile_depth(489, 245);
  const auto time = [&](double tokens) {
    return expert_gemm_times({tokens, 2048, 7168, 32}, Precision::fp8, sc.gpu, sc.profile, sc.calibration);
  };
  // Forward and data gradient: 10 tokens cost the rows of a whole tile, as 64 do.
  EXPECT_GT(time(10).forward_s, 0.5 * time(64).forward_s);
  // The weight gradient's depth is the expert's tokens: few tokens, shallow tiles, the backward
  // grows more than the forward from 4096 tokens per expert down to 256.
  const ExpertGemmTimes many = time(4096), few = time(256);
  EXPECT_GT(few.backward_s / few.forward_s, many.backward_s / many.forward_s);
}

TEST(ExpertGemm, MultiStreamRunsAtMostFourExpertsAtOnce) {
  Scenario sc = testing::scenario(testing::mixtral_8x7b(), 8);
  sc.profile.gemm_bf16_fraction_by_flops = {{1e9, 1e12}, {0.2, 0.8}};  // small GEMMs fill the GPU less
  EXPECT_DOUBLE_EQ(concurrent_experts(16, ExpertGemmLaunch::multi_stream), 4.0);
  EXPECT_DOUBLE_EQ(concurrent_experts(2, ExpertGemmLaunch::multi_stream), 2.0);
  EXPECT_DOUBLE_EQ(concurrent_experts(16, ExpertGemmLaunch::grouped), 16.0);
  const auto time = [&](double experts, ExpertGemmLaunch launch) {
    return expert_gemm_times({2048, 768, 2048, experts}, Precision::bf16, sc.gpu, sc.profile, sc.calibration, launch);
  };
  // Up to four experts the streams run them all at once, as one grouped kernel would.
  EXPECT_DOUBLE_EQ(time(4, ExpertGemmLaunch::multi_stream).forward_s, time(4, ExpertGemmLaunch::grouped).forward_s);
  EXPECT_DOUBLE_EQ(time(4, ExpertGemmLaunch::multi_stream).backward_s, time(4, ExpertGemmLaunch::grouped).backward_s);
  // Sixteen small experts: four at a time fill the GPU less well than one launch of all sixteen.
  EXPECT_GT(time(16, ExpertGemmLaunch::multi_stream).forward_s, time(16, ExpertGemmLaunch::grouped).forward_s);
  EXPECT_GT(time(16, ExpertGemmLaunch::multi_stream).backward_s, time(16, ExpertGemmLaunch::grouped).backward_s);
}

}  // namespace trainplan
