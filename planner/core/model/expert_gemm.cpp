#include "planner/core/model/expert_gemm.hpp"

#include <algorithm>
#include <cmath>

namespace trainplan {

namespace {
constexpr double kTileRows = 128.0;  // BLOCK_M of Hopper grouped GEMMs (DeepGEMM's M alignment)

bool runs_fp8(Precision precision, const GpuSpec& gpu) { return precision == Precision::fp8 && gpu.fp8_dense_tflops > 0; }

double depth_factor(double k, double fixed_k) { return fixed_k > 0 && k > 0 ? k / (k + fixed_k) : 1.0; }

// One grouped launch: `groups` GEMMs of rows x cols output and depth `depth`; rows_are_tokens /
// depth_is_tokens say which of them count tokens (padded to the tile) rather than weight dimensions.
// `concurrent` of the groups run at once and set the efficiency (concurrent_experts).
double launch_seconds(double groups, double concurrent, double rows, double cols, double depth, bool rows_are_tokens,
                      bool depth_is_tokens, Precision precision, const GpuSpec& gpu, const PerformanceProfile& profile,
                      const Calibration& cal) {
  if (groups <= 0 || rows <= 0 || cols <= 0 || depth <= 0) return 0.0;
  const double padded_rows = rows_are_tokens ? expert_tile_rows(rows) : rows;
  const double padded_depth = depth_is_tokens ? expert_tile_rows(depth) : depth;
  const double flops = 2.0 * groups * padded_rows * cols * padded_depth;
  const double running_flops = flops * std::min(groups, concurrent) / groups;
  const double efficiency = std::max(1e-3, expert_gemm_efficiency(running_flops, padded_depth, precision, gpu, profile));
  const double compute_s = flops / (peak_flops_per_s(gpu, precision) * efficiency);
  const double input_bytes = runs_fp8(precision, gpu) ? 1.0 : 2.0;
  const double bytes = groups * ((rows * depth + depth * cols) * input_bytes + rows * cols * 2.0);
  const double memory_s = bytes / achieved_hbm_bytes_per_s(gpu, profile);
  return std::max(compute_s, memory_s) / cal.sustained_kernel_fraction + cal.kernel_overhead_s;
}
}  // namespace

double expert_tile_rows(double tokens) {
  if (tokens <= 0) return 0.0;
  return std::max(kTileRows, tokens + kTileRows / 2.0);
}

double expert_gemm_efficiency(double flops, double k, Precision precision, const GpuSpec& gpu,
                              const PerformanceProfile& profile) {
  const double square = gemm_efficiency(flops, precision, gpu, profile);
  const bool fp8 = runs_fp8(precision, gpu) && !profile.gemm_fp8_fraction_by_flops.empty();
  const double fixed_k = fp8 ? profile.gemm_fp8_tile_fixed_k : profile.gemm_bf16_tile_fixed_k;
  if (!(fixed_k > 0)) return square;
  const double square_edge = std::cbrt(flops / 2.0);
  const double plateau = gemm_efficiency(1e30, precision, gpu, profile);
  return std::min(plateau, square * depth_factor(k, fixed_k) / depth_factor(square_edge, fixed_k));
}

double concurrent_experts(double local_experts, ExpertGemmLaunch launch) {
  return launch == ExpertGemmLaunch::multi_stream ? std::min(local_experts, kTransformerEngineComputeStreams) : local_experts;
}

ExpertGemmTimes expert_gemm_times(const GemmShape& g, Precision precision, const GpuSpec& gpu,
                                  const PerformanceProfile& profile, const Calibration& cal, ExpertGemmLaunch launch) {
  ExpertGemmTimes t;
  if (g.flops() <= 0) return t;
  const double at_once = concurrent_experts(g.batch, launch);
  // Forward: [tokens x k] . [k x n]. Data gradient: [tokens x n] . [n x k]. Weight gradient:
  // [k x tokens] . [tokens x n], K-grouped over the experts (its depth is the expert's tokens).
  t.forward_s = launch_seconds(g.batch, at_once, g.m, g.n, g.k, true, false, precision, gpu, profile, cal);
  t.backward_s = launch_seconds(g.batch, at_once, g.m, g.k, g.n, true, false, precision, gpu, profile, cal) +
                 launch_seconds(g.batch, at_once, g.k, g.n, g.m, false, true, precision, gpu, profile, cal);
  return t;
}

}  // namespace trainplan
