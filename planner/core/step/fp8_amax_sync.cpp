#include "planner/core/step/fp8_amax_sync.hpp"

#include <algorithm>

#include "planner/core/network/collective_seconds.hpp"
#include "planner/core/network/group_layout.hpp"

namespace trainplan {

Fp8AmaxSync fp8_amax_sync(const Scenario& sc, const ParallelPlan& plan, double chunk_gemms, int microbatches) {
  Fp8AmaxSync s;
  if (plan.precision != Precision::fp8 || plan.fp8_scaling != Fp8Scaling::delayed) return s;
  s.group_ranks = plan.fp8_amax_reduce_dp ? plan.tp * std::max(1, plan.dp) * plan.cp : plan.tp;
  if (s.group_ranks <= 1) return s;
  // One forward and one backward region per model chunk per micro-batch.
  s.reductions = 2LL * std::max(1, plan.vp) * std::max(1, microbatches);
  // Per GEMM, the forward holds three amaxes (input, weight, output) and the backward two (output
  // gradient, input gradient), fp32 each: the larger, the forward's, is costed for both.
  s.bytes = std::max(1.0, chunk_gemms) * 3.0 * 4.0;
  // Megatron's default rank order puts TP innermost, then CP, then DP: one stage's tp x dp x cp GPUs
  // are contiguous ranks (stride 1); other orders spread them (group_layout.hpp).
  const GroupPlacement group = plan.fp8_amax_reduce_dp ? GroupPlacement{s.group_ranks, group_layout(plan).stage.stride} : group_layout(plan).tensor;
  const double one_s = collective_seconds(sc, Collective::all_reduce, group, s.bytes);
  // Asynchronous (NVTE_ASYNC_AMAX_REDUCTION=1): awaited only when the next region needs the scales, a
  // chunk's compute later, so the latency of each small all-reduce is hidden.
  s.seconds = plan.fp8_amax_reduce_async ? 0.0 : static_cast<double>(s.reductions) * one_s;
  return s;
}

}  // namespace trainplan
