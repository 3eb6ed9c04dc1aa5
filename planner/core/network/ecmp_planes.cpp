#include "planner/core/network/ecmp_planes.hpp"

namespace trainplan {

double polarized_uplink_capacity(const Fabric& fabric) {
  if (fabric.planes >= 2 || !(fabric.hash_polarization > 0)) return 1.0;
  return 1.0 - fabric.hash_polarization;
}

}  // namespace trainplan
