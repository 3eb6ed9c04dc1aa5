// First version: two levels (NVLink domain, scale-out NICs), ring algorithms, NCCL Simple-protocol
// latencies. The topology work (issue 3) refines the scale-out part tier by tier.
#include "collective_cost.hpp"

#include <algorithm>
#include <cmath>

namespace trainplan {

CollectiveCost collective_cost(const Fabric& fabric, const PerformanceProfile& profile,
                               const Calibration& calibration, int total_gpus, Collective kind,
                               GroupPlacement group, double bytes) {
  (void)total_gpus;
  CollectiveCost cost;
  if (group.size <= 1 || bytes <= 0) return cost;
  const int per_node = std::max(1, fabric.scale_up.gpus);
  const bool inside_node = group.size * group.stride <= per_node;
  const int members_per_node = inside_node ? group.size : std::max(1, std::min(group.size, per_node / group.stride));
  const NetworkLevel level = inside_node ? NetworkLevel::intra_node : NetworkLevel::inter_node;

  double busbw_gb_s = 0;
  const CurveValue measured = interpolate(profile.busbw(level, kind), bytes);
  if (!profile.busbw(level, kind).empty()) {
    busbw_gb_s = measured.value;
    cost.measured = profile.busbw_measured[static_cast<int>(level)][static_cast<int>(kind)];
  } else if (inside_node) {
    busbw_gb_s = fabric.scale_up.gb_s_per_direction * calibration.nvlink_efficiency;
  } else {
    const double nic_gb_s = fabric.nics_per_gpu * fabric.nic_gbit_s / 8.0 * calibration.network_efficiency *
                            fabric.routing_efficiency;
    busbw_gb_s = std::min(fabric.scale_up.gb_s_per_direction * calibration.nvlink_efficiency,
                          nic_gb_s * members_per_node);
  }
  cost.highest_tier = inside_node ? -1 : 0;
  cost.bandwidth_s = bytes * bus_bandwidth_factor(kind, group.size) / (busbw_gb_s * 1e9);
  // NCCL Simple protocol: base latency plus a per-step hardware latency (ring: n-1 steps per phase).
  const double base_us = 8.4;
  const double step_us = inside_node ? 3.4 : 14.0;
  const int phases = kind == Collective::all_reduce ? 2 : 1;
  const int steps = kind == Collective::send_recv ? 1 : phases * (group.size - 1);
  cost.latency_s = (base_us + steps * step_us) * 1e-6;
  cost.seconds = cost.bandwidth_s + cost.latency_s;
  return cost;
}

}  // namespace trainplan
