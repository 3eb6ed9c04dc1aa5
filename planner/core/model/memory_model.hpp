#pragma once
// Device memory of one GPU in one pipeline stage: weights, gradients, optimizer state (by ZeRO
// stage), saved activations of the micro-batches in flight, and a fixed overhead.
#include "planner/core/calibration.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/plan_result.hpp"

namespace trainplan {

struct StageMemoryInputs {
  double parameters_per_gpu = 0;        // this stage's parameters after tensor (and expert) sharding
  double unquantized_parameters = 0;    // of them, the embedding and output head: no fp8 copy (memory_model.cpp)
  double activation_bytes_per_microbatch = 0;  // saved by all of the stage's layers for one micro-batch
  double microbatches_in_flight = 1;    // see pipeline_schedule.hpp
  double extra_activation_bytes = 0;    // kept once (e.g. the fp32 logits of the last stage)
  int data_parallel_shards = 1;         // ranks the ZeRO shards spread over (dp * cp)
  // ZeRO-3: the stage's largest layer and largest unit (a layer, or the embedding or head it holds),
  // per GPU (StageParameters::largest_layer, first_unit / last_unit): what it gathers whole.
  double gathered_layer_parameters = 0;
  double gathered_unit_parameters = 0;
};

// Mixed-precision Adam (Megatron): bf16 weights (2 bytes), fp32 or bf16 gradients (4 or 2), fp32
// master weights + two moments (12). ZeRO 1 shards the 12, 2 also the gradients, 3 also the weights
// (Rajbhandari et al. 2020, section 5). With fp8, + 2 bytes per parameter for Transformer Engine's
// cached fp8 weight and its transpose on the GEMM weights (memory_model.cpp). A DualPipe rank holds
// two stages: step/dualpipe_memory.hpp adds two of these. ZeRO-3 also holds gathered units whole
// while they run (memory_model.cpp).
MemoryBreakdown stage_memory(const StageMemoryInputs& in, const ParallelPlan& plan, const Calibration& calibration);

}  // namespace trainplan
