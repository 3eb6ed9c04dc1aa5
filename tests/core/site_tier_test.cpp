// Multi-site fabrics: the bundled two-building variant of the DGX H100 SuperPOD, two 64-SU
// buildings (16,384 GPUs each) under a DCI tier at 4:1 with 500 us hops
// (topologies/dgx-h100-superpod-ndr-two-buildings.yaml).
#include <gtest/gtest.h>

#include "planner/core/calibration.hpp"
#include "planner/core/network/collective_cost.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/core/network/group_instance.hpp"
#include "planner/io/topology_loader.hpp"

namespace trainplan {
namespace {

Fabric two_buildings() { return load_topology("dgx-h100-superpod-ndr-two-buildings", {}); }

TEST(SiteTier, TheDciJoinsTwoBuildingsOfOneCoreEach) {
  const Fabric f = two_buildings();
  ASSERT_EQ(f.tiers.size(), 4u);
  EXPECT_EQ(f.tiers[3].sites, 2);
  EXPECT_DOUBLE_EQ(f.tiers[2].oversubscription(), 4.0);  // the core's 32 down : 8 up into the DCI
  // A building's core reaches its 16,384 GPUs (2,048 nodes, one rail's leaves joined per spine
  // group); the DCI both buildings.
  EXPECT_EQ(tier_reach_nodes(f, 2), 2048);
  EXPECT_EQ(tier_reach_nodes(f, 3), 4096);
  const FabricReach reach = fabric_reach(f, 32768);
  EXPECT_TRUE(reach.reachable);
  EXPECT_EQ(reach.max_gpus, 32768);
  EXPECT_FALSE(fabric_reach(f, 32769).reachable);
  // One building's job never needs the DCI; two do, and a quarter of their NIC links reach it.
  EXPECT_EQ(size_fabric(f, 16384).tiers.size(), 3u);
  const FabricSize both = size_fabric(f, 32768);
  ASSERT_EQ(both.tiers.size(), 4u);
  EXPECT_EQ(both.tiers[3].cables_down, 32768 / 4);
  EXPECT_DOUBLE_EQ(both.tiers[3].gb_s_per_gpu, 50.0 / 4.0);
}

TEST(SiteTier, AGroupAcrossTheBuildingsPaysTheDciHopAndItsOversubscription) {
  const Fabric f = two_buildings();
  PerformanceProfile profile;
  const Calibration calibration = default_calibration();
  // A pipeline pair 16,384 ranks apart (pp outermost, pp = 2): every pair joins the buildings.
  const CollectiveCost pair = collective_cost(f, profile, calibration, Collective::send_recv, {2, 16384, 32768}, 1e8);
  EXPECT_EQ(pair.highest_tier, 3);
  // Its path: up leaf, spine, core (0.13 us each), across the DCI (500 us), down again.
  const double one_building_path_us = 0.13 + 2 * 0.13 * 2;  // a pair topping out at the core
  const CollectiveCost inside = collective_cost(f, profile, calibration, Collective::send_recv, {2, 8192, 16384}, 1e8);
  EXPECT_EQ(inside.highest_tier, 2);
  EXPECT_NEAR(pair.latency_s - inside.latency_s, (500 + 2 * 0.13 * 3 - one_building_path_us) * 1e-6, 1e-9);
  // Every GPU's pair crosses: the core's uplinks carry all of it at 4:1.
  EXPECT_DOUBLE_EQ(pair.uplink_sharing, 4.0);
  EXPECT_NEAR(pair.bandwidth_s, 4.0 * inside.bandwidth_s, 1e-12);
}

TEST(SiteTier, DataParallelGroupsStraddleTheBuildingsOnlyWhereTheirBlocksDo) {
  const Fabric f = two_buildings();
  // 2,048 DP ranks 8 apart fill 16,384-rank blocks: the site boundary at 16,384 is a block edge.
  const GroupInstance aligned = slowest_instance(f, {2048, 8, 32768});
  EXPECT_EQ(aligned.tier, 2);
  // 2,048 ranks 16 apart (pp of 2 inside dp): every instance spans both buildings.
  const GroupInstance spread = slowest_instance(f, {2048, 16, 32768});
  EXPECT_EQ(spread.tier, 3);
  EXPECT_EQ(spread.rank0_tier, 3);
  // 1,536 ranks 8 apart (12,288-rank blocks): rank 0's stays in building one; the block from
  // 12,288 holds the boundary and its instance from rank 12,295 is costed across the DCI.
  const GroupInstance straddling = slowest_instance(f, {1536, 8, 24576});
  EXPECT_EQ(straddling.rank0_tier, 2);
  EXPECT_EQ(straddling.tier, 3);
  EXPECT_EQ(straddling.first_rank, 12295);
}

}  // namespace
}  // namespace trainplan
