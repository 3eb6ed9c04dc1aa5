#include "planner/core/model/fp8_split_accumulator.hpp"

namespace trainplan {

double fp8_backward_gemm_slowdown(const ParallelPlan& plan, const GpuSpec& gpu) {
  if (plan.precision != Precision::fp8 || gpu.fp8_dense_tflops <= 0) return 1.0;
  if (plan.fp8_scaling == Fp8Scaling::blockwise) return 1.0;
  return kFp8SplitAccumulatorSlowdown;
}

}  // namespace trainplan
