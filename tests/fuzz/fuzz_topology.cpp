// Topology YAML loader, then the fabric sized for a few GPU counts (the overflow-prone products).
#include "fuzz_common.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/topology_loader.hpp"

TRAINPLAN_FUZZ_TARGET({
  const trainplan::Fabric fabric = trainplan::parse_topology(trainplan::parse_yaml_text(text, "fuzz"), "fuzz");
  for (int gpus : {1, 8, 4096, 100000, 10000000}) (void)trainplan::size_fabric(fabric, gpus);
})
