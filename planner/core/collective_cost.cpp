// Collectives placed on a tiered fabric (docs/network-model.md).
//  - Placement: a group of n ranks with stride s in Megatron's rank order has m = g/s members per
//    node of g GPUs (1 when s >= g) and spans a range of nodes; the lowest tier whose switch group
//    reaches that range is the tier its traffic crosses (-1: inside the NVLink domain).
//  - Bandwidth: every group of a kind runs at once, so a GPU gets its NIC rate divided by the
//    oversubscription of every uplink below that tier; hierarchical algorithms (NVLink inside the
//    node, one ring per rail across nodes) give a group m NICs per node, capped by NVLink.
//  - Time: bytes x the nccl-tests bus factor / busbw + per-step latency (NCCL's published Simple-
//    protocol constants), ring or tree for all-reduce, whichever is less.
//  - Measured busbw curves replace nominal rates: intra-node as measured, inter-node per NIC.
#include "collective_cost.hpp"

#include <algorithm>
#include <cmath>

#include "fabric_sizing.hpp"

namespace trainplan {

namespace {

// NCCL src/graph/tuning.cc, Simple protocol (../shared/reference/hardware.yaml), microseconds.
constexpr double kBaseLatencyUs = 8.4;
constexpr double kNvlinkStepUs = 3.4;
constexpr double kNetRingStepUs = 14.0;
constexpr double kNetTreeStepUs = 14.0;

struct Placement {
  int members_per_node = 1;
  long long node_range = 1;  // nodes from the group's first to its last member
  int tier = -1;             // -1: one NVLink domain
};

Placement place(const Fabric& f, GroupPlacement group) {
  Placement p;
  const int g = std::max(1, f.scale_up.gpus);
  const long long span = static_cast<long long>(group.size - 1) * group.stride + 1;  // ranks covered
  if (span <= g) {
    p.members_per_node = group.size;
    return p;
  }
  p.members_per_node = group.stride >= g ? 1 : std::max(1, std::min(group.size, g / group.stride));
  p.node_range = (span + g - 1) / g;
  p.tier = static_cast<int>(f.tiers.size()) - 1;
  for (std::size_t t = 0; t < f.tiers.size(); ++t)
    if (tier_reach_nodes(f, t) >= p.node_range) {
      p.tier = static_cast<int>(t);
      break;
    }
  return p;
}

double nvlink_bytes_per_s(const Fabric& f, const Calibration& c) { return f.scale_up.gb_s_per_direction * c.nvlink_efficiency * 1e9; }

// One GPU's share of the scale-out network up to `tier`, bytes/s; the measured per-NIC curve
// replaces the NIC rate (keeping the oversubscription of the tiers crossed).
double per_gpu_network_bytes_per_s(const Fabric& f, const PerformanceProfile& profile, const Calibration& c, int tier,
                                   Collective kind, double bytes, bool& measured) {
  const double nominal = gb_s_per_gpu_through(f, static_cast<std::size_t>(std::max(0, tier))) * c.network_efficiency * 1e9;
  const SizeCurve& curve = profile.busbw(NetworkLevel::inter_node, kind);
  if (curve.empty()) return nominal;
  measured = profile.busbw_measured[1][static_cast<int>(kind)];
  const double oversubscription = gb_s_per_gpu_through(f, 0) / gb_s_per_gpu_through(f, static_cast<std::size_t>(std::max(0, tier)));
  return interpolate(curve, bytes).value * 1e9 / oversubscription;
}

}  // namespace

CollectiveCost collective_cost(const Fabric& fabric, const PerformanceProfile& profile, const Calibration& calibration,
                               int total_gpus, Collective kind, GroupPlacement group, double bytes) {
  (void)total_gpus;
  CollectiveCost cost;
  if (group.size <= 1 || bytes <= 0) return cost;
  const Placement where = place(fabric, group);
  cost.highest_tier = where.tier;
  const double n = group.size;
  const double m = where.members_per_node;
  const double nodes = std::ceil(n / m);
  const double nvlink = nvlink_bytes_per_s(fabric, calibration);

  if (where.tier < 0) {
    // Inside the NVLink domain: a measured curve if there is one, else NVLink x efficiency; NVLS
    // (in-switch reduction) sends each byte once: all-reduce at the link rate, busbw 2(n-1)/n x link.
    const SizeCurve& curve = profile.busbw(NetworkLevel::intra_node, kind);
    double busbw = nvlink;
    if (!curve.empty()) {
      busbw = interpolate(curve, bytes).value * 1e9;
      cost.measured = profile.busbw_measured[0][static_cast<int>(kind)];
    } else if (kind == Collective::all_reduce && fabric.scale_up.in_switch_reduction) {
      busbw = nvlink * bus_bandwidth_factor(kind, group.size);
    }
    cost.bandwidth_s = kind == Collective::send_recv ? bytes / nvlink : bytes * bus_bandwidth_factor(kind, group.size) / busbw;
    const double steps = kind == Collective::all_reduce ? 2.0 * (n - 1) : kind == Collective::send_recv ? 1.0 : n - 1;
    cost.latency_s = (kBaseLatencyUs + steps * kNvlinkStepUs) * 1e-6;
    cost.seconds = cost.bandwidth_s + cost.latency_s;
    return cost;
  }

  bool measured = false;
  const double per_gpu = per_gpu_network_bytes_per_s(fabric, profile, calibration, where.tier, kind, bytes, measured);
  cost.measured = measured;
  const double hop_us = 2.0 * (where.tier + 1) * fabric.tiers[static_cast<std::size_t>(where.tier)].hop_latency_us;
  switch (kind) {
    case Collective::all_reduce:
    case Collective::reduce_scatter:
    case Collective::all_gather: {
      // Hierarchical: the node's m members each drive their own NIC (one ring per rail).
      double busbw = std::min(nvlink, m * per_gpu);
      if (kind == Collective::all_reduce && fabric.in_network_reduction) busbw *= bus_bandwidth_factor(kind, group.size);  // SHARP
      cost.bandwidth_s = bytes * bus_bandwidth_factor(kind, group.size) / busbw;
      const double phases = kind == Collective::all_reduce ? 2.0 : 1.0;
      const double ring_us = kBaseLatencyUs + phases * ((m - 1) * kNvlinkStepUs + (nodes - 1) * (kNetRingStepUs + hop_us));
      const double tree_us = kBaseLatencyUs + 2.0 * std::ceil(std::log2(nodes)) * (kNetTreeStepUs + hop_us) + 2.0 * (m - 1) * kNvlinkStepUs;
      cost.latency_s = (kind == Collective::all_reduce ? std::min(ring_us, tree_us) : ring_us) * 1e-6;
      break;
    }
    case Collective::all_to_all: {
      // Each GPU keeps 1/n, sends (m-1)/n over NVLink and (n-m)/n through its own NIC.
      const double off_node = bytes * (n - m) / n;
      const double on_node = bytes * (m - 1) / n;
      cost.bandwidth_s = std::max(off_node / per_gpu, on_node / nvlink);
      cost.latency_s = (kBaseLatencyUs + (n - 1) * 0.5 + hop_us) * 1e-6;  // pairwise sends in flight together
      break;
    }
    case Collective::send_recv:
      cost.bandwidth_s = bytes / per_gpu;
      cost.latency_s = (kBaseLatencyUs + kNetRingStepUs + hop_us) * 1e-6;
      break;
  }
  cost.seconds = cost.bandwidth_s + cost.latency_s;
  return cost;
}

}  // namespace trainplan
