// Probe and nccl-tests files of several nodes, one-shape GEMM files and files from another GPU model,
// as the planner reads them (planner/io/probe_loader) and costs collectives with them
// (planner/core/network/collective_cost). Fixtures: tests/probes/fixtures/make_fixtures.py (synthetic 2 x 8
// and 4 x 8 H100 nodes whose NICs reach 48 GB/s, written as each format reports them).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "planner/core/calibration.hpp"
#include "planner/core/network/collective_cost.hpp"
#include "planner/core/model/gemm_time.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/probe_loader.hpp"
#include "planner/io/topology_loader.hpp"

namespace trainplan {
namespace {

const std::string kFixtures = TRAINPLAN_PROBE_FIXTURES;
constexpr double kNic = 48.0;  // the fixtures' per-NIC rate, GB/s

GpuSpec h100() {
  GpuSpec gpu;
  gpu.name = "H100-SXM5-80GB";
  gpu.bf16_dense_tflops = 989.4;
  gpu.fp8_dense_tflops = 1978.9;
  gpu.hbm_tb_s = 3.35;
  return gpu;
}

PerformanceProfile with_files(const std::vector<std::string>& files) {
  PerformanceProfile p = bundled_profile_for("H100-SXM5-80GB");
  for (const auto& file : files) apply_probe_file(p, h100(), kFixtures + "/" + file);
  return p;
}

// The fixtures' ramp: the fraction of the NIC rate reached with `rail_bytes` per rail.
double ramp(double rail_bytes) { return rail_bytes / (rail_bytes + (2 << 20)); }

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

bool has_source(const PerformanceProfile& p, const std::string& part) {
  for (const auto& s : p.sources)
    if (s.find(part) != std::string::npos) return true;
  return false;
}

// A per-rail probe file and nccl-tests files of the whole 2 x 8 or 4 x 8 job measure the same NICs:
// every collective must come out at the same per-NIC rate at the same per-rail bytes. Dividing an
// all-to-all or send/recv busbw by the ranks per node (as for rings) made DeepSeek-V3's expert
// traffic 4.3x slower from an alltoall_perf file than from a per-rail file.
TEST(MultiNodeFiles, EveryCollectiveGivesThePerNicRateOfItsFormat) {
  for (int nodes : {2, 4}) {
    SCOPED_TRACE(nodes);
    const std::string shape = std::to_string(nodes) + "x8";
    const PerformanceProfile rail = with_files({"probe_comm_per_rail_" + shape + ".json"});
    for (const char* kind_name : {"all_reduce", "all_to_all", "send_recv"}) {
      SCOPED_TRACE(kind_name);
      const std::string name(kind_name);
      const Collective kind = name == "all_reduce" ? Collective::all_reduce : name == "all_to_all" ? Collective::all_to_all : Collective::send_recv;
      const PerformanceProfile world = with_files({"nccl_tests_" + name + "_" + shape + ".json"});
      const SizeCurve& from_rail = rail.busbw(NetworkLevel::inter_node, kind);
      const SizeCurve& from_world = world.busbw(NetworkLevel::inter_node, kind);
      ASSERT_FALSE(from_rail.empty());
      ASSERT_FALSE(from_world.empty());
      // Large messages: the NIC rate itself, whichever file.
      EXPECT_NEAR(from_rail.values.back(), kNic * ramp(1 << 30), 1e-3);
      for (double rail_bytes : {256.0 * 1024, 1.0 * (1 << 20), 16.0 * (1 << 20), 128.0 * (1 << 20)}) {
        if (rail_bytes < from_world.sizes.front() || rail_bytes < from_rail.sizes.front()) continue;
        if (rail_bytes > from_world.sizes.back() || rail_bytes > from_rail.sizes.back()) continue;
        EXPECT_NEAR(interpolate(from_world, rail_bytes).value, interpolate(from_rail, rail_bytes).value, 0.02 * kNic) << rail_bytes;
      }
      EXPECT_NEAR(from_world.values.back(), kNic * ramp(name == "send_recv" ? (1 << 30) : (1 << 30) / 8.0), 1e-3);
    }
  }
}

// The planner's cost of an expert-parallel all-to-all over two nodes (DeepSeek-V3's ep 16) and of a
// pipeline send, from either file of the same hardware.
TEST(MultiNodeFiles, CollectiveCostsAgreeAcrossFileFormats) {
  const Fabric fabric = load_topology("dgx-h100-superpod-ndr", {});
  const Calibration calibration = default_calibration();
  const PerformanceProfile rail = with_files({"probe_comm_per_rail_2x8.json"});
  const PerformanceProfile a2a = with_files({"nccl_tests_all_to_all_2x8.json"});
  const PerformanceProfile sendrecv = with_files({"nccl_tests_send_recv_2x8.json"});
  for (double bytes : {8.0 * (1 << 20), 64.0 * (1 << 20), 512.0 * (1 << 20)}) {
    SCOPED_TRACE(bytes);
    const CollectiveCost from_rail = collective_cost(fabric, rail, calibration, Collective::all_to_all, {16, 1}, bytes);
    const CollectiveCost from_world = collective_cost(fabric, a2a, calibration, Collective::all_to_all, {16, 1}, bytes);
    EXPECT_TRUE(from_world.measured);
    EXPECT_NEAR(from_world.seconds / from_rail.seconds, 1.0, 0.02);
    // Half of each rank's buffer leaves the node through its own NIC at the measured rate.
    EXPECT_NEAR(from_world.seconds, bytes * 8 / 16 / (kNic * 1e9 * ramp(bytes / 8)), 0.02 * from_world.seconds);
    const CollectiveCost send_rail = collective_cost(fabric, rail, calibration, Collective::send_recv, {2, 8}, bytes);
    const CollectiveCost send_world = collective_cost(fabric, sendrecv, calibration, Collective::send_recv, {2, 8}, bytes);
    EXPECT_NEAR(send_world.seconds / send_rail.seconds, 1.0, 0.02);
  }
}

// Several groups at once (every rail, or every host): a step waits for the slowest, so the curve
// takes the slowest group at each size, and a group far below the others is named.
TEST(MultiNodeFiles, ASlowRailSetsTheCurveAndIsNamed) {
  const PerformanceProfile even = with_files({"probe_comm_per_rail_4x8.json"});
  const PerformanceProfile slow = with_files({"probe_comm_per_rail_4x8_slow_rail.json"});
  const SizeCurve& e = even.busbw(NetworkLevel::inter_node, Collective::all_reduce);
  const SizeCurve& s = slow.busbw(NetworkLevel::inter_node, Collective::all_reduce);
  ASSERT_EQ(e.sizes.size(), s.sizes.size());
  // Averaging eight rails, one 4x slower, hid it as a 9% lower curve; the slowest is 4x lower.
  EXPECT_NEAR(s.values.back(), e.values.back() / 4.0, 1e-6);
  EXPECT_TRUE(has_source(slow, "warning: busbw inter_node all_reduce: group 'rail 3' reaches 25.0% of the median of 8 groups"));
  EXPECT_FALSE(has_source(even, "warning:"));
  EXPECT_TRUE(has_source(slow, "the slowest of 8 groups at each size"));
}

// A GEMM file with one large shape: smaller GEMMs keep the replaced curve's shape, not the time of
// the one measured shape (which nearly doubled llama3-70b's step).
TEST(GemmFiles, OneShapeKeepsTheCurveBelowIt) {
  const GpuSpec gpu = h100();
  const PerformanceProfile published = bundled_profile_for(gpu.name);
  const PerformanceProfile one = with_files({"probe_gemm_one_shape_h100.json"});
  EXPECT_TRUE(one.gemm_measured);
  const double big = 2.0 * 8192 * 8192 * 8192;
  EXPECT_NEAR(interpolate(one.gemm_bf16_fraction_by_flops, big).value, 730.7 / 989.4, 1e-9);
  // The fixture's 8192^3 figure equals the published one there, so below it nothing changes.
  for (double flops : {2.0 * 1024 * 1024 * 1024, 2.0 * 2048 * 2048 * 2048, 2.0 * 4096 * 4096 * 4096, 2.0 * 8192 * 1024 * 8192}) {
    SCOPED_TRACE(flops);
    EXPECT_NEAR(interpolate(one.gemm_bf16_fraction_by_flops, flops).value,
                interpolate(published.gemm_bf16_fraction_by_flops, flops).value, 1e-6);
  }
  // A llama3-70b tp 8 GEMM (8192 tokens x 1024 x 8192) takes the published time, not 8192^3's.
  const GemmShape attention_out{8192, 1024, 8192};
  const Calibration calibration = default_calibration();
  const double t_one = gemm_seconds(attention_out, Precision::bf16, gpu, one, calibration);
  const double t_published = gemm_seconds(attention_out, Precision::bf16, gpu, published, calibration);
  EXPECT_NEAR(t_one / t_published, 1.0, 1e-6);
  EXPECT_TRUE(has_source(one, "gemm bf16 below 1099511627776 FLOPs (the smallest measured shape): 3 points"));
  // fp8 was not measured: untouched.
  EXPECT_EQ(one.gemm_fp8_fraction_by_flops.values, published.gemm_fp8_fraction_by_flops.values);
}

TEST(GemmFiles, OneSlowerShapeScalesTheCurveBelowIt) {
  const GpuSpec gpu = h100();
  PerformanceProfile p = bundled_profile_for(gpu.name);
  apply_probe_text(p, gpu, R"({"schema": "trainplan-probe/1", "probe": "gemm", "complete": true,
      "provenance": {"kind": "measured", "gpu": {"model": "NVIDIA H100 80GB HBM3"}},
      "results": [{"dtype": "bf16", "flops": 1099511627776, "tflops": {"median": 365.35}}]})", "half.json");
  const PerformanceProfile published = bundled_profile_for(gpu.name);
  const double small = 2.0 * 2048 * 2048 * 2048;
  EXPECT_NEAR(interpolate(p.gemm_bf16_fraction_by_flops, small).value,
              interpolate(published.gemm_bf16_fraction_by_flops, small).value / 2.0, 1e-6);
}

// A file from another GPU model is refused; one from an unrecognised model is accepted with a warning.
TEST(OtherGpuFiles, AnotherModelIsRefusedNamingTheField) {
  const std::string pcie = error_of([] { with_files({"probe_gemm_one_shape_h100_pcie.json"}); });
  EXPECT_NE(pcie.find("probe_gemm_one_shape_h100_pcie.json: provenance.gpu.model: measured on 'NVIDIA H100 PCIe' (h100-pcie), "
                      "but the plan's GPU is 'H100-SXM5-80GB' (h100-sxm)"),
            std::string::npos)
      << pcie;
  const std::string a100 = error_of([] { with_files({"nccl_tests_all_reduce_2x8_a100.json"}); });
  EXPECT_NE(a100.find("config.devices[0].device_info: measured on 'NVIDIA A100-SXM4-80GB'"), std::string::npos) << a100;
  const std::string profile_file = error_of([] {
    PerformanceProfile p;
    apply_probe_text(p, h100(), R"({"schema": "trainplan-profile/1", "gpu": "H200-SXM-141GB"})", "h200.yaml");
  });
  EXPECT_NE(profile_file.find("h200.yaml: gpu: measured on 'H200-SXM-141GB' (h200)"), std::string::npos) << profile_file;

  const PerformanceProfile unknown = with_files({"probe_gemm_one_shape_unknown_gpu.json"});
  EXPECT_TRUE(has_source(unknown, "warning: measured on 'NVIDIA RTX 6000 Ada Generation', which cannot be matched"));
  // The same family under CUDA's and the planner's names is accepted without a word.
  EXPECT_FALSE(has_source(with_files({"probe_gemm_one_shape_h100.json"}), "warning:"));
}

// Rows whose data check found wrong elements are refused, in probe files and nccl-tests files.
TEST(MultiNodeFiles, WrongDataIsRefused) {
  const std::string probe = error_of([] {
    PerformanceProfile p;
    apply_probe_text(p, h100(), R"({"schema": "trainplan-probe/1", "probe": "comm", "complete": false,
        "provenance": {"kind": "measured", "backend": "nccl", "gpu": {"model": "NVIDIA H100 80GB HBM3"}},
        "results": [{"collective": "all_reduce", "level": "intra_node", "group_ranks": 8, "bytes": 1048576,
                     "busbw_gb_s": 100, "nwrong": 12}]})", "bad.json");
  });
  EXPECT_NE(probe.find("bad.json: results[0].nwrong: the collective delivered wrong data"), std::string::npos) << probe;
  const std::string tests = error_of([] {
    PerformanceProfile p;
    apply_probe_text(p, h100(), R"({"version": 3, "args": ["./all_reduce_perf"], "nccl_version": 22105,
        "config": {"devices": [{"hostname": "a", "device_info": "NVIDIA H100 80GB HBM3"}, {"hostname": "a", "device_info": "NVIDIA H100 80GB HBM3"}]},
        "results": [{"size": 1048576, "out_of_place": {"bus_bw": 50, "nwrong": 3}}]})", "nt.json");
  });
  EXPECT_NE(tests.find("nt.json: results[0].out_of_place.nwrong: nccl-tests found wrong data"), std::string::npos) << tests;
}

