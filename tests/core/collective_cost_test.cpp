#include "planner/core/network/collective_cost.hpp"

#include <gtest/gtest.h>

#include "planner/core/calibration.hpp"
#include "planner/io/topology_loader.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {

namespace {
struct Net {
  Fabric fabric = load_topology("dgx-h100-superpod-ndr", {});
  PerformanceProfile profile;  // no measured curves: nominal rates
  Calibration calibration = default_calibration();
  CollectiveCost cost(Collective kind, GroupPlacement group, double bytes) const {
    return collective_cost(fabric, profile, calibration, kind, group, bytes);
  }
  double link() const { return fabric.scale_up.gb_s_per_direction * 1e9 * calibration.nvlink_efficiency; }
  double nic() const { return fabric.nic_gbit_s / 8 * 1e9 * fabric.routing_efficiency * calibration.network_efficiency; }
};
constexpr double kBig = 4e9;  // large enough that latency is negligible
constexpr Collective kAllKinds[] = {Collective::all_reduce, Collective::reduce_scatter, Collective::all_gather,
                                    Collective::all_to_all, Collective::send_recv};
// Groups in Megatron order: in a node, TP across two nodes, DP on one rail (stride 8) inside a leaf,
// an SU group and across the core, DP with two ranks per node, pipeline neighbours far apart.
constexpr GroupPlacement kGroups[] = {{8, 1}, {16, 1}, {16, 8}, {512, 8}, {2048, 8}, {64, 4}, {2, 4096}, {8, 1024}};
}  // namespace

TEST(CollectiveCost, RingClosedFormsInsideANode) {
  Net net;
  net.fabric.scale_up.in_switch_reduction = false;
  const double link = net.link();
  // nccl-tests' bus factors: all-reduce 2(n-1)/n, all-gather and reduce-scatter (n-1)/n.
  EXPECT_NEAR(net.cost(Collective::all_reduce, {8, 1}, kBig).bandwidth_s, kBig * 2 * 7 / 8 / link, 1e-9);
  EXPECT_NEAR(net.cost(Collective::all_gather, {8, 1}, kBig).bandwidth_s, kBig * 7 / 8 / link, 1e-9);
  EXPECT_NEAR(net.cost(Collective::reduce_scatter, {8, 1}, kBig).bandwidth_s, kBig * 7 / 8 / link, 1e-9);
  EXPECT_NEAR(net.cost(Collective::all_reduce, {4, 2}, kBig).bandwidth_s, kBig * 2 * 3 / 4 / link, 1e-9);
  EXPECT_NEAR(net.cost(Collective::send_recv, {2, 1}, kBig).bandwidth_s, kBig / link, 1e-9);
}

TEST(CollectiveCost, NvlsBusBandwidthIsTwoNMinusOneOverNPlusOne) {
  Net net;  // the SuperPOD file has in-switch reduction (NVLS)
  const double link = net.link();
  for (int n : {2, 4, 8}) {
    SCOPED_TRACE(n);
    const CollectiveCost c = net.cost(Collective::all_reduce, {n, 1}, kBig);
    EXPECT_NEAR(c.bandwidth_s, kBig * (n + 1.0) / n / link, 1e-9);
    const double busbw = kBig * 2.0 * (n - 1) / n / c.bandwidth_s;
    EXPECT_NEAR(busbw / link, 2.0 * (n - 1) / (n + 1), 1e-9);
  }
  // Latency-bound sizes pick the low-latency protocol: far below the Simple protocol's 8.4 us base.
  EXPECT_LT(net.cost(Collective::all_reduce, {8, 1}, 1024).seconds, 8.4e-6);
}

TEST(CollectiveCost, AGroupInsideANodeNeverTouchesTheNetwork) {
  Net net;
  for (GroupPlacement g : {GroupPlacement{8, 1}, GroupPlacement{4, 2}, GroupPlacement{2, 4}, GroupPlacement{4, 1}})
    for (Collective k : kAllKinds) {
      const CollectiveCost c = net.cost(k, g, kBig);
      EXPECT_EQ(c.highest_tier, -1);
      EXPECT_EQ(c.algorithm, CollectiveAlgorithm::scale_up);
      EXPECT_EQ(c.uplink_sharing, 1.0);
    }
  // A slower network changes nothing inside a node.
  Net slow = net;
  slow.fabric.nic_gbit_s = 100;
  EXPECT_EQ(slow.cost(Collective::all_reduce, {8, 1}, kBig).seconds, net.cost(Collective::all_reduce, {8, 1}, kBig).seconds);
  EXPECT_GE(net.cost(Collective::all_reduce, {16, 1}, kBig).highest_tier, 0);
}

