#pragma once
// Sizing a fat-tree fabric for N GPUs: switches and cables per tier, bandwidth per GPU up each tier,
// bisection bandwidth, hops, and the largest GPU count the design reaches. Pure.
#include <string>
#include <vector>

#include "planner/core/fabric.hpp"

namespace trainplan {

struct TierSize {
  std::string name;
  int switches = 0;
  long long cables_down = 0;     // links from the tier below (or from NICs, for the leaf tier)
  double gb_s_per_gpu = 0;       // bandwidth a GPU has up through this tier, after oversubscription
  int switch_hops = 0;           // switches a message crosses between two GPUs whose path tops out here
  long long reach_nodes = 0;     // nodes under one switch group of this tier (GPUs of one rail when rail-optimized)
};

struct FabricSize {
  int gpus = 0;
  int nodes = 0;
  long long nics = 0;
  std::vector<TierSize> tiers;   // the tiers used for this many GPUs, leaf first
  int total_switches = 0;
  long long total_cables = 0;    // NIC-leaf plus every inter-tier link
  double bisection_gb_s = 0;     // half the GPUs to the other half, per direction
  int max_gpus = 0;              // the most GPUs the whole design reaches
  bool reachable = true;         // false: more GPUs than max_gpus
};

// How far the design reaches, without sizing it: the most GPUs the whole design connects and
// whether it connects `gpus` (the two figures size_fabric reports as max_gpus and reachable).
// Checks at the edge use this; the fabric is sized (switches, cables) once, where it is reported.
struct FabricReach {
  int max_gpus = 0;
  bool reachable = true;
};
FabricReach fabric_reach(const Fabric& fabric, int gpus);

// Tiers needed for `gpus`: the fewest whose top reaches them (a tier's max_gpus when the file sets
// one, else the fat-tree capacity of its radix).
FabricSize size_fabric(const Fabric& fabric, int gpus);

// Nodes a switch of tier `tier` spans (same rail when rail-optimized): the lowest tier a group of
// consecutive nodes must cross is the first whose reach covers them.
long long tier_reach_nodes(const Fabric& fabric, std::size_t tier);
// One step up: the reach of tier `tier` from `below`, the reach of the tier under it (ignored for
// the leaf tier, 0). Walking up the tiers with it gives tier_reach_nodes of each in turn.
long long tier_reach_step(const Fabric& fabric, std::size_t tier, long long below);
// One GPU's scale-out rate (GB/s, per direction): its NICs at line rate x the fabric's routing
// efficiency. Every NIC-rate figure (sizing, collectives) starts from this one.
inline double nic_gb_s_per_gpu(const Fabric& f) { return f.nics_per_gpu * f.nic_gbit_s / 8.0 * f.routing_efficiency; }
// Bandwidth per GPU (GB/s, per direction) up through tier `tier`: NIC rate divided by the
// oversubscription of every tier up to and including it, times the routing efficiency.
double gb_s_per_gpu_through(const Fabric& fabric, std::size_t tier);

}  // namespace trainplan
