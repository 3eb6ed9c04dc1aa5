#include "slurm_fabric.hpp"

#include "input_error.hpp"
#include "scenario_defaults.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

void check_slurm_overrides(const std::vector<Override>& overrides, const std::string& path) {
  for (const auto& o : overrides)
    if (o.scope == "fabric" && !o.path.empty() && (o.path[0] == "tiers" || o.path[0] == "rail_optimized"))
      throw InputError("--set " + o.text, "fabric." + o.path[0],
                       "the --slurm file " + path + " gives the fabric's tiers and rails (edit the file, or use --topology)");
}

SlurmCluster load_slurm_cluster_for(const std::string& path, const TrainingJob& job, const GpuSpec& gpu,
                                    const std::vector<Override>& overrides) {
  check_slurm_overrides(overrides, path);
  // The base is never refused for reach: the file's tree replaces its tiers.
  const Fabric base = load_fabric_for("", job, gpu, overrides, true);
  return read_slurm_cluster(read_text_file(path), path, base);
}

void check_job_fits_slurm(const SlurmCluster& cluster, const std::string& path, const TrainingJob& job, bool allow_unreachable) {
  const long long cluster_gpus = static_cast<long long>(cluster.nodes) * job.gpus_per_node;
  if (job.gpus > cluster_gpus && !allow_unreachable)
    throw InputError("--gpus " + std::to_string(job.gpus), "--slurm " + path,
                     "asks for " + std::to_string(job.gpus) + " GPUs, more than the " + std::to_string(cluster_gpus) + " GPUs the file's " +
                         std::to_string(cluster.nodes) + " nodes hold (" + std::to_string(job.gpus_per_node) + " per node)");
}

}  // namespace trainplan
