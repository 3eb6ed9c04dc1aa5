#include "planner/core/model/memory_model.hpp"

namespace trainplan {

MemoryBreakdown stage_memory(const StageMemoryInputs& in, const ParallelPlan& plan, const Calibration& calibration) {
  MemoryBreakdown m;
  const double shards = in.data_parallel_shards > 0 ? in.data_parallel_shards : 1;
  const double weight_bytes = 2.0;
  const double gradient_bytes = plan.fp32_grad_reduce ? 4.0 : 2.0;
  const double optimizer_bytes = plan.optimizer_state_bytes;
  m.weights_bytes = in.parameters_per_gpu * weight_bytes / (plan.zero_stage >= 3 ? shards : 1.0);
  // fp8 (Transformer Engine, bf16 master parameters): each GEMM weight is cast once per step to an
  // fp8 copy plus its fp8 transpose (Hopper's fp8 GEMMs take one layout, so the backward's GEMMs
  // need the other), kept across micro-batches: 2 bytes per parameter. Not on the embedding and
  // the output head (`unquantized_parameters`): no fp8 GEMM reads them (Megatron-Core's embedding
  // is a lookup and its output layer a plain bf16 linear, outside Transformer Engine; DeepSeek-V3
  // keeps both in BF16/FP32, report section 3.3.1). The norms and the router are counted (a small
  // overcount). With ZeRO-3 the copies are made per layer as its weights are gathered, so they are
  // transient and not counted.
  // With fp8_params the weights exist only in fp8 (1 byte) plus that transpose (1 byte): the same
  // 2 bytes as bf16 weights, with no cached copy on top.
  if (plan.precision == Precision::fp8 && plan.zero_stage < 3 && !plan.fp8_params)
    m.weights_bytes += (in.parameters_per_gpu - in.unquantized_parameters) * 2.0;
  m.gradients_bytes = in.parameters_per_gpu * gradient_bytes / (plan.zero_stage >= 2 ? shards : 1.0);
  // ZeRO-3 gathers each unit's weights whole before it runs and reduce-scatters its gradient after it:
  // the unit computing and its neighbour prefetched, in bf16 (FSDP's default one-unit prefetch in
  // forward and backward), at most the largest unit beside the largest layer (every unit's neighbour
  // is a layer); and one unit's whole gradient before its reduce-scatter, at most the largest unit's.
  if (plan.zero_stage >= 3 && shards > 1) {
    m.weights_bytes += (in.gathered_unit_parameters + in.gathered_layer_parameters) * weight_bytes;
    m.gradients_bytes += in.gathered_unit_parameters * gradient_bytes;
  }
  m.optimizer_bytes = in.parameters_per_gpu * optimizer_bytes / (plan.zero_stage >= 1 ? shards : 1.0);
  m.activations_bytes = in.activation_bytes_per_microbatch * in.microbatches_in_flight + in.extra_activation_bytes;
  m.overhead_bytes = calibration.memory_overhead_bytes;
  return m;
}

}  // namespace trainplan