TEST(CollectiveCost, PlacementFindsTheTierAGroupCrosses) {
  Net net;
  // Same rail, stride 8: 32 nodes share a leaf; 128 nodes a spine group; beyond, the core.
  EXPECT_EQ(net.cost(Collective::all_reduce, {32, 8}, kBig).highest_tier, 0);
  EXPECT_EQ(net.cost(Collective::all_reduce, {128, 8}, kBig).highest_tier, 1);
  EXPECT_EQ(net.cost(Collective::all_reduce, {1024, 8}, kBig).highest_tier, 2);
  // Two ranks 4,096 apart (pipeline neighbours) span 513 nodes: the core.
  EXPECT_EQ(net.cost(Collective::send_recv, {2, 4096}, kBig).highest_tier, 2);
}

TEST(CollectiveCost, OneRailRingRunsAtTheNicRate) {
  Net net;
  const CollectiveCost c = net.cost(Collective::all_reduce, {16, 8}, kBig);
  EXPECT_NEAR(c.bandwidth_s, kBig * 2 * 15 / 16 / net.nic(), 1e-9);
  EXPECT_NEAR(net.cost(Collective::all_gather, {16, 8}, kBig).bandwidth_s, kBig * 15 / 16 / net.nic(), 1e-9);
  EXPECT_NEAR(net.cost(Collective::send_recv, {2, 8}, kBig).bandwidth_s, kBig / net.nic(), 1e-9);
}

TEST(CollectiveCost, HierarchicalAllReduceSplitsTheBufferOverTheRails) {
  Net net;
  net.fabric.scale_up.in_switch_reduction = false;
  // 64 ranks on 8 nodes: reduce-scatter in the node (7/8 of S over NVLink), a ring of 8 nodes per
  // rail on S/8 (2 x 7/8 of it), all-gather in the node; the stages are pipelined.
  const double s = kBig;
  const CollectiveCost c = net.cost(Collective::all_reduce, {64, 1}, s);
  const double node_s = 2 * s * 7 / 8 / net.link();
  const double rail_s = s / 8 * 2 * 7 / 8 / net.nic();
  // Ring or tree across the nodes: the same bytes per NIC; the tree has fewer latency steps.
  EXPECT_EQ(c.algorithm, CollectiveAlgorithm::hierarchical_tree);
  EXPECT_NEAR(c.bandwidth_s, std::max(node_s, rail_s), 1e-9);
  // Never worse than one flat ring over all 64 ranks through 8 NICs per node.
  EXPECT_LE(c.bandwidth_s, s * 2 * 63 / 64 / std::min(net.link(), 8 * net.nic()) + 1e-12);
}

TEST(CollectiveCost, SharpSendsEachRailsShardUpAndDownOnce) {
  Net net;
  net.fabric.in_network_reduction = true;
  const CollectiveCost c = net.cost(Collective::all_reduce, {1024, 8}, kBig);
  EXPECT_EQ(c.algorithm, CollectiveAlgorithm::in_network);
  EXPECT_NEAR(c.bandwidth_s, kBig / net.nic(), 1e-9);  // against 2(n-1)/n for the ring
  Net plain;
  EXPECT_GT(plain.cost(Collective::all_reduce, {1024, 8}, kBig).bandwidth_s, 1.9 * c.bandwidth_s);
}

