// planner/io/probe_loader: the bundled published profile, nccl-tests -J files, and clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <fstream>

#include "planner/io/input_error.hpp"
#include "planner/io/probe_loader.hpp"

namespace trainplan {
namespace {

const std::string kFixtures = TRAINPLAN_PROBE_FIXTURES;

GpuSpec h100() {
  GpuSpec gpu;
  gpu.name = "H100-SXM5-80GB";
  gpu.bf16_dense_tflops = 989.4;
  gpu.fp8_dense_tflops = 1978.9;
  gpu.hbm_tb_s = 3.35;
  return gpu;
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

TEST(BundledProfile, H100HoldsThePublishedFigures) {
  const PerformanceProfile p = bundled_profile_for("H100-SXM5-80GB");
  ASSERT_EQ(p.gemm_bf16_fraction_by_flops.sizes.size(), 6u);
  // The sustained fp8 table over mamf-finder's published fp8/bf16 ratio, 1402.6 / 794.5.
  EXPECT_NEAR(p.gemm_bf16_fraction_by_flops.values.front(), 155.2 / 989.4, 1e-9);
  EXPECT_NEAR(p.gemm_bf16_fraction_by_flops.values.back(), 782.8 / 989.4, 1e-9);
  EXPECT_NEAR(p.gemm_bf16_fraction_by_flops.values.back() * 989.4 * (1402.6 / 794.5), 1382.0, 0.5);
  EXPECT_DOUBLE_EQ(p.gemm_fp8_tile_fixed_k, 489.0);
  EXPECT_DOUBLE_EQ(p.gemm_bf16_tile_fixed_k, 245.0);
  EXPECT_NEAR(p.gemm_fp8_fraction_by_flops.values.front(), 274.0 / 1978.9, 1e-9);
  EXPECT_DOUBLE_EQ(p.gemm_fp8_fraction_by_flops.sizes.front(), 2.0 * 1024 * 1024 * 1024);
  EXPECT_NEAR(p.hbm_fraction, (2.90 + 2.97) / 2 / 3.35, 1e-9);
  const SizeCurve& all_reduce = p.busbw(NetworkLevel::intra_node, Collective::all_reduce);
  ASSERT_EQ(all_reduce.sizes.size(), 24u);  // the whole published table, 1 KiB to 8 GiB
  EXPECT_DOUBLE_EQ(all_reduce.sizes.front(), 1024);
  EXPECT_DOUBLE_EQ(all_reduce.values.back(), 478.87);
  EXPECT_TRUE(p.busbw(NetworkLevel::inter_node, Collective::all_reduce).empty());
  EXPECT_FALSE(p.gemm_measured);
  EXPECT_FALSE(p.hbm_measured);
  EXPECT_FALSE(p.busbw_measured[0][0]);
  ASSERT_FALSE(p.sources.empty());
  for (const auto& source : p.sources) EXPECT_NE(source.find("published"), std::string::npos) << source;
}

TEST(BundledProfile, LoadedCurvesInterpolateLogLinearly) {
  const PerformanceProfile p = bundled_profile_for("h100-sxm");
  const SizeCurve& all_reduce = p.busbw(NetworkLevel::intra_node, Collective::all_reduce);
  // Halfway in log(size) between 64 MiB (361.78) and 128 MiB (400.61) is 64 x sqrt(2) MiB.
  const CurveValue mid = interpolate(all_reduce, 64.0 * std::sqrt(2.0) * (1 << 20));
  EXPECT_NEAR(mid.value, (361.78 + 400.61) / 2.0, 1e-9);
  EXPECT_FALSE(mid.extrapolated);
  const CurveValue beyond = interpolate(all_reduce, 16.0 * (1ull << 30));
  EXPECT_DOUBLE_EQ(beyond.value, 478.87);
  EXPECT_TRUE(beyond.extrapolated);
  EXPECT_TRUE(interpolate(p.gemm_bf16_fraction_by_flops, 1e9).extrapolated);
}

TEST(BundledProfile, RecognisesH100SxmNames) {
  EXPECT_TRUE(is_h100_sxm_name("H100-SXM5-80GB"));
  EXPECT_TRUE(is_h100_sxm_name("NVIDIA H100 80GB HBM3"));
  EXPECT_TRUE(is_h100_sxm_name("h100-sxm"));
  EXPECT_FALSE(is_h100_sxm_name("H100-PCIe-80GB"));
  EXPECT_FALSE(is_h100_sxm_name("NVIDIA H100 NVL"));
  EXPECT_FALSE(is_h100_sxm_name("A100-SXM4-80GB"));
}

TEST(BundledProfile, OtherGpusBorrowEfficienciesButNoBusbw) {
  const PerformanceProfile h = bundled_profile_for("H100-SXM5-80GB");
  const PerformanceProfile b = bundled_profile_for("B200-HGX");
  EXPECT_EQ(b.gemm_bf16_fraction_by_flops.values, h.gemm_bf16_fraction_by_flops.values);
  EXPECT_DOUBLE_EQ(b.hbm_fraction, h.hbm_fraction);
  EXPECT_TRUE(b.busbw(NetworkLevel::intra_node, Collective::all_reduce).empty());
  ASSERT_FALSE(b.sources.empty());
  EXPECT_NE(b.sources.front().find("assumption"), std::string::npos);
}

TEST(BundledProfile, A100HasItsOwnPublishedProfile) {
  EXPECT_TRUE(is_a100_sxm_name("A100-SXM4-80GB"));
  EXPECT_TRUE(is_a100_sxm_name("a100-sxm-80gb"));
  EXPECT_FALSE(is_a100_sxm_name("A100-PCIe-40GB"));
  EXPECT_FALSE(is_a100_sxm_name("H100-SXM5-80GB"));
  const PerformanceProfile a = bundled_profile_for("A100-SXM4-80GB");
  // Azure ND A100 v4, cuBLASLt fp16 (the bf16 rate on A100): 256.5 of 312 TFLOP/s at 16384^3.
  EXPECT_NEAR(a.gemm_bf16_fraction_by_flops.values.back(), 256.5 / 312.0, 1e-12);
  EXPECT_DOUBLE_EQ(a.gemm_bf16_fraction_by_flops.sizes.back(), 2.0 * 16384.0 * 16384.0 * 16384.0);
  EXPECT_TRUE(a.gemm_fp8_fraction_by_flops.empty());  // no fp8 tensor cores
  EXPECT_NEAR(a.hbm_fraction, (1.61 + 1.70) / 2 / 2.039, 1e-12);
  EXPECT_DOUBLE_EQ(a.busbw(NetworkLevel::intra_node, Collective::all_reduce).values.back(), 231.58);
  EXPECT_FALSE(a.gemm_measured);
  ASSERT_FALSE(a.sources.empty());
  EXPECT_NE(a.sources.front().find("published"), std::string::npos);
}

TEST(NcclTestsJson, SingleNodeAllReduceBecomesIntraNodeCurve) {
  PerformanceProfile p = bundled_profile_for("H100-SXM5-80GB");
  apply_probe_file(p, h100(), kFixtures + "/nccl_tests_all_reduce_1node.json");
  const SizeCurve& curve = p.busbw(NetworkLevel::intra_node, Collective::all_reduce);
  ASSERT_EQ(curve.sizes.size(), 6u);
  EXPECT_DOUBLE_EQ(curve.sizes.front(), 1048576);
  EXPECT_DOUBLE_EQ(curve.values.front(), 58.81);   // out-of-place bus_bw
  EXPECT_DOUBLE_EQ(curve.values.back(), 436.99);
  EXPECT_TRUE(p.busbw_measured[0][static_cast<int>(Collective::all_reduce)]);
  EXPECT_FALSE(p.gemm_measured);                   // untouched parts stay published
  EXPECT_NE(p.sources.back().find("nccl-tests"), std::string::npos);
  EXPECT_NE(p.sources.back().find("NCCL 2.21.5"), std::string::npos);
  // 2 MiB lies halfway (in log size) between 1 MiB and 4 MiB.
  EXPECT_NEAR(interpolate(curve, 2.0 * 1048576).value, (58.81 + 163.11) / 2, 1e-9);
}

TEST(NcclTestsJson, TwoNodeAllGatherIsPerRankPerNode) {
  PerformanceProfile p;
  apply_probe_file(p, h100(), kFixtures + "/nccl_tests_all_gather_2nodes.json");
  const SizeCurve& curve = p.busbw(NetworkLevel::inter_node, Collective::all_gather);
  ASSERT_EQ(curve.sizes.size(), 4u);
  EXPECT_NEAR(curve.values.back(), 347.11 / 8, 1e-9);   // 16 ranks on 2 hosts
  EXPECT_TRUE(p.busbw(NetworkLevel::intra_node, Collective::all_gather).empty());
  EXPECT_TRUE(p.busbw_measured[1][static_cast<int>(Collective::all_gather)]);
}

TEST(ProfileFile, ErrorsNameTheFileAndField) {
  const std::string missing = error_of([] {
    PerformanceProfile p;
    apply_probe_file(p, h100(), "/nonexistent/probe.json");
  });
  EXPECT_NE(missing.find("/nonexistent/probe.json"), std::string::npos) << missing;

  auto apply_text = [](const std::string& text) {
    return error_of([&] {
      PerformanceProfile p;
      apply_probe_text(p, h100(), text, "bad.json");
    });
  };
  EXPECT_NE(apply_text("{\"a\": [1, 2").find("bad.json: not valid"), std::string::npos);
  EXPECT_NE(apply_text("{\"hello\": 1}").find("bad.json: schema: expected a trainplan-probe result"), std::string::npos);
  EXPECT_NE(apply_text("{\"schema\": \"trainplan-probe/2\"}").find("not supported"), std::string::npos);
  EXPECT_NE(apply_text(R"({"schema": "trainplan-probe/1", "probe": "comm", "complete": true,
      "provenance": {"kind": "measured", "backend": "mpi", "hosts": ["h"]}, "results": [{"collective": "all_reduce"}]})")
                .find("provenance.backend: 'mpi' results measure MPI on host memory"),
            std::string::npos);
  EXPECT_NE(apply_text(R"({"schema": "trainplan-probe/1", "probe": "hbm", "complete": false,
      "provenance": {"kind": "measured"}, "results": [], "error": "rank 1 failed"})")
                .find("bad.json: results: the file holds no results"),
            std::string::npos);
  EXPECT_NE(apply_text(R"({"schema": "trainplan-probe/1", "probe": "gemm", "complete": true,
      "provenance": {"kind": "measured"}, "results": [{"dtype": "bf16", "flops": 1e12, "tflops": {"median": 2500}}]})")
                .find("results[0].tflops.median: above the bf16 peak"),
            std::string::npos);
  EXPECT_NE(apply_text(R"({"version": 3, "args": ["./broadcast_perf"], "nccl_version": 22105, "results": []})")
                .find("bad.json: args[0]: expected an nccl-tests program"),
            std::string::npos);
  EXPECT_NE(apply_text(R"({"schema": "trainplan-profile/1", "gpu": "X", "gemm": {"bf16": {"peak_tflops": 100,
      "provenance": {"kind": "published", "source": "s"}, "points": [{"flops": 1e9, "tflops": 120}]}}})")
                .find("bad.json: gemm.bf16.points[0].tflops: above peak_tflops"),
            std::string::npos);
  EXPECT_NE(apply_text(R"({"schema": "trainplan-profile/1", "gpu": "X", "hbm": {"peak_tb_s": 3,
      "achieved_tb_s": {"copy": 2}, "provenance": {"kind": "guessed", "source": "s"}}})")
                .find("hbm.provenance.kind: expected one of published | measured"),
            std::string::npos);
}

}  // namespace
}  // namespace trainplan
