#include "planner/core/network/fabric_sizing.hpp"

#include <gtest/gtest.h>

#include "planner/io/topology_loader.hpp"

namespace trainplan {

namespace {
Fabric superpod() { return load_topology("dgx-h100-superpod-ndr", {}); }
}  // namespace

// NVIDIA DGX SuperPOD H100 RA, Table 4: 1, 2 and 4 scalable units of 32 nodes (256 GPUs each).
TEST(FabricSizing, SuperPodTwoTierTable) {
  const struct { int gpus, leaf, spine, leaf_spine_cables; } table[] = {{256, 8, 4, 256}, {512, 16, 8, 512}, {1024, 32, 16, 1024}};
  for (const auto& row : table) {
    SCOPED_TRACE(row.gpus);
    const FabricSize s = size_fabric(superpod(), row.gpus);
    ASSERT_EQ(s.tiers.size(), 2u);
    EXPECT_EQ(s.tiers[0].switches, row.leaf);
    EXPECT_EQ(s.tiers[1].switches, row.spine);
    EXPECT_EQ(s.tiers[1].cables_down, row.leaf_spine_cables);
  }
}

// The 3-tier QM9700 design at 16, 32 and 64 SUs.
TEST(FabricSizing, SuperPodThreeTierTable) {
  const struct { int gpus, leaf, spine, core; } table[] = {{4096, 128, 128, 64}, {8192, 256, 256, 128}, {16384, 512, 512, 256}};
  for (const auto& row : table) {
    SCOPED_TRACE(row.gpus);
    const FabricSize s = size_fabric(superpod(), row.gpus);
    ASSERT_EQ(s.tiers.size(), 3u);
    EXPECT_EQ(s.tiers[0].switches, row.leaf);
    EXPECT_EQ(s.tiers[1].switches, row.spine);
    EXPECT_EQ(s.tiers[2].switches, row.core);
    EXPECT_EQ(s.tiers[1].cables_down, row.gpus);  // cables per layer = GPUs at full bisection
    EXPECT_EQ(s.tiers[2].cables_down, row.gpus);
  }
  EXPECT_EQ(size_fabric(superpod(), 4096).max_gpus, 65536);  // 2 (k/2)^3 with k = 64
}

TEST(FabricSizing, OversubscriptionCutsBandwidthAboveIt) {
  const FabricSize full = size_fabric(superpod(), 8192);
  const FabricSize half = size_fabric(load_topology("dgx-h100-superpod-ndr-2to1", {}), 8192);
  EXPECT_DOUBLE_EQ(full.tiers[2].gb_s_per_gpu, 50.0);
  EXPECT_DOUBLE_EQ(half.tiers[2].gb_s_per_gpu, 25.0);
  EXPECT_LT(half.bisection_gb_s, full.bisection_gb_s);
  EXPECT_LT(half.total_switches, full.total_switches);
}

TEST(FabricSizing, MetaPodsAreJoinedAtOneToSeven) {
  const FabricSize s = size_fabric(load_topology("meta-roce-24k", {}), 24576);
  ASSERT_EQ(s.tiers.size(), 3u);
  EXPECT_EQ(s.tiers[1].reach_nodes * 8, 3072);  // a pod
  EXPECT_NEAR(s.tiers[1].gb_s_per_gpu / s.tiers[2].gb_s_per_gpu, 192.0 / 27.0, 1e-9);
}

TEST(FabricSizing, RailOnlyHasOneTierAndAReachLimit) {
  const FabricSize s = size_fabric(load_topology("rail-only-ndr", {}), 512);
  EXPECT_EQ(s.tiers.size(), 1u);
  EXPECT_EQ(s.max_gpus, 512);
  EXPECT_FALSE(size_fabric(load_topology("rail-only-ndr", {}), 1024).reachable);
}

}  // namespace trainplan

namespace trainplan {

TEST(NicRate, LineRateTimesRoutingEfficiencyDividedByEachOversubscribedTier) {
  Fabric f = load_topology("dgx-h100-superpod-ndr-2to1", {});
  f.routing_efficiency = 0.85;
  EXPECT_DOUBLE_EQ(nic_gb_s_per_gpu(f), f.nics_per_gpu * f.nic_gbit_s / 8.0 * 0.85);
  EXPECT_DOUBLE_EQ(gb_s_per_gpu_through(f, 0), nic_gb_s_per_gpu(f));
  EXPECT_DOUBLE_EQ(gb_s_per_gpu_through(f, 1), nic_gb_s_per_gpu(f) / f.tiers[0].oversubscription());
}

}  // namespace trainplan

namespace trainplan {

TEST(FabricReach, AgreesWithTheSizedFabricWithoutSizingIt) {
  for (const char* name : {"dgx-h100-superpod-ndr", "rail-only-ndr", "meta-roce-24k", "dgx-h100-superpod-ndr-2to1"})
    for (int gpus : {8, 512, 1024, 24576, 65536, 100000}) {
      const Fabric f = load_topology(name, {});
      const FabricSize size = size_fabric(f, gpus);
      const FabricReach reach = fabric_reach(f, gpus);
      EXPECT_EQ(reach.max_gpus, size.max_gpus) << name << " " << gpus;
      EXPECT_EQ(reach.reachable, size.reachable) << name << " " << gpus;
    }
  EXPECT_FALSE(fabric_reach(load_topology("rail-only-ndr", {}), 1024).reachable);
}

}  // namespace trainplan

namespace trainplan {

TEST(TierReach, WalkingUpTheTiersGivesEachTiersReach) {
  for (const char* name : {"dgx-h100-superpod-ndr", "meta-roce-24k", "rail-only-ndr", "alibaba-hpn"}) {
    const Fabric f = load_topology(name, {});
    long long reach = 0;
    for (std::size_t t = 0; t < f.tiers.size(); ++t) {
      reach = tier_reach_step(f, t, reach);
      EXPECT_EQ(reach, tier_reach_nodes(f, t)) << name << " tier " << t;
    }
  }
}

}  // namespace trainplan
