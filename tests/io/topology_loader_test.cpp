#include "planner/io/topology_loader.hpp"

#include <gtest/gtest.h>

#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {

namespace {
const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/topologies/";
std::string error_of(const std::string& name, const std::vector<Override>& overrides = {}) {
  try {
    load_topology(name, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(TopologyLoader, EveryBundledTopologyLoadsWithProvenance) {
  const auto names = topology_names();
  EXPECT_GE(names.size(), 6u);
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    const Fabric f = load_topology(name, {});
    EXPECT_FALSE(f.tiers.empty());
    EXPECT_FALSE(f.provenance.source.empty());
  }
}

TEST(TopologyLoader, SetOverridesATierField) {
  const Fabric f = load_topology("dgx-h100-superpod-ndr", {parse_override("fabric.tiers.spine.ports_up=16")});
  EXPECT_EQ(f.tiers[1].ports_up, 16);
  EXPECT_DOUBLE_EQ(f.tiers[1].oversubscription(), 2.0);
  const Fabric g = load_topology("spectrum-x-400g", {parse_override("fabric.routing_efficiency=0.6")});
  EXPECT_DOUBLE_EQ(g.routing_efficiency, 0.6);
}

TEST(TopologyLoader, OversubscriptionOverridesExplicitPorts) {
  const Fabric f = load_topology("dgx-h100-superpod-ndr", {parse_override("fabric.tiers.spine.oversubscription=2")});
  EXPECT_EQ(f.tiers[1].ports_down, 32);
  EXPECT_EQ(f.tiers[1].ports_up, 16);
  EXPECT_DOUBLE_EQ(f.tiers[1].oversubscription(), 2.0);
}

TEST(TopologyLoader, OversubscriptionSplitsTheRadix) {
  const Fabric f = load_topology("rail-only-ndr", {parse_override("fabric.tiers.rail.ports_up=0")});
  EXPECT_EQ(f.tiers[0].ports_down, 64);
}

TEST(TopologyLoader, BadFilesNameTheFieldAndWhy) {
  std::string e = error_of(fixtures + "too-many-ports.yaml");
  EXPECT_NE(e.find("exceed the switch radix"), std::string::npos) << e;
  EXPECT_NE(e.find("tiers.leaf"), std::string::npos) << e;
  e = error_of(fixtures + "negative-speed.yaml");
  EXPECT_NE(e.find("nic_gbit_s"), std::string::npos) << e;
  EXPECT_NE(e.find("a number from 1 to 10000000"), std::string::npos) << e;
  e = error_of("dgx-h100-superpod-ndr", {parse_override("fabric.tiers.core.speed=3")});
  EXPECT_NE(e.find("unknown key"), std::string::npos) << e;
  e = error_of("no-such-fabric");
  EXPECT_NE(e.find("dgx-h100-superpod-ndr"), std::string::npos) << e;
}

TEST(TopologyLoader, SlurmTopologyBecomesTiers) {
  const Fabric base = load_topology("dgx-h100-superpod-ndr");
  const Fabric f = parse_slurm_topology(read_text_file(fixtures + "slurm-topology.conf"), "slurm-topology.conf", base);
  ASSERT_EQ(f.tiers.size(), 2u);
  EXPECT_FALSE(f.rail_optimized);
  EXPECT_EQ(f.tiers[0].ports_down, 4 * 8);  // 4 nodes of 8 NICs
  EXPECT_EQ(f.tiers[0].ports_up, 4 * 8);    // links between switches are not in the file: full bisection
  EXPECT_EQ(f.tiers[1].ports_down, 2 * 32);  // both leaves' uplinks (tests/io/slurm_topology_test.cpp)
  EXPECT_EQ(f.provenance.kind, "assumption");
  EXPECT_EQ(tier_reach_nodes(f, 0), 4);     // a leaf's nodes: groups beyond them cross the top
}

TEST(TopologyLoader, SlurmNodesUnderSeveralLeavesAreRails) {
  Fabric base = load_topology("dgx-h100-superpod-ndr", {parse_override("fabric.nic_gbit_s=200")});
  const Fabric f = parse_slurm_topology(read_text_file(fixtures + "slurm-rails.conf"), "slurm-rails.conf", base);
  ASSERT_EQ(f.tiers.size(), 2u);
  EXPECT_TRUE(f.rail_optimized);
  EXPECT_EQ(f.tiers[0].ports_down, 4);       // 4 nodes, one NIC each on this rail (dgx[01-03],dgx04)
  EXPECT_EQ(f.tiers[1].ports_down, 32);      // every leaf of both units, 2 of each leaf's 4 uplinks
  EXPECT_DOUBLE_EQ(f.nic_gbit_s, 400);       // LinkSpeed=400 on the leaves replaces the base's 200
  EXPECT_EQ(tier_reach_nodes(f, 0), 4);
  EXPECT_EQ(f.tiers[1].max_gpus, 8 * 8);     // the spines join the file's 8 nodes
}

TEST(TopologyLoader, SlurmErrorsNameTheLine) {
  const Fabric base = load_topology("dgx-h100-superpod-ndr");
  auto error = [&](const std::string& text) {
    try {
      parse_slurm_topology(text, "bad.conf", base);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error("SwitchName=a Switches=b\n").find("not defined"), std::string::npos);
  EXPECT_NE(error("Nodes=x\n").find("missing SwitchName"), std::string::npos);
  EXPECT_NE(error("SwitchName=a Nodes=n1\nSwitchName=a Nodes=n2\n").find("line 2"), std::string::npos);
  EXPECT_NE(error("SwitchName=a Nodes=n[3-1]\n").find("range"), std::string::npos);
  EXPECT_NE(error("SwitchName=a Nodes=n1 Speed=4\n").find("unknown key"), std::string::npos);
  EXPECT_NE(error("SwitchName=a Nodes=n1 LinkSpeed=-4\n").find("LinkSpeed"), std::string::npos);
  EXPECT_NE(error("SwitchName=a Nodes=n1 Switches=b\n").find("either"), std::string::npos);
  EXPECT_NE(error("# nothing\n").find("no SwitchName"), std::string::npos);
}

}  // namespace trainplan
