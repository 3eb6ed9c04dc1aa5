#pragma once
// Time of one (batched) GEMM on one GPU: a roofline of tensor throughput (peak x a size-dependent
// efficiency curve) against HBM traffic, plus a fixed per-kernel overhead.
#include "planner/core/calibration.hpp"
#include "planner/core/gpu_spec.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/performance_profile.hpp"

namespace trainplan {

struct GemmShape {
  double m = 0, n = 0, k = 0;
  double batch = 1;  // independent GEMMs of this shape in one kernel (batched attention)
  double flops() const { return 2.0 * m * n * k * batch; }
};

// Peak dense tensor throughput for the precision (FLOP/s). fp8 falls back to bf16 on GPUs without it.
double peak_flops_per_s(const GpuSpec& gpu, Precision precision);
// Achieved HBM bandwidth, bytes/s.
double achieved_hbm_bytes_per_s(const GpuSpec& gpu, const PerformanceProfile& profile);
// Fraction of peak a GEMM of this many FLOPs reaches (the profile's curve for the precision).
double gemm_efficiency(double flops, Precision precision, const GpuSpec& gpu, const PerformanceProfile& profile);

double gemm_seconds(const GemmShape& shape, Precision precision, const GpuSpec& gpu,
                    const PerformanceProfile& profile, const Calibration& calibration);

}  // namespace trainplan
