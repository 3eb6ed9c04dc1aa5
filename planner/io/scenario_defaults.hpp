#pragma once
// What a plan runs on when the user does not say: the fabric and the performance profile.
#include <string>
#include <vector>

#include "description_loader.hpp"
#include "planner/core/fabric.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/performance_profile.hpp"

namespace trainplan {

// The named or default topology, sized for the job, with fabric.* overrides applied. A job larger
// than the design reaches is an InputError unless `allow_unreachable` (compare reports it per row).
Fabric load_fabric_for(const std::string& topology, const TrainingJob& job, const GpuSpec& gpu,
                       const std::vector<Override>& overrides, bool allow_unreachable = false);
// The same for a --topology file already loaded (with its overrides) by load_topology: the job's
// checks and the default fabric's borrowing without reading the file again.
Fabric fabric_for_job(Fabric fabric, const std::string& topology, const TrainingJob& job, const GpuSpec& gpu,
                      const std::vector<Override>& overrides, bool allow_unreachable = false);
// The bundled published profile for this GPU, with probe files laid over it.
PerformanceProfile load_profile_for(const GpuSpec& gpu, const std::vector<std::string>& probe_files);

}  // namespace trainplan
