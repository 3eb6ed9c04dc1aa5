#include "planner/core/collective_cost.hpp"

#include <gtest/gtest.h>

#include "planner/core/calibration.hpp"
#include "planner/io/topology_loader.hpp"

namespace trainplan {

namespace {
struct Net {
  Fabric fabric = load_topology("dgx-h100-superpod-ndr", {});
  PerformanceProfile profile;  // no measured curves: nominal rates
  Calibration calibration = default_calibration();
  CollectiveCost cost(Collective kind, GroupPlacement group, double bytes) const {
    return collective_cost(fabric, profile, calibration, 16384, kind, group, bytes);
  }
};
constexpr double kBig = 4e9;  // large enough that latency is negligible
}  // namespace

TEST(CollectiveCost, RingClosedFormsInsideANode) {
  Net net;
  net.fabric.scale_up.in_switch_reduction = false;
  const double link = 450e9 * net.calibration.nvlink_efficiency;
  EXPECT_NEAR(net.cost(Collective::all_reduce, {8, 1}, kBig).bandwidth_s, kBig * 2 * 7 / 8 / link, 1e-9);
  EXPECT_NEAR(net.cost(Collective::all_gather, {8, 1}, kBig).bandwidth_s, kBig * 7 / 8 / link, 1e-9);
  EXPECT_NEAR(net.cost(Collective::reduce_scatter, {8, 1}, kBig).bandwidth_s, kBig * 7 / 8 / link, 1e-9);
}

TEST(CollectiveCost, NvlsSendsEachByteOnce) {
  Net net;  // the SuperPOD file has in-switch reduction (NVLS)
  const double link = 450e9 * net.calibration.nvlink_efficiency;
  EXPECT_NEAR(net.cost(Collective::all_reduce, {8, 1}, kBig).bandwidth_s, kBig / link, 1e-9);
}

TEST(CollectiveCost, AGroupInsideANodeNeverTouchesTheNetwork) {
  Net net;
  for (GroupPlacement g : {GroupPlacement{8, 1}, GroupPlacement{4, 2}, GroupPlacement{2, 4}})
    EXPECT_EQ(net.cost(Collective::all_reduce, g, kBig).highest_tier, -1);
  EXPECT_GE(net.cost(Collective::all_reduce, {16, 1}, kBig).highest_tier, 0);
}

TEST(CollectiveCost, PlacementFindsTheTierAGroupCrosses) {
  Net net;
  // Same rail, stride 8: 32 nodes share a leaf; 128 nodes a spine group; beyond, the core.
  EXPECT_EQ(net.cost(Collective::all_reduce, {32, 8}, kBig).highest_tier, 0);
  EXPECT_EQ(net.cost(Collective::all_reduce, {128, 8}, kBig).highest_tier, 1);
  EXPECT_EQ(net.cost(Collective::all_reduce, {1024, 8}, kBig).highest_tier, 2);
}

TEST(CollectiveCost, OneRailRingRunsAtTheNicRate) {
  Net net;
  const double nic = 50e9 * net.calibration.network_efficiency;
  const CollectiveCost c = net.cost(Collective::all_reduce, {16, 8}, kBig);
  EXPECT_NEAR(c.bandwidth_s, kBig * 2 * 15 / 16 / nic, 1e-9);
}

TEST(CollectiveCost, MoreBandwidthOrLessOversubscriptionIsNeverSlower) {
  Net base;
  Net faster;
  faster.fabric.nic_gbit_s = 800;
  Net oversubscribed;
  oversubscribed.fabric = load_topology("dgx-h100-superpod-ndr-2to1", {});
  for (GroupPlacement g : {GroupPlacement{16, 8}, GroupPlacement{512, 8}, GroupPlacement{2048, 8}, GroupPlacement{64, 1}})
    for (Collective k : {Collective::all_reduce, Collective::all_gather, Collective::all_to_all, Collective::send_recv}) {
      const double t = base.cost(k, g, 1e8).seconds;
      EXPECT_LE(faster.cost(k, g, 1e8).seconds, t);
      EXPECT_GE(oversubscribed.cost(k, g, 1e8).seconds, t);
    }
}

TEST(CollectiveCost, DataParallelAcrossOneToSevenCostsMoreThanOneToOne) {
  Net meta;
  meta.fabric = load_topology("meta-roce-24k", {});
  // DP group of 2048 ranks, stride 8 (tp = 8): spans 2048 nodes, beyond one 384-node pod.
  const CollectiveCost across = meta.cost(Collective::reduce_scatter, {2048, 8}, kBig);
  const CollectiveCost inside = meta.cost(Collective::reduce_scatter, {256, 8}, kBig);
  EXPECT_EQ(across.highest_tier, 2);
  EXPECT_EQ(inside.highest_tier, 1);
  EXPECT_GT(across.bandwidth_s, 5 * inside.bandwidth_s);
}

TEST(CollectiveCost, MeasuredCurvesReplaceNominalRates) {
  Net net;
  net.profile.busbw_gb_s[0][static_cast<int>(Collective::all_gather)] = {{1e6, 1e10}, {100.0, 100.0}};
  net.profile.busbw_measured[0][static_cast<int>(Collective::all_gather)] = true;
  const CollectiveCost c = net.cost(Collective::all_gather, {8, 1}, 1e9);
  EXPECT_TRUE(c.measured);
  EXPECT_NEAR(c.bandwidth_s, 1e9 * 7 / 8 / 100e9, 1e-12);
}

}  // namespace trainplan
