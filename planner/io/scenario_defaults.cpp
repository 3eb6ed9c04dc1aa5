#include "scenario_defaults.hpp"

#include "input_error.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "probe_loader.hpp"
#include "topology_loader.hpp"

namespace trainplan {

namespace {
// Whether a --set names fabric.scale_up.<field>: the user's figure then wins over the one the
// default fabric borrows from the GPU and the job (no --set is ever silently discarded).
bool sets_scale_up(const std::vector<Override>& overrides, const char* field) {
  for (const auto& o : overrides)
    if (o.scope == "fabric" && o.path.size() == 2 && o.path[0] == "scale_up" && o.path[1] == field) return true;
  return false;
}
}  // namespace

Fabric load_fabric_for(const std::string& topology, const TrainingJob& job, const GpuSpec& gpu,
                       const std::vector<Override>& overrides, bool allow_unreachable) {
  // Without --topology: the DGX H100 SuperPOD (NDR InfiniBand), with this GPU's NVLink.
  return fabric_for_job(load_topology(topology.empty() ? "dgx-h100-superpod-ndr" : topology, overrides), topology, job, gpu,
                        overrides, allow_unreachable);
}

Fabric fabric_for_job(Fabric fabric, const std::string& topology, const TrainingJob& job, const GpuSpec& gpu,
                      const std::vector<Override>& overrides, bool allow_unreachable) {
  if (topology.empty()) {
    if (gpu.nvlink_gb_s_per_direction > 0 && !sets_scale_up(overrides, "gb_s_per_direction"))
      fabric.scale_up.gb_s_per_direction = gpu.nvlink_gb_s_per_direction;
    if (!sets_scale_up(overrides, "gpus")) fabric.scale_up.gpus = job.gpus_per_node;
  }
  if (fabric.scale_up.gpus != job.gpus_per_node)
    throw InputError("--topology " + (topology.empty() ? std::string("(default)") : topology), "scale_up.gpus",
                     "the fabric has " + std::to_string(fabric.scale_up.gpus) + " GPUs per NVLink domain but the job says --gpus-per-node " +
                         std::to_string(job.gpus_per_node));
  // Hosts of a multi-host domain (NVL72: 18 trays of 4) tile the domain, checked once its size is known.
  if (fabric.scale_up.gpus_per_host > 0 && fabric.scale_up.gpus % fabric.scale_up.gpus_per_host != 0)
    throw InputError("--topology " + (topology.empty() ? std::string("(default)") : topology), "scale_up.gpus_per_host",
                     "a divisor of the " + std::to_string(fabric.scale_up.gpus) + " GPUs per NVLink domain, got " +
                         std::to_string(fabric.scale_up.gpus_per_host));
  const FabricReach size = fabric_reach(fabric, job.gpus);
  if (!size.reachable && !allow_unreachable)
    throw InputError("--topology " + (topology.empty() ? std::string("(default)") : topology), fabric.name,
                     "the design reaches at most " + std::to_string(size.max_gpus) + " GPUs, the job asks for " +
                         std::to_string(job.gpus));
  return fabric;
}

PerformanceProfile load_profile_for(const GpuSpec& gpu, const std::vector<std::string>& probe_files) {
  PerformanceProfile profile = bundled_profile_for(gpu.name);
  for (const auto& path : probe_files) apply_probe_file(profile, gpu, path);
  profile.fused_attention = {gpu.flash2, gpu.flash3};
  return profile;
}

}  // namespace trainplan
