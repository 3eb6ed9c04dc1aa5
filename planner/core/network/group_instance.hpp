#pragma once
// Which instance of a parallel group kind is the slowest on the fabric (docs/network-model.md,
// "Placement"). Every instance of a kind runs its collective at once and the step waits for the
// last, so the kind is costed by the instance whose members straddle the highest boundary
// (NVLink domain, leaf, spine, ...), not by the one at rank 0.
#include "planner/core/network/collective_cost.hpp"
#include "planner/core/fabric.hpp"

namespace trainplan {

struct GroupInstance {
  long long first_rank = 0;  // the instance's lowest rank (its members: first, first + stride, ...)
  // Highest tier its traffic crosses: -1 one scale-up domain, 0 leaf, 1 spine, ...
  int tier = -1;
  int rank0_tier = -1;       // the same for the instance at rank 0
};

// Instances of a kind with `group.size` members `group.stride` apart fill blocks of size x stride
// consecutive ranks; a block holding a domain/subtree boundary strictly inside holds an instance
// straddling it. With job_ranks = 0 (unknown) the rank-0 instance is returned. Pure, allocation-free.
GroupInstance slowest_instance(const Fabric& fabric, GroupPlacement group);

}  // namespace trainplan
