#pragma once
// fp8 with delayed scaling synchronises every GPU of a pipeline stage, every micro-batch.
//
// Transformer Engine's DelayedScaling (Megatron-Core's and NeMo's default fp8 recipe) takes each
// tensor's scale from a history of its amaxes; with reduce_amax (its default) the amaxes of an fp8
// region are all-reduced (MAX) over the region's fp8 group when the region's forward ends, and the
// gradients' amaxes when its backward ends. Megatron-Core opens one fp8 region per model chunk's
// forward and passes its amax reduction group: the tensor-, data- and context-parallel GPUs of the
// pipeline stage (parallel_state's tp-dp-cp group). So each micro-batch's forward and backward of
// each chunk ends with a small all-reduce over tp x dp x cp ranks, issued on the compute stream: its
// latency (which grows with the number of nodes the group spans) is on the critical path, 2 x vp x m
// times a step. With fp8_amax_reduce_dp false (Transformer Engine <= 1.5's NVTE_DP_AMAX_REDUCE_INTERVAL=0)
// the group is the tensor-parallel ranks alone; with fp8_amax_reduce_async (NVTE_ASYNC_AMAX_REDUCTION=1)
// the reductions are awaited a chunk later and cost no time on the critical path. Current scaling (per tensor) and blockwise scaling (DeepSeek-V3, MXFP8) reduce no
// amax across data-parallel ranks and pay nothing here. docs/model.md, "Scale effects".
#include "planner/core/parallel_plan.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

struct Fp8AmaxSync {
  long long reductions = 0;   // all-reduces per step on the busiest stage's critical path
  int group_ranks = 0;        // tp x dp x cp (tp without the data-parallel reduction)
  double bytes = 0;           // fp32 amaxes of one region (one chunk's fp8 GEMMs)
  double seconds = 0;         // their time per step
};

// `chunk_gemms`: fp8 GEMMs in one model chunk of the busiest stage; `microbatches` per step.
Fp8AmaxSync fp8_amax_sync(const Scenario& scenario, const ParallelPlan& plan, double chunk_gemms, int microbatches);

}  // namespace trainplan
