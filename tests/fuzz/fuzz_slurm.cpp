// Slurm topology.conf reader over the default fabric, then the fabric sized.
#include "fuzz_common.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/topology_loader.hpp"

TRAINPLAN_FUZZ_TARGET({
  static const trainplan::Fabric base = trainplan::load_topology("dgx-h100-superpod-ndr", {});
  const trainplan::Fabric fabric = trainplan::parse_slurm_topology(text, "fuzz", base);
  for (int gpus : {8, 4096}) (void)trainplan::size_fabric(fabric, gpus);
})
