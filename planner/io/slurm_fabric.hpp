#pragma once
// A plan's fabric from a Slurm topology.conf (--slurm on plan, search, size, sweep, compare, report):
// the cluster's own switch tree in place of a topology file.
#include <string>
#include <vector>

#include "description_loader.hpp"
#include "planner/core/fabric.hpp"
#include "topology_loader.hpp"

namespace trainplan {

// --set fabric.tiers.* / fabric.rail_optimized with --slurm: the file gives those, so such a --set
// would change nothing and is refused (InputError naming the --set and the file).
void check_slurm_overrides(const std::vector<Override>& overrides, const std::string& path);

// The file at `path` read over the default fabric for this GPU and job (with its fabric.* overrides),
// which gives the GPUs and NICs per node, NIC speed and latencies the file does not hold.
SlurmCluster load_slurm_cluster_for(const std::string& path, const TrainingJob& job, const GpuSpec& gpu,
                                    const std::vector<Override>& overrides);

// The checks a topology file gets (planner/io/scenario_defaults.hpp), naming --slurm: a job of
// more GPUs than the file's nodes hold is an InputError naming both counts, unless `allow_unreachable`
// (sweep and compare report such counts per row).
void check_job_fits_slurm(const SlurmCluster& cluster, const std::string& path, const TrainingJob& job, bool allow_unreachable);

}  // namespace trainplan
