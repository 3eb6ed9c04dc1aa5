// Slurm topology.conf: tiers worked out from the switch graph, checked against closed forms.
#include <gtest/gtest.h>

#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/topology_loader.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {

namespace {
const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/topologies/";

// The default fabric (8 GPUs of one 400G NIC each per node) under the fixture's switch tree.
SlurmCluster cluster_of(const std::string& file) {
  return read_slurm_cluster(read_text_file(fixtures + file), file, load_topology("dgx-h100-superpod-ndr"));
}

std::string error_of(const std::string& text) {
  try {
    parse_slurm_topology(text, "t.conf", load_topology("dgx-h100-superpod-ndr"));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(SlurmTiers, TwoLeavesUnderOneSpineKeepTheSpine) {
  const SlurmCluster c = cluster_of("slurm-topology.conf");
  EXPECT_EQ(c.nodes, 8);
  ASSERT_EQ(c.fabric.tiers.size(), 2u);
  EXPECT_EQ(c.fabric.tiers[0].name, "leaf");
  EXPECT_EQ(c.fabric.tiers[1].name, "spine");
  // A leaf: 4 nodes x 8 NICs down, as many up; the spine takes both leaves' 32 uplinks.
  EXPECT_EQ(c.fabric.tiers[0].ports_down, 32);
  EXPECT_EQ(c.fabric.tiers[1].ports_down, 64);
  EXPECT_EQ(tier_reach_nodes(c.fabric, 0), 4);
  EXPECT_EQ(c.fabric.tiers[0].max_gpus, 32);  // a leaf's 4 nodes
  EXPECT_EQ(c.fabric.tiers[1].max_gpus, 64);  // the spine's 8
  // 64 GPUs are 8 nodes over 2 leaves: the job crosses the spine (1 spine, 2 leaves, 64 + 64 cables).
  const FabricSize all = size_fabric(c.fabric, 64);
  ASSERT_EQ(all.tiers.size(), 2u);
  EXPECT_EQ(all.tiers[0].switches, 2);
  EXPECT_EQ(all.tiers[1].switches, 1);
  EXPECT_EQ(all.total_cables, 64 + 64);
  EXPECT_EQ(all.max_gpus, 64);
  // 32 GPUs fit under one leaf; 72 do not fit the cluster.
  EXPECT_EQ(size_fabric(c.fabric, 32).tiers.size(), 1u);
  EXPECT_FALSE(fabric_reach(c.fabric, 72).reachable);
}

TEST(SlurmTiers, RailsUnderTwoSpinesReportTwoSpines) {
  const SlurmCluster c = cluster_of("slurm-rails.conf");
  EXPECT_EQ(c.nodes, 8);
  ASSERT_EQ(c.fabric.tiers.size(), 2u);
  EXPECT_TRUE(c.fabric.rail_optimized);
  EXPECT_EQ(c.fabric.tiers[1].name, "spine");
  // A rail leaf: 4 nodes x 1 NIC down, 4 up shared by 2 spines (2 each); a spine: 16 leaves x 2.
  EXPECT_EQ(c.fabric.tiers[0].ports_down, 4);
  EXPECT_EQ(c.fabric.tiers[1].ports_down, 32);
  EXPECT_EQ(c.fabric.tiers[1].max_gpus, 64);  // 16 rail leaves, 2 per rail, of 4 nodes: 8 nodes
  const FabricSize all = size_fabric(c.fabric, 64);
  ASSERT_EQ(all.tiers.size(), 2u);
  EXPECT_EQ(all.tiers[0].switches, 16);  // the file's 16 rail leaves
  EXPECT_EQ(all.tiers[1].switches, 2);   // and its 2 spines (not 4)
  EXPECT_EQ(all.tiers[1].reach_nodes, 8);
  EXPECT_EQ(tier_reach_nodes(c.fabric, 1), 8);  // 2 links to each of 16 leaves, 2 leaves per rail (not 16 nodes)
  EXPECT_EQ(all.total_cables, 64 + 64);
}

TEST(SlurmTiers, ThreeLevelsAreLeafSpineCore) {
  const SlurmCluster c = cluster_of("slurm-three-level.conf");
  ASSERT_EQ(c.fabric.tiers.size(), 3u);
  EXPECT_EQ(c.fabric.tiers[2].name, "core");
  EXPECT_EQ(c.fabric.tiers[0].ports_down, 16);  // 2 nodes x 8 NICs
  EXPECT_EQ(c.fabric.tiers[1].ports_down, 32);  // 2 leaves x 16 uplinks
  EXPECT_EQ(c.fabric.tiers[2].ports_down, 64);  // 2 spines x 32 uplinks
  EXPECT_EQ(tier_reach_nodes(c.fabric, 0), 2);
  EXPECT_EQ(c.fabric.tiers[0].max_gpus, 16);
  EXPECT_EQ(c.fabric.tiers[1].max_gpus, 32);
  EXPECT_EQ(c.fabric.tiers[2].max_gpus, 64);
  const FabricSize all = size_fabric(c.fabric, 64);
  ASSERT_EQ(all.tiers.size(), 3u);
  EXPECT_EQ(all.tiers[0].switches, 4);
  EXPECT_EQ(all.tiers[1].switches, 2);
  EXPECT_EQ(all.tiers[2].switches, 1);
  for (std::size_t t = 0; t < 3; ++t) EXPECT_EQ(all.tiers[t].reach_nodes, 2LL << t) << t;  // 2, 4 and 8 nodes
  // The nodes under one switch, as the collectives count hops: a spine runs 16 links to each of its
  // 2 leaves and the core 32 to each spine, so a spine spans 4 nodes and the core 8 (counting every
  // link as a switch below said 64 and 4,096).
  EXPECT_EQ(c.fabric.tiers[1].links_per_switch_below, 16);
  EXPECT_EQ(c.fabric.tiers[2].links_per_switch_below, 32);
  EXPECT_EQ(tier_reach_nodes(c.fabric, 1), 4);
  EXPECT_EQ(tier_reach_nodes(c.fabric, 2), 8);
  EXPECT_EQ(size_fabric(c.fabric, 32).tiers.size(), 2u);  // 4 nodes: one spine's leaves
  EXPECT_EQ(size_fabric(c.fabric, 16).tiers.size(), 1u);  // 2 nodes: one leaf
}

TEST(SlurmTiers, LeavesUnderEverySpineShareTheirUplinks) {
  const SlurmCluster c = cluster_of("slurm-two-spines.conf");
  EXPECT_EQ(c.nodes, 16);
  ASSERT_EQ(c.fabric.tiers.size(), 2u);
  EXPECT_EQ(c.fabric.tiers[1].ports_down, 4 * 16);  // 4 leaves x (32 uplinks / 2 spines)
  EXPECT_EQ(c.fabric.tiers[0].max_gpus, 32);
  EXPECT_EQ(c.fabric.tiers[1].max_gpus, 128);
  EXPECT_EQ(c.fabric.tiers[1].links_per_switch_below, 16);
  EXPECT_EQ(tier_reach_nodes(c.fabric, 1), 16);  // the 16 nodes of the file, not 4 x 64 links
  const FabricSize all = size_fabric(c.fabric, 128);
  EXPECT_EQ(all.tiers[0].switches, 4);
  EXPECT_EQ(all.tiers[1].switches, 2);
  // Full bisection: every GPU keeps its NIC rate up through the spine.
  EXPECT_DOUBLE_EQ(all.tiers[1].gb_s_per_gpu, all.tiers[0].gb_s_per_gpu);
}

TEST(SlurmTiers, AtMostSixLevels) {
  auto chain = [](int levels) {
    std::string text = "SwitchName=s0 Nodes=n1\n";
    for (int i = 1; i < levels; ++i) text += "SwitchName=s" + std::to_string(i) + " Switches=s" + std::to_string(i - 1) + "\n";
    return text;
  };
  EXPECT_EQ(error_of(chain(6)), "");
  EXPECT_NE(error_of(chain(7)).find("at most 6 switch levels"), std::string::npos) << error_of(chain(7));
  // chain(7) names its switches bottom first (s0 the leaf), so the levels below come memoized;
  // here the top sorts first (a), so the walk goes down 7 levels at once.
  std::string top_first;
  for (char c = 'a'; c < 'g'; ++c) top_first += std::string("SwitchName=") + c + " Switches=" + char(c + 1) + "\n";
  top_first += "SwitchName=g Nodes=n1\n";
  const std::string reversed = top_first;
  EXPECT_NE(error_of(reversed).find("levels"), std::string::npos) << error_of(reversed);
}

TEST(SlurmBlocks, BlocksAndTheirAggregationsAreLevels) {
  const SlurmCluster c = cluster_of("slurm-blocks.conf");
  EXPECT_EQ(c.nodes, 72);
  ASSERT_EQ(c.fabric.tiers.size(), 3u);
  EXPECT_FALSE(c.fabric.rail_optimized);
  EXPECT_EQ(c.fabric.tiers[0].name, "block");
  EXPECT_EQ(c.fabric.tiers[1].name, "blocks-of-36");
  EXPECT_EQ(c.fabric.tiers[2].name, "cluster");
  // A block: one switch over 18 nodes x 8 NICs, as many links up. Above it, the default fabric's
  // 64-port switches at full bisection (32 down, 32 up; all 64 down at the top).
  EXPECT_EQ(c.fabric.tiers[0].ports_down, 144);
  EXPECT_EQ(c.fabric.tiers[0].ports_up, 144);
  EXPECT_EQ(c.fabric.tiers[1].ports_down, 32);
  EXPECT_EQ(c.fabric.tiers[1].ports_up, 32);
  EXPECT_EQ(c.fabric.tiers[2].ports_down, 64);
  EXPECT_EQ(c.fabric.tiers[2].ports_up, 0);
  EXPECT_EQ(tier_reach_nodes(c.fabric, 0), 18);
  EXPECT_EQ(c.fabric.tiers[0].max_gpus, 144);  // a rack's GPUs
  EXPECT_EQ(c.fabric.tiers[1].max_gpus, 288);  // an aggregation of 2 racks
  EXPECT_EQ(c.fabric.tiers[2].max_gpus, 576);  // the cluster
  const FabricSize all = size_fabric(c.fabric, 576);
  ASSERT_EQ(all.tiers.size(), 3u);
  EXPECT_EQ(all.tiers[0].switches, 4);        // one per block
  EXPECT_EQ(all.tiers[1].switches, 576 / 32); // 4 blocks x 144 uplinks over 32-port halves
  EXPECT_EQ(all.tiers[2].switches, 18 * 32 / 64);
  for (std::size_t t = 0; t < 3; ++t) EXPECT_EQ(all.tiers[t].reach_nodes, 18LL << t) << t;  // a rack, 2 racks, 4
  EXPECT_DOUBLE_EQ(all.tiers[2].gb_s_per_gpu, all.tiers[0].gb_s_per_gpu);  // full bisection
  EXPECT_EQ(size_fabric(c.fabric, 144).tiers.size(), 1u);  // one rack
  EXPECT_EQ(size_fabric(c.fabric, 288).tiers.size(), 2u);  // two racks: one aggregation
  EXPECT_FALSE(fabric_reach(c.fabric, 584).reachable);
}

TEST(SlurmBlocks, WithoutBlockSizesOneLevelJoinsTheBlocks) {
  const SlurmCluster c = cluster_of("slurm-blocks-plain.conf");
  EXPECT_EQ(c.nodes, 8);
  ASSERT_EQ(c.fabric.tiers.size(), 2u);
  EXPECT_EQ(c.fabric.tiers[1].name, "cluster");
  EXPECT_EQ(c.fabric.tiers[1].ports_down, 64);  // the default fabric's 64-port switch, all down at the top
  EXPECT_EQ(c.fabric.tiers[1].max_gpus, 64);
  EXPECT_DOUBLE_EQ(c.fabric.nic_gbit_s, 200);  // LinkSpeed on a block: its NICs' speed
  EXPECT_EQ(size_fabric(c.fabric, 64).tiers[1].switches, 1);
}

TEST(SlurmBlocks, ErrorsNameTheLine) {
  EXPECT_NE(error_of("BlockName=a Nodes=n[1-4]\nSwitchName=s Nodes=n[5-8]\n").find("mixes"), std::string::npos);
  EXPECT_NE(error_of("BlockName=a Nodes=n[1-4]\nBlockName=b Nodes=n[4-8]\n").find("node n4 is in block a and block b"), std::string::npos);
  EXPECT_NE(error_of("BlockName=a Nodes=n[1-4]\nBlockSizes=8,4\n").find("line 2 BlockSizes"), std::string::npos);
  EXPECT_NE(error_of("SwitchName=a Nodes=n[1-4]\nBlockSizes=4\n").find("BlockName"), std::string::npos);
  EXPECT_NE(error_of("BlockName=a Switches=b\n").find("Nodes="), std::string::npos);
  // A block and six larger sizes would be 7 levels, one more than a fabric's tiers.
  std::string many;
  for (int i = 0; i < 64; ++i) many += "BlockName=b" + std::to_string(i) + " Nodes=n[" + std::to_string(4 * i + 1) + "-" + std::to_string(4 * i + 4) + "]\n";
  EXPECT_EQ(error_of(many + "BlockSizes=8,16,32,64\n"), "");
  EXPECT_NE(error_of(many + "BlockSizes=8,16,32,64,128\n").find("levels"), std::string::npos);
}

// An empty bracket group names no host. Counted as none, it let the groups before it pass the name
// limit and be enumerated (10,000 x 3 x 9,200 prefixes, over 3 minutes) before the item came to
// nothing; it is refused as soon as it is reached (a fuzzer's find).
TEST(SlurmTopology, AnEmptyBracketGroupIsRefusedAtOnce) {
  const std::string error = error_of("SwitchName=s Nodes=a[0-9999]b[1-3]c[0-9199]d[]e\n");
  EXPECT_NE(error.find("got '[]'"), std::string::npos) << error;
  EXPECT_NE(error_of("SwitchName=s Nodes=n[]\n").find("got '[]'"), std::string::npos);
}

TEST(SlurmTopology, AControlByteIsRefusedWithItsLineAndColumn) {
  const std::string nul = error_of(std::string("SwitchName=a Nodes=n[1-4]\nSwitchName=b Nodes=m\0[1-4]\n", 53));
  EXPECT_NE(nul.find("line 2"), std::string::npos) << nul;
  EXPECT_NE(nul.find("control character (byte 0x00) at column 21"), std::string::npos) << nul;
  EXPECT_NE(error_of("SwitchName=a Nodes=n\x7f[1-4]\n").find("byte 0x7f"), std::string::npos);
  // Tabs and carriage returns (CRLF files) separate words as blanks do; bytes of UTF-8 are text.
  EXPECT_EQ(error_of("SwitchName=a\tNodes=n[1-4]\r\n"), "");
  EXPECT_EQ(error_of("SwitchName=a Nodes=n[1-4] # caf\xc3\xa9\n"), "");
}

}  // namespace trainplan
