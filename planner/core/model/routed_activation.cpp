#include "planner/core/model/routed_activation.hpp"

namespace trainplan {

namespace {
constexpr double kBf16Bytes = 2.0;
constexpr double kFp8TileBytes = 1.0 + 4.0 / 128.0;  // one byte per value + one fp32 scale per 128 values
constexpr double kFp8CastBytes = 4.0;  // read bf16, write fp8 as is and transposed (layer_time.cpp's casts)

double kept_input_bytes(const ParallelPlan& plan) { return plan.moe_act_input_fp8 ? kFp8TileBytes : kBf16Bytes; }
}  // namespace

double routed_activation_bytes_per_row(const ParallelPlan& plan, double matrices_up, double gemm_input_bytes) {
  return kept_input_bytes(plan) * matrices_up + (plan.moe_act_recompute ? 0.0 : gemm_input_bytes);
}

void add_routed_activation_work(LayerWork& w, const ParallelPlan& plan, double routed_ffn_elements, double matrices_up) {
  if (routed_ffn_elements <= 0 || plan.recompute == Recompute::full) return;  // full recompute keeps nothing of it
  if (plan.moe_act_input_fp8) {
    w.elementwise_bytes += routed_ffn_elements * matrices_up * (kBf16Bytes + kFp8TileBytes);
    w.elementwise_kernels += 1;
  }
  if (plan.moe_act_recompute) {
    // Read the kept input, write the output in bf16; under fp8 cast it for the weight gradient.
    const double cast = plan.precision == Precision::fp8 ? kFp8CastBytes : 0.0;
    w.moe_act_recompute_bytes = routed_ffn_elements * (matrices_up * kept_input_bytes(plan) + kBf16Bytes + cast);
  }
}

}  // namespace trainplan
