#pragma once
// Dual-plane fabrics and ECMP hash polarization (docs/network-model.md, "Planes and hash
// polarization"). Ethernet fabrics without adaptive routing pick each flow's uplink by hashing its
// header (ECMP). LLM training sends few, long, large flows per host, and where a switch hashes with
// a function correlated with the stage before it (the NIC's choice of port, the ToR's choice of
// uplink) the flows that reach it share hash values and crowd onto part of its uplinks: hash
// polarization. Alibaba HPN (Qian et al., SIGCOMM 2024, DOI 10.1145/3651890.3672265) splits the
// fabric into two planes, one per NIC port, each port's flows staying in its own plane; the paper
// states that this dual-plane design avoids hash polarization (and shrinks the path search space).
// How much capacity polarization costs a single plane is the file's `hash_polarization` (an input:
// no published figure is bundled).
#include "planner/core/fabric.hpp"

namespace trainplan {

// The part of an uplink tier's capacity that polarized flows can use: 1 - hash_polarization on a
// single-plane fabric, 1 on a fabric of two or more planes (the traffic of a NIC split evenly over
// its planes, one port in each) or where the file sets no polarization.
double polarized_uplink_capacity(const Fabric& fabric);

}  // namespace trainplan
