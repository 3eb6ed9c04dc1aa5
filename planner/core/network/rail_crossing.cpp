#include "planner/core/network/rail_crossing.hpp"

#include <algorithm>

namespace trainplan {

bool rail_only(const Fabric& fabric) { return fabric.rail_optimized && fabric.tiers.size() == 1; }

double all_to_all_nvlink_fraction(const Fabric& fabric, double n, double m) {
  if (n <= 1 || m <= 1) return 0.0;
  const double in_node = (m - 1) / n;
  if (!rail_only(fabric)) return in_node;
  // The n - m peers off the node sit on the node's m rails evenly: (m - 1) / m of them on another.
  return in_node + std::max(0.0, n - m) / n * (m - 1) / m;
}

double all_to_all_forward_steps(const Fabric& fabric, double m) { return rail_only(fabric) && m > 1 ? 1.0 : 0.0; }

}  // namespace trainplan
