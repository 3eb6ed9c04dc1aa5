#pragma once
// Fabric descriptions (topologies/*.yaml, docs/topology-format.md) and Slurm topology.conf, read at
// the edge into a Fabric. `--set fabric.KEY=VALUE` overrides apply to the document before checking.
#include <string>
#include <vector>

#include "description_loader.hpp"
#include "planner/core/fabric.hpp"

namespace trainplan {

Fabric parse_topology(const YAML::Node& document, const std::string& source);
// A bundled topology name (topologies/NAME.yaml) or a file; overrides of scope `fabric` applied.
Fabric load_topology(const std::string& name_or_path, const std::vector<Override>& overrides = {});
std::vector<std::string> topology_names();

// Slurm topology.conf (tree plugin; planner/io/slurm_topology.cpp): SwitchName=... Switches=... /
// Nodes=... [LinkSpeed=GBIT] lines. Leaf switches list Nodes, the rest list Switches; every level
// of the switch graph (leaf, spine, core, ...) becomes a tier sized by its widest switch, reaching
// no more nodes than the file's switches of that level hold. A node listed under several leaves makes the fabric
// rail-optimized (one leaf per rail). GPUs and NICs per node, NIC speed and latencies come from
// `base` (a topology file, with its --set overrides); LinkSpeed, when given, is read as Gb/s per link.
Fabric parse_slurm_topology(const std::string& text, const std::string& source, const Fabric& base);

// The cluster a Slurm topology.conf describes: its fabric (as parse_slurm_topology) and how many
// distinct nodes it lists, so a plan can default its GPU count to them and refuse more.
struct SlurmCluster {
  Fabric fabric;
  int nodes = 0;   // distinct node names
};
SlurmCluster read_slurm_cluster(const std::string& text, const std::string& source, const Fabric& base);

}  // namespace trainplan
