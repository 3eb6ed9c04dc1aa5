// Probe results: trainplan-probe/1, trainplan-profile/1 and nccl-tests -J JSON.
#include "fuzz_common.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/probe_loader.hpp"

TRAINPLAN_FUZZ_TARGET({
  static const trainplan::GpuSpec gpu = trainplan::load_gpu("h100-sxm", {});
  trainplan::PerformanceProfile profile;
  trainplan::apply_probe_text(profile, gpu, text, "fuzz");
})
