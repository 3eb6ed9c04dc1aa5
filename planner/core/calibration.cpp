#include "calibration.hpp"

namespace trainplan {

Calibration default_calibration() {
  Calibration c;
  c.kernel_overhead_s = 4e-6;
  c.nvlink_efficiency = 0.80;
  c.network_efficiency = 0.95;
  c.dp_overlap_efficiency = 0.8;
  // DeepSeek-V3 technical report (2024), section 3.2.2: 20 of the H800's 132 SMs suffice to drive
  // IB and NVLink at full bandwidth with tuned communication kernels (NCCL's defaults take more).
  c.overlapped_comm_sm_share = 20.0 / 132.0;
  c.memory_overhead_bytes = 4.0 * (1ull << 30);
  return c;
}

}  // namespace trainplan
