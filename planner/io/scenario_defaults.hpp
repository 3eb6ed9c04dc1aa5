#pragma once
// What a plan runs on when the user does not say: the fabric and the performance profile.
#include <string>
#include <vector>

#include "description_loader.hpp"
#include "planner/core/fabric.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/performance_profile.hpp"

namespace trainplan {

// The named or default topology, sized for the job, with fabric.* overrides applied.
Fabric load_fabric_for(const std::string& topology, const TrainingJob& job, const GpuSpec& gpu,
                       const std::vector<Override>& overrides);
// The bundled published profile for this GPU, with probe files laid over it.
PerformanceProfile load_profile_for(const GpuSpec& gpu, const std::vector<std::string>& probe_files);

}  // namespace trainplan