// SHARP reduce-scatter and all-gather (NCCL 2.20+): each rail's S/m crosses the NIC once, in two
// network steps, against the ring's (S/m)(k-1)/k in k-1 steps; the tuner takes the cheaper.
TEST(CollectiveCost, SharpReduceScatterAndAllGatherReplaceTheRingsSteps) {
  Net sharp;
  sharp.fabric.in_network_reduction = true;
  const Net plain;
  for (Collective kind : {Collective::reduce_scatter, Collective::all_gather}) {
    SCOPED_TRACE(to_string(kind));
    // 1,024 ranks one rail apart (m = 1): 1,023 ring steps against two up and down the tree.
    const CollectiveCost with = sharp.cost(kind, {1024, 8}, kBig);
    const CollectiveCost without = plain.cost(kind, {1024, 8}, kBig);
    EXPECT_EQ(with.algorithm, CollectiveAlgorithm::in_network);
    EXPECT_NEAR(with.bandwidth_s, kBig / sharp.nic(), 1e-9);
    EXPECT_NE(without.algorithm, CollectiveAlgorithm::in_network);
    // The ring's bytes, (S/m)(k-1)/k, at best at the full wire (NCCL's LL128 trades wire for steps here).
    EXPECT_GE(without.bandwidth_s, kBig * 1023 / 1024 / plain.nic() - 1e-9);
    EXPECT_LT(with.latency_s * 50, without.latency_s);
    EXPECT_LT(with.seconds, without.seconds);
    // Two nodes: the ring's one step and half the bytes beat SHARP's whole shard at this size.
    EXPECT_NE(sharp.cost(kind, {16, 8}, kBig).algorithm, CollectiveAlgorithm::in_network);
    EXPECT_DOUBLE_EQ(sharp.cost(kind, {16, 8}, kBig).seconds, plain.cost(kind, {16, 8}, kBig).seconds);
    // Inside a node SHARP plays no part.
    EXPECT_DOUBLE_EQ(sharp.cost(kind, {8, 1}, kBig).seconds, plain.cost(kind, {8, 1}, kBig).seconds);
  }
}

// Rail-only (no spine): an all-to-all over k nodes forwards the peers on other rails over NVLink
// first (PXN), so NVLink carries (m-1)/m of the buffer, not the fat tree's (m-1)/n, plus one NVLink
// step; the NIC carries (n-m)/n on both. NVLink is slowed here so that its term shows.
TEST(CollectiveCost, RailOnlyAllToAllCrossesRailsOverNvlinkFirst) {
  Net rail_only;
  rail_only.fabric = load_topology("rail-only-ndr", {});
  Net fat_tree = rail_only;  // the same rails with a 1:1 spine above them
  FabricTier spine = fat_tree.fabric.tiers[0];
  spine.name = "spine";
  fat_tree.fabric.tiers[0].ports_down = fat_tree.fabric.tiers[0].ports_up = 32;
  fat_tree.fabric.tiers.push_back(spine);
  for (Net* net : {&rail_only, &fat_tree}) net->fabric.scale_up.gb_s_per_direction = 40;
  const double link = rail_only.link(), nic = rail_only.nic();
  ASSERT_DOUBLE_EQ(link, fat_tree.link());
  for (int nodes : {2, 4}) {
    SCOPED_TRACE(nodes);
    const double n = 8.0 * nodes, m = 8;
    const CollectiveCost r = rail_only.cost(Collective::all_to_all, {8 * nodes, 1}, kBig);
    const CollectiveCost t = fat_tree.cost(Collective::all_to_all, {8 * nodes, 1}, kBig);
    EXPECT_EQ(r.highest_tier, 0);
    EXPECT_EQ(t.highest_tier, 0);
    EXPECT_NEAR(r.bandwidth_s, std::max(kBig * (m - 1) / m / link, kBig * (n - m) / n / nic), 1e-9);
    EXPECT_NEAR(t.bandwidth_s, std::max(kBig * (m - 1) / n / link, kBig * (n - m) / n / nic), 1e-9);
    EXPECT_GT(r.bandwidth_s, t.bandwidth_s);
    EXPECT_NEAR(r.latency_s - t.latency_s, 3.4e-6, 1e-12);  // one NVLink step of the Simple protocol
  }
  // One member per node (one rail): nothing to forward, the two fabrics cost the same.
  EXPECT_DOUBLE_EQ(rail_only.cost(Collective::all_to_all, {8, 8}, kBig).seconds,
                   fat_tree.cost(Collective::all_to_all, {8, 8}, kBig).seconds);
  // At the NVLink of an H100 node the NIC term dominates: the bandwidth is the fat tree's.
  Net h100_rails;
  h100_rails.fabric = load_topology("rail-only-ndr", {});
  EXPECT_NEAR(h100_rails.cost(Collective::all_to_all, {32, 1}, kBig).bandwidth_s, kBig * 24 / 32 / h100_rails.nic(), 1e-9);
}

