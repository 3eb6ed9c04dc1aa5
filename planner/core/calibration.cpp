#include "calibration.hpp"

namespace trainplan {

Calibration default_calibration() {
  Calibration c;
  c.kernel_overhead_s = 4e-6;
  c.nvlink_efficiency = 0.80;
  c.network_efficiency = 0.95;
  c.dp_overlap_efficiency = 0.8;
  c.memory_overhead_bytes = 4.0 * (1ull << 30);
  return c;
}

}  // namespace trainplan
