#include "planner/core/model/gemm_time.hpp"

#include <algorithm>

namespace trainplan {

double peak_flops_per_s(const GpuSpec& gpu, Precision precision) {
  if (precision == Precision::fp8 && gpu.fp8_dense_tflops > 0) return gpu.fp8_dense_tflops * 1e12;
  return gpu.bf16_dense_tflops * 1e12;
}

double achieved_hbm_bytes_per_s(const GpuSpec& gpu, const PerformanceProfile& profile) {
  return gpu.hbm_tb_s * 1e12 * profile.hbm_fraction;
}

double gemm_efficiency(double flops, Precision precision, const GpuSpec& gpu, const PerformanceProfile& profile) {
  const bool fp8 = precision == Precision::fp8 && gpu.fp8_dense_tflops > 0 && !profile.gemm_fp8_fraction_by_flops.empty();
  const SizeCurve& curve = fp8 ? profile.gemm_fp8_fraction_by_flops : profile.gemm_bf16_fraction_by_flops;
  // Beyond the curve's ends interpolate() is conservative: small GEMMs scale down with size.
  return interpolate(curve, flops).value;
}

double gemm_seconds(const GemmShape& shape, Precision precision, const GpuSpec& gpu,
                    const PerformanceProfile& profile, const Calibration& calibration) {
  const double flops = shape.flops();
  if (flops <= 0) return 0.0;
  const double efficiency = std::max(1e-3, gemm_efficiency(flops, precision, gpu, profile));
  const double compute_s = flops / (peak_flops_per_s(gpu, precision) * efficiency);
  // Operands in the compute dtype (fp8: one byte), output in bf16.
  const double input_bytes = precision == Precision::fp8 && gpu.fp8_dense_tflops > 0 ? 1.0 : 2.0;
  const double bytes = shape.batch * ((shape.m * shape.k + shape.k * shape.n) * input_bytes + shape.m * shape.n * 2.0);
  const double memory_s = bytes / achieved_hbm_bytes_per_s(gpu, profile);
  return std::max(compute_s, memory_s) / calibration.sustained_kernel_fraction + calibration.kernel_overhead_s;
}

}  // namespace trainplan
