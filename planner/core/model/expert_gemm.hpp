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
// Efficiency: the square curve at the FLOPs of the experts running at once (all of them in one grouped
// launch; see concurrent_experts for one GEMM per expert) (ramp-up, wave tails), times the depth
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

// Experts whose GEMMs run at once. grouped: all of them (one kernel). multi_stream: Transformer
// Engine's GroupedLinear through 2.9 (transformer_engine/common/gemm/cublaslt_gemm.cu,
// multi_stream_cublas_gemm) issues one cuBLAS GEMM per expert, round-robin on its compute streams,
// of which there are 4 (util/multi_stream.cpp, num_compute_streams): at most 4 run at once, and the
// SMs are filled as a launch of those 4 experts' work would fill them. Checked against the one
// published comparison (TE's CUTLASS grouped-GEMM pull request, maintainers' benchmark with TE 2.7,
// CUDA 12.9, H100, bf16): multi-stream cuBLAS 627.9 TFLOP/s for 8 experts of 4096 x 768 x 2048 and
// 553.9 for 16 experts of 2048 tokens (the same FLOPs), CUTLASS's single grouped kernel 650.6 and
// 636.9. With the bundled H100 profile this model gives multi_stream 605 and 571, grouped 632 and 623
// (before the sustained fraction; tests/core/expert_gemm_test.cpp pins them within 5% of the published).
constexpr double kTransformerEngineComputeStreams = 4.0;
double concurrent_experts(double local_experts, ExpertGemmLaunch launch);

// `forward`: m = tokens per expert, n = output width, k = input width, batch = experts in the launch.
ExpertGemmTimes expert_gemm_times(const GemmShape& forward, Precision precision, const GpuSpec& gpu,
                                  const PerformanceProfile& profile, const Calibration& calibration,
                                  ExpertGemmLaunch launch = ExpertGemmLaunch::grouped);

}  // namespace trainplan
