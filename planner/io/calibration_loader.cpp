#include "calibration_loader.hpp"

#include <string>

#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

Calibration load_calibration(const std::vector<Override>& overrides) {
  Calibration c = default_calibration();
  YAML::Node node(YAML::NodeType::Map);
  bool any = false;
  for (const auto& o : overrides)
    if (o.scope == "calibration") {
      apply_override(node, o);
      any = true;
    }
  if (!any) return c;
  const FieldReader f(node, "--set calibration", "calibration");
  f.reject_unknown_keys({"kernel_overhead_s", "nvlink_efficiency", "network_efficiency", "overlap_efficiency",
                         "overlapped_comm_sm_share", "sustained_kernel_fraction", "memory_overhead_gib", "gpu_speed_cv"});
  auto fraction = [&](const char* key, double current) {
    // 0.01 at least: an efficiency of 1e-300 is a typo, not a network.
    return f.get_number(key, Range{0.01, 1}, current);
  };
  c.kernel_overhead_s = f.get_number("kernel_overhead_s", Range{0, 1}, c.kernel_overhead_s);
  c.nvlink_efficiency = fraction("nvlink_efficiency", c.nvlink_efficiency);
  c.network_efficiency = fraction("network_efficiency", c.network_efficiency);
  c.overlap_efficiency = fraction("overlap_efficiency", c.overlap_efficiency);
  c.sustained_kernel_fraction = fraction("sustained_kernel_fraction", c.sustained_kernel_fraction);
  c.overlapped_comm_sm_share = f.get_non_negative("overlapped_comm_sm_share", c.overlapped_comm_sm_share);
  c.gpu_speed_cv = f.get_non_negative("gpu_speed_cv", c.gpu_speed_cv);
  if (c.gpu_speed_cv >= 0.5) f.fail("gpu_speed_cv", "expected a coefficient of variation in [0, 0.5)");
  if (c.overlapped_comm_sm_share >= 1.0) f.fail("overlapped_comm_sm_share", "expected a share in [0, 1)");
  c.memory_overhead_bytes = f.get_number("memory_overhead_gib", Range{0, 1024}, c.memory_overhead_bytes / (1ull << 30)) * (1ull << 30);
  return c;
}

}  // namespace trainplan
