#pragma once
// Everything `evaluate` returns: a plain struct the reporters render.
#include <string>
#include <vector>

#include "planner/core/compute_parts.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

// Seconds per optimizer step on the critical path. Sums to step_time_s.
struct StepBreakdown {
  double compute_s = 0;          // GEMMs, attention, memory-bound ops and recomputation (no bubble)
  double tp_comm_s = 0;          // exposed tensor-parallel collectives
  double cp_comm_s = 0;          // exposed context-parallel K/V exchange
  double ep_comm_s = 0;          // exposed expert-parallel all-to-all
  double pp_comm_s = 0;          // exposed pipeline point-to-point
  double dp_comm_s = 0;          // exposed data-parallel gradient reduction / parameter gather
  double pipeline_bubble_s = 0;  // idle time of the pipeline schedule
  double optimizer_s = 0;        // optimizer step (memory bound)
  double straggler_s = 0;        // waiting for the slowest of the job's GPUs (straggler.hpp)
  double link_sharing_s = 0;     // kinds sharing NICs and uplinks in the same step (step_link_sharing.hpp)
  double activation_offload_s = 0;  // offloaded activations' copies that outlast their layers (activation_offload.hpp)
  ComputeParts compute_parts;       // compute_s by kind of work (compute_parts.hpp; sums to it)
  double total() const {
    return compute_s + tp_comm_s + cp_comm_s + ep_comm_s + pp_comm_s + dp_comm_s + pipeline_bubble_s +
           optimizer_s + straggler_s + link_sharing_s + activation_offload_s;
  }
};

// Bytes per GPU (the most loaded pipeline stage).
struct MemoryBreakdown {
  double weights_bytes = 0;
  double gradients_bytes = 0;
  double optimizer_bytes = 0;
  double activations_bytes = 0;
  double overhead_bytes = 0;
  double total() const {
    return weights_bytes + gradients_bytes + optimizer_bytes + activations_bytes + overhead_bytes;
  }
};

struct PlanResult {
  bool valid = false;                   // false: an impossible configuration (see problems)
  std::vector<std::string> problems;    // why it is impossible, one sentence each
  std::vector<std::string> notes;       // assumptions and which numbers are measured vs published
  ParallelPlan plan;                    // as evaluated (dp resolved)
  int gpus = 0;
  double params_total = 0;
  double params_active = 0;
  double params_mtp = 0;        // multi-token-prediction modules, trained with the model, in neither count
  double tokens_per_step = 0;
  double model_flops_per_step = 0;      // 6*N_active*tokens + attention, no recomputation
  double hardware_flops_per_step = 0;   // what the GPUs execute, recomputation included
  double step_time_s = 0;
  double tokens_per_second = 0;
  double tflops_per_gpu = 0;            // model FLOPs per GPU per second / 1e12
  double mfu = 0;                       // against the bf16 dense peak
  double hfu = 0;                       // hardware FLOPs against the bf16 dense peak
  double mfu_fp8 = 0;                   // against the fp8 dense peak (0 if the GPU has none)
  int microbatches = 0;                 // per pipeline per step
  double pipeline_bubble_fraction = 0;  // bubble / (step time)
  // Transformer layers held by the first, the busiest middle, and the last pipeline stage.
  int stage_layers_first = 0, stage_layers_middle = 0, stage_layers_last = 0;
  int busiest_pipeline_rank = 0;        // the rank that sets the micro-batch's time (PipelineStages)
  StepBreakdown breakdown;
  MemoryBreakdown memory;
  double memory_per_gpu_gib = 0;
  double memory_capacity_gib = 0;
  double memory_headroom_gib = 0;   // left free by request: fits means memory <= capacity - headroom
  // Activation offloading (activation_offload.hpp): host memory per GPU the offloaded activations
  // take, against the GPU file's host memory. A plan fits when both memories hold what they must.
  double host_memory_gib = 0;
  double host_memory_capacity_gib = 0;
  bool fits_in_memory = false;           // in HBM (less the headroom) and, when offloading, in host memory
  bool fits_in_device_memory = false;    // in HBM less the headroom alone
  double time_to_train_days = 0;        // failure-free, at this step time
};

}  // namespace trainplan
