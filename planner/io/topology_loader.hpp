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
Fabric load_topology(const std::string& name_or_path, const std::vector<Override>& overrides);
std::vector<std::string> topology_names();

// Slurm topology.conf (tree plugin): SwitchName=... Switches=... / Nodes=... lines. Leaf switches
// list Nodes, the rest list Switches; every level becomes a tier whose radix is its widest switch.
// Link speed and GPUs/NICs per node come from `base` (a topology file or the defaults).
Fabric parse_slurm_topology(const std::string& text, const std::string& source, const Fabric& base);

}  // namespace trainplan
