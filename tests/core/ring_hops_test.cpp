// A ring's switch latency is the sum of its hops' own paths (ring_hops.hpp), on the bundled
// two-building SuperPOD variant (topologies/dgx-h100-superpod-ndr-two-buildings.yaml): leaves of
// 32 nodes, spine groups of 128, a building's core 2,048, the DCI both buildings (500 us hops).
#include <gtest/gtest.h>

#include "planner/core/calibration.hpp"
#include "planner/core/network/collective_cost.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/core/network/ring_hops.hpp"
#include "planner/io/topology_loader.hpp"

namespace trainplan {
namespace {

Fabric two_buildings() { return load_topology("dgx-h100-superpod-ndr-two-buildings", {}); }

TEST(RingHops, TheFabricHasTheReachTheseCasesAssume) {
  const Fabric f = two_buildings();
  EXPECT_EQ(tier_reach_nodes(f, 0), 32);
  EXPECT_EQ(tier_reach_nodes(f, 1), 128);
  EXPECT_EQ(tier_reach_nodes(f, 2), 2048);
  EXPECT_NEAR(tier_path_latency_us(f, 0), 0.13, 1e-12);
  EXPECT_NEAR(tier_path_latency_us(f, 1), 0.13 * 3, 1e-12);
  EXPECT_NEAR(tier_path_latency_us(f, 3), 500 + 0.13 * 6, 1e-9);
}

TEST(RingHops, ARingInsideOneLeafPaysTheLeafOnEveryStepAsBefore) {
  const Fabric f = two_buildings();
  const RingHops r = ring_hops(f, 0, 1, 32, 0);
  EXPECT_EQ(r.top_tier, 0);
  EXPECT_EQ(r.hops[0], 32);
  EXPECT_EQ(r.hops[1], 0);
  // k - 1 steps at the one tier's path: what charging the highest tier gave.
  EXPECT_NEAR(ring_pass_switch_latency_us(f, r), 31 * tier_path_latency_us(f, 0), 1e-9);
}

TEST(RingHops, ARingOverFourLeavesPaysFourSpineHopsAndTheRestAtTheLeaf) {
  const Fabric f = two_buildings();
  const RingHops r = ring_hops(f, 0, 1, 128, 1);
  EXPECT_EQ(r.hops[1], 4);
  EXPECT_EQ(r.hops[0], 124);
  // The slowest chunk's 127 hops: the four leaf crossings and 123 in-leaf hops.
  EXPECT_NEAR(ring_pass_switch_latency_us(f, r), 4 * tier_path_latency_us(f, 1) + 123 * tier_path_latency_us(f, 0), 1e-9);
  EXPECT_LT(ring_pass_switch_latency_us(f, r), 127 * tier_path_latency_us(f, 1));
}

TEST(RingHops, ATwoSiteRingPaysTheDciTwicePerPassNotOnEveryStep) {
  const Fabric f = two_buildings();
  const RingHops r = ring_hops(f, 0, 1, 4096, 3);
  EXPECT_EQ(r.hops[3], 2);            // out of building one and back
  EXPECT_EQ(r.hops[2], 32 - 2);       // between the 16 spine groups of each building
  EXPECT_EQ(r.hops[1], 128 - 32);     // between the 8 leaves of each spine group
  EXPECT_EQ(r.hops[0], 4096 - 128);   // inside a leaf
  const double pass = ring_pass_switch_latency_us(f, r);
  EXPECT_GT(pass, 2 * 500.0);
  EXPECT_LT(pass, 2 * 500.0 + 4095 * tier_path_latency_us(f, 2));
}

TEST(RingHops, RingsThatCrossOnEveryHopOrStraddleOneBoundaryKeepTheirOldLatency) {
  const Fabric f = two_buildings();
  // Two nodes either side of a leaf edge: one spine path per pass.
  const RingHops straddle = ring_hops(f, 31, 1, 2, 1);
  EXPECT_EQ(straddle.hops[1], 2);
  EXPECT_NEAR(ring_pass_switch_latency_us(f, straddle), tier_path_latency_us(f, 1), 1e-12);
  // Nodes a leaf apart: every hop leaves its leaf.
  const RingHops spread = ring_hops(f, 0, 32, 4, 1);
  EXPECT_EQ(spread.hops[1], 4);
  EXPECT_EQ(spread.hops[0], 0);
  EXPECT_NEAR(ring_pass_switch_latency_us(f, spread), 3 * tier_path_latency_us(f, 1), 1e-12);
  // Starting mid-leaf, 40 contiguous nodes touch two leaves: two crossings.
  EXPECT_EQ(ring_hops(f, 16, 1, 40, 1).hops[1], 2);
  EXPECT_EQ(ring_hops(f, 0, 1, 40, 1).hops[1], 2);
  EXPECT_EQ(ring_hops(f, 0, 1, 1, 0).top_tier, -1);  // one node: no network hop
}

TEST(RingHops, ATreeOverBothBuildingsCrossesTheDciOnlyAtItsRoot) {
  const Fabric f = two_buildings();
  // 2,048 members two nodes apart: levels join members 1, 2, ..., 1,024 apart (2 .. 2,048 nodes):
  // four inside a leaf (2-16), two across leaves (32, 64), four across spine groups (128-1,024),
  // the root across the DCI (2,048).
  const double expected = 4 * tier_path_latency_us(f, 0) + 2 * tier_path_latency_us(f, 1) + 4 * tier_path_latency_us(f, 2) +
                          tier_path_latency_us(f, 3);
  EXPECT_NEAR(tree_path_switch_latency_us(f, 2, 2048, 3), expected, 1e-9);
  // Inside one leaf, every level at the leaf; two nodes straddling a leaf edge: the root at the spine.
  EXPECT_NEAR(tree_path_switch_latency_us(f, 1, 32, 0), 5 * tier_path_latency_us(f, 0), 1e-12);
  EXPECT_NEAR(tree_path_switch_latency_us(f, 1, 2, 1), tier_path_latency_us(f, 1), 1e-12);
}

TEST(RingHops, ASlowerTierAddsItsLatencyOnlyOnTheHopsThatCrossIt) {
  // Same fabric but one tier's hop slower: the ring's latency grows by that many hops x the extra,
  // NCCL's per-step constants and the bandwidth term untouched.
  const Fabric f = two_buildings();
  PerformanceProfile profile;
  const Calibration calibration = default_calibration();
  Fabric slow_spine = f;
  slow_spine.tiers[1].hop_latency_us += 1.0;
  // 128 ranks one rail apart (stride 8): 128 nodes, four leaves of one spine group; four hops cross.
  const CollectiveCost base = collective_cost(f, profile, calibration, Collective::all_gather, {128, 8, 0}, 1 << 10);
  const CollectiveCost slow = collective_cost(slow_spine, profile, calibration, Collective::all_gather, {128, 8, 0}, 1 << 10);
  ASSERT_EQ(base.highest_tier, 1);
  ASSERT_EQ(base.algorithm, slow.algorithm);
  EXPECT_NEAR(slow.bandwidth_s, base.bandwidth_s, 1e-15);
  EXPECT_NEAR(slow.latency_s - base.latency_s, 4 * 1.0e-6, 1e-12);  // not 127 steps x 1 us
  // Across both buildings (2,048 ranks 16 apart, one reduce-scatter pass): two DCI hops.
  Fabric slow_dci = f;
  slow_dci.tiers[3].hop_latency_us += 100.0;
  const CollectiveCost across = collective_cost(f, profile, calibration, Collective::reduce_scatter, {2048, 16, 32768}, 1 << 20);
  const CollectiveCost slower = collective_cost(slow_dci, profile, calibration, Collective::reduce_scatter, {2048, 16, 32768}, 1 << 20);
  ASSERT_EQ(across.algorithm, slower.algorithm);
  EXPECT_NEAR(slower.latency_s - across.latency_s, 2 * 100e-6, 1e-10);
}

TEST(RingHops, ADataParallelReduceScatterAcrossTheBuildingsPaysTheDciAboutTwice) {
  const Fabric f = two_buildings();
  PerformanceProfile profile;
  const Calibration calibration = default_calibration();
  // 2,048 DP ranks 16 apart: every instance's rail rings run through 2,048 nodes of both buildings.
  const CollectiveCost across = collective_cost(f, profile, calibration, Collective::reduce_scatter, {2048, 16, 32768}, 1e9);
  EXPECT_EQ(across.highest_tier, 3);
  EXPECT_GT(across.latency_s, 2 * 500e-6);
  // Far below 2,047 DCI paths (about 1 s), the charge of every step at the DCI's latency.
  EXPECT_LT(across.latency_s, 2 * 500e-6 + 2047 * 20e-6);
}

}  // namespace
}  // namespace trainplan
