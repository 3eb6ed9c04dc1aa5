#include "planner/core/network/fabric_sizing.hpp"

#include <algorithm>
#include <cmath>

namespace trainplan {

namespace {

long long ceil_div(long long a, long long b) { return (a + b - 1) / b; }

// a * b for counts >= 0, held at 2^62 rather than overflowing: a fabric of many wide tiers
// reaches more NICs than any job asks for, and the cap keeps that "more" exact enough.
long long capped_product(long long a, long long b) {
  constexpr long long cap = 1LL << 62;
  if (a == 0 || b == 0) return 0;
  return a > cap / b ? cap : std::min(cap, a * b);
}

// Ports a switch of `tier` has towards the tier below when it is the top of the fabric: all of them.
int ports_down_as(const FabricTier& tier, bool top) { return top ? tier.switch_radix : tier.ports_down; }

// Switches (or, at the leaf tier, NICs) one switch of `tier` joins below it: its ports down over the
// links it runs to each (links_per_switch_below; a leaf's NIC links are one each).
long long children_as(const FabricTier& tier, bool top) {
  return std::max<long long>(1, ports_down_as(tier, top) / std::max(1, tier.links_per_switch_below));
}

// NICs one leaf switch serves per node: rail-optimized, one (each rail has its own leaf);
// otherwise every NIC of the node lands on the same leaf.
long long nics_per_node_on_a_leaf(const Fabric& f) {
  return f.rail_optimized ? f.nics_per_gpu : static_cast<long long>(f.nics_per_gpu) * f.scale_up.gpus;
}

// Fat-tree capacity in NICs with tiers [0, top]: the product of every tier's ports towards the
// tier below (all ports at the top): k = 64 gives 32 x 64 = 2,048 with two tiers and
// 32 x 32 x 64 = 65,536 with three (2 (k/2)^L; Al-Fares et al., SIGCOMM 2008).
long long capacity_nics(const Fabric& f, std::size_t top) {
  long long nics = 1;
  for (std::size_t t = 0; t <= top; ++t) nics = capped_product(nics, t == 0 ? ports_down_as(f.tiers[t], t == top) : children_as(f.tiers[t], t == top));
  return nics;
}

int tier_max_gpus(const Fabric& f, std::size_t top) {
  if (f.tiers[top].max_gpus > 0) return f.tiers[top].max_gpus;
  if (f.tiers[top].sites > 0 && top > 0)  // sites: as many buildings as the DCI joins, each what the tier below reaches
    return static_cast<int>(std::min<long long>(1LL * f.tiers[top].sites * tier_max_gpus(f, top - 1), 1LL << 30));
  // A single tier of rail-optimized leaves is one separate fabric per rail (rail-only networks).
  const long long rails = top == 0 && f.rail_optimized ? f.scale_up.gpus : 1;
  const long long gpus = capped_product(capacity_nics(f, top), rails) / std::max(1, f.nics_per_gpu);
  return static_cast<int>(std::min<long long>(gpus, 1LL << 30));
}

// The top tier a job of `gpus` needs: rail-optimized leaves must be joined by a tier above them
// (traffic between rails), unless the file is a rail-only design with a single tier.
std::size_t top_tier_for(const Fabric& f, int gpus) {
  std::size_t top = f.rail_optimized && f.tiers.size() > 1 ? 1 : 0;
  while (top + 1 < f.tiers.size() && gpus > tier_max_gpus(f, top)) ++top;
  return top;
}

}  // namespace

FabricReach fabric_reach(const Fabric& f, int gpus) {
  FabricReach reach;
  if (f.tiers.empty()) {
    reach.max_gpus = f.scale_up.gpus;
    reach.reachable = gpus <= reach.max_gpus;
    return reach;
  }
  reach.max_gpus = tier_max_gpus(f, f.tiers.size() - 1);
  reach.reachable = gpus <= tier_max_gpus(f, top_tier_for(f, gpus));
  return reach;
}

long long tier_reach_step(const Fabric& f, std::size_t tier, long long below) {
  // A leaf serves ports_down NICs; with rails a node puts one NIC on it, else all of them.
  if (tier == 0) return std::max<long long>(1, f.tiers[0].ports_down / nics_per_node_on_a_leaf(f));
  // A switch group of tier t joins ports_down lower switches; with rails, the leaves of every
  // rail share the first group above them, so it spans 1/rails of its leaves per rail.
  if (f.tiers[tier].sites > 0) return capped_product(below, f.tiers[tier].sites);  // sites: the DCI joins whole sites
  const long long lower = children_as(f.tiers[tier], tier + 1 == f.tiers.size());
  const long long rails = (tier == 1 && f.rail_optimized) ? static_cast<long long>(f.scale_up.gpus) * f.nics_per_gpu : 1;
  const long long reach = capped_product(below, std::max<long long>(1, lower / rails));
  // sites: the tier under a DCI spans one site, the GPUs its max_gpus gives.
  if (tier + 1 < f.tiers.size() && f.tiers[tier + 1].sites > 0 && f.tiers[tier].max_gpus > 0)
    return std::min(reach, std::max<long long>(1, f.tiers[tier].max_gpus / std::max(1, f.scale_up.gpus)));
  return reach;
}

long long tier_reach_nodes(const Fabric& f, std::size_t tier) {
  long long reach = tier_reach_step(f, 0, 1);
  for (std::size_t t = 1; t <= tier && t < f.tiers.size(); ++t) reach = tier_reach_step(f, t, reach);
  return reach;
}

double gb_s_per_gpu_through(const Fabric& f, std::size_t tier) {
  // Traffic that climbs to tier t passes the uplinks of every tier below it.
  double oversubscription = 1.0;
  for (std::size_t t = 0; t < tier && t < f.tiers.size(); ++t) oversubscription *= f.tiers[t].oversubscription();
  return nic_gb_s_per_gpu(f) / oversubscription;
}

FabricSize size_fabric(const Fabric& f, int gpus) {
  FabricSize s;
  s.gpus = gpus;
  s.nodes = static_cast<int>(ceil_div(gpus, std::max(1, f.scale_up.gpus)));
  s.nics = static_cast<long long>(gpus) * f.nics_per_gpu;
  const FabricReach reach = fabric_reach(f, gpus);
  s.max_gpus = reach.max_gpus;
  s.reachable = reach.reachable;
  if (f.tiers.empty()) return s;
  const std::size_t top = top_tier_for(f, gpus);

  // Each plane is a copy of the fabric carrying 1/planes of every NIC's ports.
  const long long nics_per_plane = s.nics;
  long long lower_switches = 0, lower_up = 0;
  for (std::size_t t = 0; t <= top; ++t) {
    const FabricTier& tier = f.tiers[t];
    const bool is_top = t == top;
    TierSize size;
    size.name = tier.name;
    if (t == 0) {
      size.cables_down = nics_per_plane;
      size.switches = static_cast<int>(ceil_div(nics_per_plane, ports_down_as(tier, is_top)));
    } else {
      size.cables_down = lower_switches * lower_up;
      size.switches = static_cast<int>(ceil_div(size.cables_down, ports_down_as(tier, is_top)));
    }
    size.switches *= std::max(1, f.planes);
    size.cables_down *= std::max(1, f.planes);
    size.gb_s_per_gpu = gb_s_per_gpu_through(f, t);
    size.switch_hops = 2 * static_cast<int>(t) + 1;
    size.reach_nodes = tier_reach_nodes(f, t);
    // A tier that caps the job it may top (max_gpus) spans no more nodes than that job's.
    if (tier.max_gpus > 0) size.reach_nodes = std::min<long long>(size.reach_nodes, std::max(1, tier.max_gpus / std::max(1, f.scale_up.gpus)));
    lower_switches = size.switches / std::max(1, f.planes);
    lower_up = is_top ? 0 : tier.ports_up;
    s.total_switches += size.switches;
    s.total_cables += size.cables_down;
    s.tiers.push_back(size);
  }
  // Bisection: half the GPUs send to the other half through the top tier's per-GPU bandwidth.
  s.bisection_gb_s = gpus / 2.0 * s.tiers.back().gb_s_per_gpu;
  return s;
}

}  // namespace trainplan
