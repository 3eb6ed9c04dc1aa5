// A trainplan-probe result written by the harness reads back into the planner's profile.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "comm/comm_result.hpp"
#include "harness/result_file.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/probe_loader.hpp"

namespace trainplan {
namespace {

GpuSpec h100() {
  GpuSpec gpu;
  gpu.name = "H100-SXM5-80GB";
  gpu.bf16_dense_tflops = 989.4;
  gpu.fp8_dense_tflops = 1978.9;
  gpu.hbm_tb_s = 3.35;
  return gpu;
}

nlohmann::json provenance(const std::string& probe) {
  return {{"kind", "measured"}, {"tool", "trainplan-probe 0.1.0"}, {"probe", probe}, {"date", "2025-06-01T12:00:00Z"},
          {"hosts", {"node-a", "node-b"}}, {"backend", "nccl"}, {"gpu", {{"model", "NVIDIA H100 80GB HBM3"}}}};
}

// One row as comm_probe writes it for one group at one (collective, size); `id` as GroupLabel.
probe::CommPoint comm_point(Collective kind, const std::string& group, const std::string& id, const std::string& level,
                            int ranks, int per_node, std::uint64_t bytes, std::vector<double> seconds) {
  probe::CommPoint p;
  p.collective = kind;
  p.group = group;
  p.group_id = id;
  if (group == "intra") p.host = id;
  if (group == "inter") p.rail = std::stoi(id.substr(5));
  p.level = level;
  p.group_ranks = ranks;
  p.ranks_per_node = per_node;
  p.bytes = bytes;
  p.count = bytes / 4 / static_cast<std::uint64_t>(kind == Collective::all_reduce ? 1 : ranks);
  p.batch = 20;
  p.iteration_seconds = std::move(seconds);
  return p;
}

TEST(ProbeRoundTrip, CommResultsBecomeBusbwCurvesPerLevel) {
  const std::string path = ::testing::TempDir() + "/comm_round_trip.json";
  probe::ResultFile file(path, {{"probe", "comm"}, {"provenance", provenance("comm")}, {"settings", {{"split", "both"}}}});
  for (std::uint64_t bytes : {1u << 20, 1u << 24}) {
    file.append(probe::comm_point_json(
        comm_point(Collective::reduce_scatter, "intra", "node-a", "intra_node", 8, 8, bytes, {1e-3, 2e-3, 3e-3})));
    file.append(probe::comm_point_json(
        comm_point(Collective::all_reduce, "inter", "rail 0", "inter_node", 2, 1, bytes, {4e-3, 4e-3, 4e-3})));
  }
  file.finish();

  PerformanceProfile profile = bundled_profile_for("H100-SXM5-80GB");
  apply_probe_file(profile, h100(), path);
  const SizeCurve& rs = profile.busbw(NetworkLevel::intra_node, Collective::reduce_scatter);
  ASSERT_EQ(rs.sizes.size(), 2u);
  // Median 2 ms; busbw = bytes / t * (n-1)/n.
  EXPECT_NEAR(rs.values[0], (1u << 20) / 2e-3 / 1e9 * 7 / 8, 1e-9);
  const SizeCurve& ar = profile.busbw(NetworkLevel::inter_node, Collective::all_reduce);
  ASSERT_EQ(ar.sizes.size(), 2u);
  EXPECT_NEAR(ar.values[1], (1u << 24) / 4e-3 / 1e9 * 2 * 1 / 2, 1e-9);
  EXPECT_TRUE(profile.busbw_measured[1][static_cast<int>(Collective::all_reduce)]);
  // The bundled intra-node all_reduce curve was not in the file: still published.
  EXPECT_FALSE(profile.busbw_measured[0][static_cast<int>(Collective::all_reduce)]);
  EXPECT_EQ(profile.busbw(NetworkLevel::intra_node, Collective::all_reduce).values.back(), 478.87);
}

// A split run records every group (each host's NVLink domain, each rail): all groups run at once in
// training and a step waits for the slowest, so the planner's curve at a size is the slowest
// group's, and the groups far below the others are named in warnings.
TEST(ProbeRoundTrip, EveryGroupOfASplitRunIsKeptAndTheSlowestSetsTheCurve) {
  const std::string path = ::testing::TempDir() + "/comm_round_trip_groups.json";
  probe::ResultFile file(path, {{"probe", "comm"}, {"provenance", provenance("comm")}, {"settings", {{"split", "both"}}}});
  const std::uint64_t bytes = 1u << 26;
  // Two hosts of 4 ranks: node-b is slow (3 ms against 1 ms).
  file.append(probe::comm_point_json(comm_point(Collective::all_reduce, "intra", "node-a", "intra_node", 4, 4, bytes, {1e-3, 1e-3, 1e-3})));
  file.append(probe::comm_point_json(comm_point(Collective::all_reduce, "intra", "node-b", "intra_node", 4, 4, bytes, {3e-3, 3e-3, 3e-3})));
  // Four rails of 2 ranks; rail 2 is bad (8 ms against 2 ms).
  for (const char* rail : {"rail 0", "rail 1", "rail 2", "rail 3"}) {
    const double t = std::string(rail) == "rail 2" ? 8e-3 : 2e-3;
    file.append(probe::comm_point_json(comm_point(Collective::all_reduce, "inter", rail, "inter_node", 2, 1, bytes, {t, t, t})));
  }
  file.finish();
  ASSERT_EQ(file.document()["results"].size(), 6u);
  EXPECT_EQ(file.document()["results"][1]["group_id"], "node-b");
  EXPECT_EQ(file.document()["results"][4]["rail"], 2);

  PerformanceProfile profile = bundled_profile_for("H100-SXM5-80GB");
  apply_probe_file(profile, h100(), path);
  const double gb = static_cast<double>(bytes) / 1e9;
  const SizeCurve& intra = profile.busbw(NetworkLevel::intra_node, Collective::all_reduce);
  ASSERT_EQ(intra.sizes.size(), 1u);
  EXPECT_NEAR(intra.values[0], gb / 3e-3 * 2 * 3 / 4, 1e-9);  // the slow host's busbw, 2(n-1)/n
  const SizeCurve& inter = profile.busbw(NetworkLevel::inter_node, Collective::all_reduce);
  ASSERT_EQ(inter.sizes.size(), 1u);
  EXPECT_NEAR(inter.values[0], gb / 8e-3 * 2 * 1 / 2, 1e-9);  // the bad rail's
  int warnings = 0;
  for (const auto& source : profile.sources) warnings += source.rfind("warning: ", 0) == 0 ? 1 : 0;
  EXPECT_EQ(warnings, 2);  // node-b at 33%, rail 2 at 25% of their medians
  EXPECT_TRUE(profile.busbw_measured[0][static_cast<int>(Collective::all_reduce)]);
  EXPECT_TRUE(profile.busbw_measured[1][static_cast<int>(Collective::all_reduce)]);
}

TEST(ProbeRoundTrip, GemmAndHbmResultsBecomeEfficiencies) {
  nlohmann::json gemm = {{"schema", "trainplan-probe/1"}, {"probe", "gemm"}, {"complete", true}, {"provenance", provenance("gemm")},
                         {"results",
                          {{{"dtype", "bf16"}, {"flops", 1e12}, {"tflops", {{"median", 700.0}, {"max", 720.0}}}},
                           {{"dtype", "bf16"}, {"flops", 1e13}, {"tflops", {{"median", 780.0}, {"max", 790.0}}}},
                           {{"dtype", "fp8"}, {"flops", 1e13}, {"tflops", {{"median", 1300.0}, {"max", 1350.0}}}}}}};
  PerformanceProfile profile = bundled_profile_for("H100-SXM5-80GB");
  apply_probe_text(profile, h100(), gemm.dump(), "gemm.json");
  // The two measured sizes, and below 1e12 FLOPs the published curve's three points scaled to the
  // measured efficiency at 1e12.
  const PerformanceProfile published = bundled_profile_for("H100-SXM5-80GB");
  ASSERT_EQ(profile.gemm_bf16_fraction_by_flops.sizes.size(), 5u);
  EXPECT_NEAR(profile.gemm_bf16_fraction_by_flops.values.back(), 780.0 / 989.4, 1e-12);
  EXPECT_NEAR(interpolate(profile.gemm_bf16_fraction_by_flops, 1e12).value, 700.0 / 989.4, 1e-12);
  const double ratio = 700.0 / 989.4 / interpolate(published.gemm_bf16_fraction_by_flops, 1e12).value;
  EXPECT_NEAR(profile.gemm_bf16_fraction_by_flops.values.front(), published.gemm_bf16_fraction_by_flops.values.front() * ratio, 1e-12);
  EXPECT_NEAR(interpolate(profile.gemm_fp8_fraction_by_flops, 1e13).value, 1300.0 / 1978.9, 1e-12);
  EXPECT_TRUE(profile.gemm_measured);
  bool named = false;
  for (const auto& source : profile.sources)
    named |= source.rfind("gemm bf16: measured: trainplan-probe 0.1.0 gemm on node-a,node-b (NVIDIA H100 80GB HBM3)", 0) == 0;
  EXPECT_TRUE(named);

  nlohmann::json hbm = {{"schema", "trainplan-probe/1"}, {"probe", "hbm"}, {"complete", true}, {"provenance", provenance("hbm")},
                        {"results",
                         {{{"kernel", "copy"}, {"gb_s", {{"median", 2900.0}}}}, {{"kernel", "triad"}, {"gb_s", {{"median", 3000.0}}}}}}};
  apply_probe_text(profile, h100(), hbm.dump(), "hbm.json");
  EXPECT_NEAR(profile.hbm_fraction, 2950.0 / 3350.0, 1e-12);
  EXPECT_TRUE(profile.hbm_measured);
}

}  // namespace
}  // namespace trainplan
