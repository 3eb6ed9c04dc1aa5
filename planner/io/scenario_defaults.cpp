#include "scenario_defaults.hpp"

#include "input_error.hpp"

namespace trainplan {

Fabric load_fabric_for(const std::string& topology, const TrainingJob& job, const GpuSpec& gpu,
                       const std::vector<Override>& overrides) {
  if (!topology.empty()) throw InputError("--topology " + topology, "", "topology files are not supported yet");
  Fabric f;
  f.name = "two-level default";
  f.scale_up.gpus = job.gpus_per_node;
  f.scale_up.gb_s_per_direction = gpu.nvlink_gb_s_per_direction > 0 ? gpu.nvlink_gb_s_per_direction : 32;
  f.nic_gbit_s = 400;
  for (const auto& o : overrides)
    if (o.scope == "fabric" && o.path.size() == 1 && o.path[0] == "nic_gbit_s") f.nic_gbit_s = std::stod(o.value);
  return f;
}

PerformanceProfile load_profile_for(const GpuSpec& gpu, const std::vector<std::string>& probe_files) {
  (void)gpu;
  if (!probe_files.empty()) throw InputError("--probes", "", "probe files are not supported yet");
  PerformanceProfile p;
  const std::vector<double> flops = {2.147e9, 1.374e11, 1.100e12, 8.796e12, 7.037e13};
  const std::vector<double> shape = {274.0 / 1382, 1217.0 / 1382, 1290.0 / 1382, 1377.0 / 1382, 1.0};
  for (std::size_t i = 0; i < flops.size(); ++i) {
    p.gemm_bf16_fraction_by_flops.sizes.push_back(flops[i]);
    p.gemm_bf16_fraction_by_flops.values.push_back(shape[i] * 794.5 / 989.4);
    p.gemm_fp8_fraction_by_flops.sizes.push_back(flops[i]);
    p.gemm_fp8_fraction_by_flops.values.push_back(shape[i] * 1402.6 / 1978.9);
  }
  p.hbm_fraction = 2.90 / 3.35;
  p.flash_attention_fraction = {0.35, 0.53};
  return p;
}

}  // namespace trainplan