// A GB200 NVL72 rack is one NVLink domain of 72 GPUs: expert all-to-all and TP over up to 72 ranks
// never touch the network; past the rack they do, at the NIC rate.
TEST(CollectiveCost, Nvl72RackKeepsSeventyTwoRanksOnNvlink) {
  Net net;
  net.fabric = load_topology("gb200-nvl72-ndr", {});
  ASSERT_EQ(net.fabric.scale_up.gpus, 72);
  for (GroupPlacement g : {GroupPlacement{72, 1}, GroupPlacement{64, 1}, GroupPlacement{9, 8}, GroupPlacement{8, 8}})
    for (Collective k : kAllKinds) {
      const CollectiveCost c = net.cost(k, g, kBig);
      EXPECT_EQ(c.highest_tier, -1);
      EXPECT_EQ(c.algorithm, CollectiveAlgorithm::scale_up);
    }
  EXPECT_NEAR(net.cost(Collective::all_to_all, {72, 1}, kBig).bandwidth_s, kBig * 71 / 72 / net.link(), 1e-9);
  const CollectiveCost two_racks = net.cost(Collective::all_to_all, {144, 1}, kBig);
  EXPECT_EQ(two_racks.highest_tier, 1);  // a rack fills its leaf group: two racks meet at the spine
  EXPECT_NEAR(two_racks.bandwidth_s, kBig * 72 / 144 / net.nic(), 1e-9);
}

// Dual-plane (Alibaba HPN): where a single-plane ECMP fabric loses a fraction h of its uplinks to
// hash polarization, traffic leaving a ToR's subtree runs at (1 - h) of the uplinks; two planes
// avoid it. Traffic that barely leaves the subtree (a ring) is not slowed; all-to-all is.
TEST(CollectiveCost, DualPlaneAvoidsHashPolarization) {
  Net dual;
  dual.fabric = load_topology("alibaba-hpn", {});
  ASSERT_EQ(dual.fabric.planes, 2);
  dual.fabric.hash_polarization = 0.75;
  Net single = dual;
  single.fabric.planes = 1;
  Net unpolarized = single;
  unpolarized.fabric.hash_polarization = 0;
  // 2,048 ranks over two 1,024-GPU segments: a member's n - m off-node peers, half outside its ToR pair.
  const GroupPlacement a2a{2048, 1};
  const CollectiveCost d = dual.cost(Collective::all_to_all, a2a, kBig);
  const CollectiveCost s = single.cost(Collective::all_to_all, a2a, kBig);
  const CollectiveCost u = unpolarized.cost(Collective::all_to_all, a2a, kBig);
  EXPECT_EQ(d.highest_tier, 1);
  const double leaving = (2048.0 - 1024) / (2048 - 8), oversubscription = 128.0 / 120;
  EXPECT_NEAR(d.uplink_sharing, 1.0, 1e-12);  // leaving x 1.07 < 1
  EXPECT_NEAR(u.uplink_sharing, 1.0, 1e-12);
  EXPECT_NEAR(s.uplink_sharing, leaving * oversubscription / 0.25, 1e-12);
  EXPECT_NEAR(s.bandwidth_s, d.bandwidth_s * s.uplink_sharing, 1e-9);
  EXPECT_DOUBLE_EQ(d.seconds, u.seconds);
  // A DP ring over 256 nodes one rail apart leaves each ToR once: polarization does not bind.
  EXPECT_DOUBLE_EQ(single.cost(Collective::all_reduce, {256, 8}, kBig).seconds, dual.cost(Collective::all_reduce, {256, 8}, kBig).seconds);
}