// In-place rows (--placement in|both) are recorded but not used: plans take out-of-place figures,
// as from nccl-tests files.
TEST(MultiNodeFiles, InPlaceRowsAreNotUsed) {
  PerformanceProfile p;
  apply_probe_text(p, h100(), R"({"schema": "trainplan-probe/1", "probe": "comm", "complete": true,
      "provenance": {"kind": "measured", "backend": "nccl", "gpu": {"model": "NVIDIA H100 80GB HBM3"}},
      "results": [{"collective": "all_reduce", "level": "intra_node", "group_ranks": 8, "bytes": 1048576, "busbw_gb_s": 100,
                   "placement": "out_of_place", "nwrong": 0},
                  {"collective": "all_reduce", "level": "intra_node", "group_ranks": 8, "bytes": 1048576, "busbw_gb_s": 60,
                   "placement": "in_place"}]})", "both.json");
  EXPECT_EQ(p.busbw(NetworkLevel::intra_node, Collective::all_reduce).values.front(), 100.0);
}

// A measured inter-node curve is the whole collective as NCCL ran it: no protocol wire fraction or
// latency on top, and hierarchical algorithms look it up at the bytes each rail carries.
TEST(MeasuredInterNodeCurves, AreLookedUpPerRailWithoutAddedLatency) {
  Fabric fabric = load_topology("dgx-h100-superpod-ndr", {});
  fabric.in_network_reduction = false;
  fabric.scale_up.in_switch_reduction = false;
  const Calibration calibration = default_calibration();
  PerformanceProfile flat;
  flat.busbw_gb_s[1][static_cast<int>(Collective::all_reduce)] = SizeCurve({1e3, 1e10}, {40.0, 40.0});
  flat.busbw_measured[1][static_cast<int>(Collective::all_reduce)] = true;
  // A data-parallel all-reduce on one rail of 8 nodes: the measured rate, and nothing else.
  const double bytes = 64e6;
  const CollectiveCost rail = collective_cost(fabric, flat, calibration, Collective::all_reduce, {8, 8}, bytes);
  EXPECT_NEAR(rail.seconds, bytes * 2 * 7 / 8 / 40e9, 1e-12);
  EXPECT_EQ(rail.latency_s, 0.0);
  // A tiny message: the measured curve holds NCCL's latency; no 14 us Simple step per node added.
  const CollectiveCost tiny = collective_cost(fabric, flat, calibration, Collective::all_reduce, {8, 8}, 4096);
  EXPECT_NEAR(tiny.seconds, 4096.0 * 2 * 7 / 8 / 40e9, 1e-15);

  // A size-dependent curve: a 2 x 8 group's hierarchical all-reduce carries S/8 per rail.
  PerformanceProfile ramped;
  ramped.busbw_gb_s[1][static_cast<int>(Collective::all_reduce)] = SizeCurve({1 << 20, 1 << 30}, {5.0, 45.0});
  ramped.busbw_measured[1][static_cast<int>(Collective::all_reduce)] = true;
  const double s = 256.0 * (1 << 20);
  const CollectiveCost two_nodes = collective_cost(fabric, ramped, calibration, Collective::all_reduce, {16, 1}, s);
  const double at_rail_bytes = interpolate(ramped.busbw(NetworkLevel::inter_node, Collective::all_reduce), s / 8).value * 1e9;
  const double net_s = s / 8 * 2 * 1 / 2 / at_rail_bytes;  // each rail: a 2-rank ring of S/8
  const double link = fabric.scale_up.gb_s_per_direction * 1e9 * calibration.nvlink_efficiency;
  EXPECT_NEAR(two_nodes.bandwidth_s, std::max(net_s, 2 * s * 7 / 8 / link), 1e-3 * net_s);
  EXPECT_TRUE(two_nodes.measured);
}

}  // namespace
}  // namespace trainplan
