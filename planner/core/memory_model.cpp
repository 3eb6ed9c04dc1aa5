#include "memory_model.hpp"

namespace trainplan {

MemoryBreakdown stage_memory(const StageMemoryInputs& in, const ParallelPlan& plan, const Calibration& calibration) {
  MemoryBreakdown m;
  const double shards = in.data_parallel_shards > 0 ? in.data_parallel_shards : 1;
  const double weight_bytes = 2.0;
  const double gradient_bytes = plan.fp32_grad_reduce ? 4.0 : 2.0;
  const double optimizer_bytes = 12.0;
  m.weights_bytes = in.parameters_per_gpu * weight_bytes / (plan.zero_stage >= 3 ? shards : 1.0);
  m.gradients_bytes = in.parameters_per_gpu * gradient_bytes / (plan.zero_stage >= 2 ? shards : 1.0);
  m.optimizer_bytes = in.parameters_per_gpu * optimizer_bytes / (plan.zero_stage >= 1 ? shards : 1.0);
  m.activations_bytes = in.activation_bytes_per_microbatch * in.microbatches_in_flight + in.extra_activation_bytes;
  m.overhead_bytes = calibration.memory_overhead_bytes;
  return m;
}

}  // namespace trainplan