TEST(CollectiveCost, MoreBandwidthOrLessOversubscriptionIsNeverSlower) {
  Net base;
  Net faster_nic = base;
  faster_nic.fabric.nic_gbit_s = 800;
  Net faster_nvlink = base;
  faster_nvlink.fabric.scale_up.gb_s_per_direction = 900;
  Net ecmp = base;
  ecmp.fabric.routing_efficiency = 0.6;
  // Same switches and reach, half the uplinks: 2:1 at the leaf and at the spine.
  Net oversubscribed;
  oversubscribed.fabric = load_topology(
      "dgx-h100-superpod-ndr", {parse_override("fabric.tiers.leaf.ports_up=16"), parse_override("fabric.tiers.spine.ports_up=16")});
  for (GroupPlacement g : kGroups)
    for (Collective k : kAllKinds)
      for (double bytes : {1e4, 1e6, 1e8, 1e10}) {
        SCOPED_TRACE(std::string(to_string(k)) + " n=" + std::to_string(g.size) + " s=" + std::to_string(g.stride) +
                     " bytes=" + std::to_string(bytes));
        const double t = base.cost(k, g, bytes).seconds;
        EXPECT_LE(faster_nic.cost(k, g, bytes).seconds, t);
        EXPECT_LE(faster_nvlink.cost(k, g, bytes).seconds, t);
        EXPECT_GE(ecmp.cost(k, g, bytes).seconds, t);
        EXPECT_GE(oversubscribed.cost(k, g, bytes).seconds, t);
      }
  // The bundled 2:1 file (wider spines) is never faster for traffic that crosses its core.
  Net bundled;
  bundled.fabric = load_topology("dgx-h100-superpod-ndr-2to1", {});
  for (Collective k : kAllKinds) EXPECT_GE(bundled.cost(k, {8, 1024}, 1e8).seconds, base.cost(k, {8, 1024}, 1e8).seconds);
}

TEST(CollectiveCost, RingsRarelyLeaveTheirSubtreeAllToAllAlwaysDoes) {
  Net full;
  Net half;
  half.fabric.tiers[0].ports_up = 16;  // 2:1 leaf uplinks
  // A DP ring over 64 consecutive nodes on one rail leaves each 32-node leaf once per channel:
  // 1/32 of its traffic, far below the uplinks' capacity. An all-to-all sends half of it out.
  EXPECT_EQ(half.cost(Collective::all_reduce, {64, 8}, kBig).uplink_sharing, 1.0);
  EXPECT_NEAR(half.cost(Collective::all_to_all, {64, 8}, kBig).uplink_sharing, 2.0 * 32 / 63, 1e-12);
  EXPECT_GT(half.cost(Collective::all_to_all, {64, 8}, kBig).seconds, full.cost(Collective::all_to_all, {64, 8}, kBig).seconds);
  // Pipeline neighbours 32 nodes apart: every send leaves its leaf.
  EXPECT_NEAR(half.cost(Collective::send_recv, {2, 256}, kBig).uplink_sharing, 2.0, 1e-12);
}

TEST(CollectiveCost, DataParallelAcrossOneToSevenCostsMoreThanOneToOne) {
  Net meta;
  meta.fabric = load_topology("meta-roce-24k", {});
  Net full = meta;  // the same pods joined at full bisection
  full.fabric.tiers[1].ports_up = full.fabric.tiers[1].ports_down;
  full.fabric.tiers[1].switch_radix = 2 * full.fabric.tiers[1].ports_down;
  const double oversubscription = meta.fabric.tiers[1].oversubscription();
  EXPECT_NEAR(oversubscription, 192.0 / 27.0, 1e-12);
  // DP outermost-style: one rank per pod (3,072 GPUs apart), 8 pods. Every byte leaves its pod.
  const CollectiveCost across = meta.cost(Collective::all_reduce, {8, 3072}, kBig);
  const CollectiveCost at_full = full.cost(Collective::all_reduce, {8, 3072}, kBig);
  EXPECT_EQ(across.highest_tier, 2);
  EXPECT_NEAR(across.uplink_sharing, oversubscription, 1e-12);
  EXPECT_EQ(at_full.uplink_sharing, 1.0);
  EXPECT_NEAR(across.bandwidth_s / at_full.bandwidth_s, oversubscription, 1e-9);
  // A DP group of 2,048 ranks on one rail spans 2,048 nodes (five pods); crossing the 1:7 tier
  // costs more than staying inside a pod of 1:1, though its ring leaves each pod only once.
  const CollectiveCost big_across = meta.cost(Collective::reduce_scatter, {2048, 8}, kBig);
  const CollectiveCost inside = meta.cost(Collective::reduce_scatter, {256, 8}, kBig);
  EXPECT_EQ(big_across.highest_tier, 2);
  EXPECT_EQ(inside.highest_tier, 1);
  EXPECT_GT(big_across.seconds, inside.seconds);
}

