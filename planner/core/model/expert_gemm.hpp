#pragma once
// The routed experts' GEMMs: one grouped launch over this GPU's experts (DeepGEMM's contiguous
// layout, Transformer Engine's grouped linear layer), each expert a GEMM of its tokens x the expert's
// width x the hidden size. Two effects the square-GEMM curve (gemm_time.hpp) does not see:
// - tile rows: each expert's tokens are rounded up to the 128-row M tile that Hopper's grouped
//   kernels align every expert's segment to; with loads varying from expert to expert, half a tile
//   per expert on average, and a whole tile when an expert has fewer tokens than that;
// - tile depth: a tile's fixed cost (pipeline fill; epilogue: scaling and the bf16 output tile written
//   back) is amortised over its K loop, so a tile of depth k runs at k / (k + fixed_k) of the deep-K
//   rate (the profile's tile_fixed_k, per precision). Narrow experts make the down projection's K
//   (expert width) and the up projection's data gradient shallow; few tokens per expert make the
//   weight gradient's K (the expert's tokens) shallow.
// Efficiency: the square curve at the launch's total FLOPs (ramp-up, wave tails), times the depth
// factor of the actual K over that of the square GEMM of the same FLOPs the curve was measured on,
// capped at the curve's plateau. Without a tile_fixed_k figure the depth factor is 1.
#include "planner/core/calibration.hpp"
#include "planner/core/gpu_spec.hpp"
#include "planner/core/model/gemm_time.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/performance_profile.hpp"

namespace trainplan {

// Rows one expert's segment occupies in the grouped launch for `tokens` routed to it (see above).
double expert_tile_rows(double tokens);

// Fraction of peak one grouped launch of `flops` (padded) FLOPs with tiles of depth `k` reaches.
double expert_gemm_efficiency(double flops, double k, Precision precision, const GpuSpec& gpu,
                              const PerformanceProfile& profile);

struct ExpertGemmTimes {
  double forward_s = 0;
  double backward_s = 0;  // data gradient (depth: the output width) + weight gradient (depth: the tokens)
};

// `forward`: m = tokens per expert, n = output width, k = input width, batch = experts in the launch.
ExpertGemmTimes expert_gemm_times(const GemmShape& forward, Precision precision, const GpuSpec& gpu,
                                  const PerformanceProfile& profile, const Calibration& calibration);

}  // namespace trainplan
