#pragma once
// All-to-all on a rail-only fabric (docs/network-model.md, "Rail-only fabrics"): no switch joins
// the rails, so a message to a GPU of another node on another rail crosses NVLink first, to the
// GPU of its own node on the destination's rail, then that rail (NCCL's PXN; Wang et al.,
// arXiv 2307.12169, section 4).
#include "planner/core/fabric.hpp"

namespace trainplan {

// Whether every scale-out switch serves one rail only: a rail-optimized fabric with no tier above
// its rail switches (topologies/rail-only-ndr.yaml).
bool rail_only(const Fabric& fabric);

// The part of an all-to-all buffer (per rank) one member sends over NVLink, for a group of n ranks
// with m members per node (on m rails): its m - 1 peers in the node get 1/n each; on a rail-only
// fabric the (n - m)(m - 1)/m peers off the node on other rails are forwarded over NVLink too:
// (m - 1)/n + (n - m)(m - 1)/(m n), which is (m - 1)/m when the group fills k = n/m nodes. The NIC
// carries (n - m)/n either way.
double all_to_all_nvlink_fraction(const Fabric& fabric, double n, double m);

// NVLink steps before the network in an all-to-all: one (the PXN forward) on a rail-only fabric
// when the group has members on several rails of a node, else none.
double all_to_all_forward_steps(const Fabric& fabric, double m);

}  // namespace trainplan
