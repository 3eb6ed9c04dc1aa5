// The slowest instance of a group kind (planner/core/network/group_instance.hpp) on the DGX H100 SuperPOD
// fabric: 8 GPUs per node, a leaf per rail per 32-node SU (256 GPUs under one leaf group), 4 SUs
// (1,024 GPUs) under one spine group, the core above.
#include "planner/core/network/group_instance.hpp"

#include <gtest/gtest.h>

#include "planner/core/calibration.hpp"
#include "planner/core/network/collective_cost.hpp"
#include "planner/io/topology_loader.hpp"

namespace trainplan {
namespace {

constexpr long long kJob = 16384;

struct Net {
  Fabric fabric = load_topology("dgx-h100-superpod-ndr", {});
  PerformanceProfile profile;
  Calibration calibration = default_calibration();
  CollectiveCost cost(Collective kind, GroupPlacement group, double bytes) const {
    return collective_cost(fabric, profile, calibration, kind, group, bytes);
  }
};

TEST(GroupInstance, AlignedGroupsAreCostedAtRankZero) {
  const Fabric f = load_topology("dgx-h100-superpod-ndr", {});
  // 32 DP ranks one rail apart fill exactly one leaf group (256 GPUs): every instance inside one leaf.
  const GroupInstance dp = slowest_instance(f, {32, 8, kJob});
  EXPECT_EQ(dp.tier, 0);
  EXPECT_EQ(dp.rank0_tier, 0);
  EXPECT_EQ(dp.first_rank, 0);
  // TP 8 in a node: every instance inside one NVLink domain.
  EXPECT_EQ(slowest_instance(f, {8, 1, kJob}).tier, -1);
  // Unknown job size: rank 0's instance.
  EXPECT_EQ(slowest_instance(f, {24, 8, 0}).tier, 0);
}

TEST(GroupInstance, GroupsStraddlingALeafBoundaryAreCostedAtTheSpine) {
  const Fabric f = load_topology("dgx-h100-superpod-ndr", {});
  // 24 DP ranks 8 apart in a job of one spine group (1,024): blocks of 192 ranks; the leaf boundary
  // at rank 256 lies inside the second block (192..383), whose last instance starts at 199.
  const GroupInstance dp = slowest_instance(f, {24, 8, 1024});
  EXPECT_EQ(dp.rank0_tier, 0);
  EXPECT_EQ(dp.tier, 1);
  EXPECT_EQ(dp.first_rank, 199);
  // 48 ranks 8 apart (384-rank blocks) cross leaves at rank 0 already; the spine boundary at 1,024
  // lies inside the block 768..1151, so the slowest instance (first rank 775) crosses the core.
  const GroupInstance wide = slowest_instance(f, {48, 8, kJob});
  EXPECT_EQ(wide.rank0_tier, 1);
  EXPECT_EQ(wide.tier, 2);
  EXPECT_EQ(wide.first_rank, 775);
  // At 16,384 GPUs the same group also straddles the spine boundary at 1,024 (block 960..1151,
  // instance 967): the highest boundary decides.
  const GroupInstance big = slowest_instance(f, {24, 8, kJob});
  EXPECT_EQ(big.tier, 2);
  EXPECT_EQ(big.first_rank, 967);
  // A job of one leaf group has no boundary to straddle.
  EXPECT_EQ(slowest_instance(f, {24, 8, 256}).tier, 0);
}

TEST(GroupInstance, AGroupStraddlingTwoNodesLeavesNVLink) {
  const Fabric f = load_topology("dgx-h100-superpod-ndr", {});
  // 6 consecutive ranks in a 256-GPU job: the block 6..11 holds the node boundary at 8.
  const GroupInstance six = slowest_instance(f, {6, 1, 256});
  EXPECT_EQ(six.rank0_tier, -1);
  EXPECT_EQ(six.tier, 0);
  EXPECT_EQ(six.first_rank, 6);
}

TEST(GroupInstance, ARingOverTwoLeavesPaysTheSpinePathOnItsTwoLeafCrossingHops) {
  Net net;
  // Small all-gather (latency-bound): the ring over 24 nodes in one leaf vs the instance across two
  // leaves. Same algorithm, same bytes per NIC on a 1:1 fabric: the difference is the switch path
  // of the two hops of its cycle that cross between the leaves (nodes 31-32 and back from 47 to
  // 24), leaf-spine-leaf (3 x 0.13 us) instead of leaf (0.13 us); the other hops stay in a leaf
  // (ring_hops.hpp).
  const double bytes = 1 << 16;
  const CollectiveCost one_leaf = net.cost(Collective::all_gather, {24, 8, 0}, bytes);
  const CollectiveCost two_leaves = net.cost(Collective::all_gather, {24, 8, 1024}, bytes);
  EXPECT_EQ(one_leaf.highest_tier, 0);
  EXPECT_EQ(two_leaves.highest_tier, 1);
  EXPECT_EQ(two_leaves.instance_first_rank, 199);
  ASSERT_EQ(one_leaf.algorithm, two_leaves.algorithm);
  EXPECT_NEAR(two_leaves.bandwidth_s, one_leaf.bandwidth_s, 1e-12);
  EXPECT_NEAR(two_leaves.latency_s - one_leaf.latency_s, 2 * (3 * 0.13 - 0.13) * 1e-6, 1e-12);
}

TEST(GroupInstance, At16384GpusARingAcrossTwoSpineGroupsPaysTheCorePathWhereRankZerosStaysUnderOneLeaf) {
  Net net;
  // 24 DP ranks 8 apart (a data group under tp 8 in the default rank order) in a 16,384-GPU job:
  // rank 0's instance rings through 24 nodes of one leaf (path 0.13 us per network step); the
  // instance from rank 967 straddles the spine-group boundary at 1,024 (node 128), so the two hops
  // of its cycle that cross it run leaf-spine-core-spine-leaf (5 x 0.13 us); the rest stay in a
  // leaf. Same bandwidth term on a 1:1 fabric.
  const double bytes = 1 << 16;
  const CollectiveCost rank0 = net.cost(Collective::all_gather, {24, 8, 0}, bytes);
  const CollectiveCost slowest = net.cost(Collective::all_gather, {24, 8, kJob}, bytes);
  EXPECT_EQ(rank0.highest_tier, 0);
  EXPECT_EQ(slowest.highest_tier, 2);
  EXPECT_EQ(slowest.rank0_tier, 0);
  EXPECT_EQ(slowest.instance_first_rank, 967);
  ASSERT_EQ(rank0.algorithm, slowest.algorithm);
  EXPECT_NEAR(slowest.bandwidth_s, rank0.bandwidth_s, 1e-12);
  EXPECT_NEAR(slowest.latency_s - rank0.latency_s, 2 * (5 * 0.13 - 0.13) * 1e-6, 1e-12);
  // 32 ranks 8 apart tile the leaf groups (32 x 8 = 256): no instance straddles, rank 0's cost stands.
  const CollectiveCost tiled = net.cost(Collective::all_gather, {32, 8, kJob}, bytes);
  EXPECT_EQ(tiled.highest_tier, 0);
  EXPECT_EQ(tiled.instance_first_rank, 0);
}

TEST(GroupInstance, AStraddlingInstanceAddsNoUplinkSharingAtTheTierItStraddles) {
  Net net;
  net.fabric.tiers[0].ports_up = 16;  // leaves at 2:1 (32 down, 16 up), same reach
  const double bytes = 4e9;
  // Rank 0's 24 nodes sit under one leaf group: nothing leaves it. Of the instances in the block
  // 192..383 only those crossing rank 256 leave their leaf group, spread over the uplinks of all
  // its 32 nodes: no sharing is added there, so the bandwidth term is rank 0's and the slowest
  // instance pays the longer switch path only.
  const CollectiveCost rank0 = net.cost(Collective::all_to_all, {24, 8, 0}, bytes);
  const CollectiveCost slowest = net.cost(Collective::all_to_all, {24, 8, 1024}, bytes);
  EXPECT_DOUBLE_EQ(rank0.uplink_sharing, 1.0);
  EXPECT_DOUBLE_EQ(slowest.uplink_sharing, 1.0);
  EXPECT_NEAR(slowest.bandwidth_s, rank0.bandwidth_s, 1e-12);
  EXPECT_GT(slowest.seconds, rank0.seconds);
  // A group crossing the 2:1 leaves at rank 0 (64 nodes, two leaf groups) pays (64-32)/63 x 2 there.
  EXPECT_NEAR(net.cost(Collective::all_to_all, {64, 8, 0}, bytes).uplink_sharing, 32.0 / 63.0 * 2.0, 1e-12);
}

}  // namespace
}  // namespace trainplan
