#include "scenario_defaults.hpp"

#include "input_error.hpp"
#include "probe_loader.hpp"

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
  PerformanceProfile profile = bundled_profile_for(gpu.name);
  for (const auto& path : probe_files) apply_probe_file(profile, gpu, path);
  profile.flash_attention_fraction = {gpu.flash2_fraction_of_peak, gpu.flash3_fraction_of_peak};
  return profile;
}

}  // namespace trainplan