TEST(CollectiveCost, MeasuredCurvesReplaceNominalRates) {
  Net net;
  net.profile.busbw_gb_s[0][static_cast<int>(Collective::all_gather)] = {{1e6, 1e10}, {100.0, 100.0}};
  net.profile.busbw_measured[0][static_cast<int>(Collective::all_gather)] = true;
  const CollectiveCost c = net.cost(Collective::all_gather, {8, 1}, 1e9);
  EXPECT_TRUE(c.measured);
  EXPECT_NEAR(c.bandwidth_s, 1e9 * 7 / 8 / 100e9, 1e-12);
  // Inter-node: the measured busbw per GPU replaces the NIC rate.
  net.profile.busbw_gb_s[1][static_cast<int>(Collective::all_gather)] = {{1e6, 1e10}, {20.0, 20.0}};
  net.profile.busbw_measured[1][static_cast<int>(Collective::all_gather)] = true;
  const CollectiveCost across = net.cost(Collective::all_gather, {16, 8}, 1e9);
  EXPECT_TRUE(across.measured);
  EXPECT_NEAR(across.bandwidth_s, 1e9 * 15 / 16 / 20e9, 1e-12);
}

TEST(CollectiveCost, ATinyCollectiveAcrossNodesIsNeverFasterThanItsNodesMembersAlone) {
  // A measured in-node all-reduce curve whose smallest point (1 KB at 0.07 GB/s, as nccl-tests shows
  // on 8 H100s) is a 25.6 us op for the 8 ranks of a node. The same tiny all-reduce over 16 ranks, 8
  // on each of 2 nodes, runs those 8 ranks' node stage too: NCCL's tuning constants alone gave it less.
  Net net;
  net.profile.busbw_gb_s[0][static_cast<int>(Collective::all_reduce)] = {{1024, 1e9}, {0.07, 400.0}};
  const double node_alone = 1024 * 2.0 * 7 / 8 / 0.07e9;
  EXPECT_NEAR(net.cost(Collective::all_reduce, {8, 1}, 1024).seconds, node_alone, 1e-12);
  Net nominal;
  const CollectiveCost without_curve = nominal.cost(Collective::all_reduce, {16, 1}, 512);
  ASSERT_EQ(without_curve.highest_tier, 0);
  ASSERT_LT(without_curve.seconds, node_alone);  // the inconsistency the floor removes
  const CollectiveCost across = net.cost(Collective::all_reduce, {16, 1}, 512);
  EXPECT_NEAR(across.seconds, node_alone, 1e-12);
  EXPECT_NEAR(across.latency_s + across.bandwidth_s, across.seconds, 1e-15);
  // A reduce-scatter without a curve of its own floors on the all-reduce's, at its own bus factor and
  // scaled as its in-node cost is (the curve's top, 400 GB/s, capped at the ring's NVLink rate).
  const double ring_cap = net.link() / 400e9;
  ASSERT_LT(ring_cap, 1.0);
  EXPECT_NEAR(net.cost(Collective::reduce_scatter, {16, 1}, 512).seconds, 1024 * 7.0 / 8 / (0.07e9 * ring_cap), 1e-12);
  // Large messages keep their bandwidth-bound cost; one member per node has no node stage to floor on.
  EXPECT_DOUBLE_EQ(net.cost(Collective::all_reduce, {16, 1}, kBig).seconds, nominal.cost(Collective::all_reduce, {16, 1}, kBig).seconds);
  EXPECT_DOUBLE_EQ(net.cost(Collective::all_reduce, {16, 8}, 512).seconds, nominal.cost(Collective::all_reduce, {16, 8}, 512).seconds);
  // No curve for all-to-all: the model's own in-node latency is already inside the cross-node one.
  EXPECT_DOUBLE_EQ(net.cost(Collective::all_to_all, {16, 1}, 512).seconds, nominal.cost(Collective::all_to_all, {16, 1}, 512).seconds);
}

TEST(CollectiveCost, NothingToSendCostsNothing) {
  Net net;
  EXPECT_EQ(net.cost(Collective::all_reduce, {1, 1}, kBig).seconds, 0.0);
  EXPECT_EQ(net.cost(Collective::all_reduce, {8, 1}, 0).seconds, 0.0);
  EXPECT_EQ(net.cost(Collective::all_reduce, {8, 1}, 0).algorithm, CollectiveAlgorithm::none);
}

}  // namespace trainplan
