#pragma once
// A cluster fabric as a hierarchy: the scale-up domain (NVLink/NVSwitch), then scale-out tiers
// (leaf, spine, core). Loaded from topologies/*.yaml at the edge; pure data here.
#include <string>
#include <vector>

#include "planner/core/provenance.hpp"

namespace trainplan {

struct ScaleUpDomain {
  bool operator==(const ScaleUpDomain&) const = default;  // lets tests see whether an input changed anything
  int gpus = 8;                       // GPUs per NVLink domain (a DGX H100 node: 8)
  double gb_s_per_direction = 450;    // per GPU, 1e9 bytes/s
  bool in_switch_reduction = false;   // NVLink SHARP (NVLS)
  double hop_latency_us = 0.6;
  // Hosts (compute trays) in one domain: 0 = the domain is one host (a DGX node). A GB200 NVL72 rack
  // is 18 trays of 4 GPUs: its hosts fail, power and write checkpoints one by one, and a failed tray
  // takes the whole domain's share of the job out (economics/reliability.hpp).
  int gpus_per_host = 0;
};

struct FabricTier {
  bool operator==(const FabricTier&) const = default;  // lets tests see whether an input changed anything
  std::string name;                   // "leaf", "spine", "core"
  int switch_radix = 64;              // ports per switch
  double link_gbit_s = 400;           // per port
  int ports_down = 32;                // per switch, towards GPUs
  int ports_up = 32;                  // per switch, towards the next tier (0 at the top tier)
  double hop_latency_us = 0.5;
  // The largest job (GPUs) the design lets this tier be the top of; 0: what the radix allows.
  int max_gpus = 0;
  // Links from one switch of this tier to each switch of the tier below it joins (1 in a plain fat
  // tree; a Slurm tree whose switches have few children takes several): a switch joins
  // ports_down / links_per_switch_below switches below, which is what its reach counts.
  int links_per_switch_below = 1;
  // ---- sites: a data-centre interconnect (DCI) tier joining `sites` buildings (0: an ordinary
  // switch tier). It must be the top tier; the tier below spans one site (its max_gpus GPUs), and
  // that tier's port split is the oversubscription into the DCI. Costed like any tier (its
  // hop_latency_us is the site-to-site latency). cost_usd_per_link: the price of one DCI link
  // (0: not given).
  int sites = 0;
  double cost_usd_per_link = 0;
  // Oversubscription at this tier's uplinks: down/up bandwidth ratio (1 = full bisection).
  double oversubscription() const { return ports_up > 0 ? double(ports_down) / ports_up : 1.0; }
};

struct Fabric {
  bool operator==(const Fabric&) const = default;  // lets tests see whether an input changed anything
  std::string name;
  std::string technology = "infiniband";  // "infiniband" or "ethernet"
  ScaleUpDomain scale_up;
  int nics_per_gpu = 1;
  double nic_gbit_s = 400;
  bool rail_optimized = true;
  int planes = 1;
  // Fraction of link bandwidth a collective achieves end to end (protocol, ECMP collisions vs
  // adaptive routing). 1.0 = the nominal link; Ethernet without adaptive routing is lower.
  double routing_efficiency = 1.0;
  bool in_network_reduction = false;  // SHARP on the scale-out switches
  // Fraction of an uplink tier's capacity that ECMP hash polarization leaves idle on a single-plane
  // fabric (0: none; planes >= 2 remove it): network/ecmp_planes.hpp.
  double hash_polarization = 0;
  std::vector<FabricTier> tiers;      // bottom (leaf) first
  Provenance provenance;
};

}  // namespace trainplan
