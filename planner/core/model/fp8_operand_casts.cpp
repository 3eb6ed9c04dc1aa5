#include "planner/core/model/fp8_operand_casts.hpp"

namespace trainplan {

namespace {
constexpr double kCastTransposeBytes = 4.0;  // read bf16 (2), write fp8 as is (1) and transposed (1)
constexpr double kFp8TransposeBytes = 2.0;   // read fp8 (1), write its transpose (1)
constexpr double kCastBytes = 3.0;           // read bf16 (2), write fp8 (1)
constexpr double kNormFp8SavingBytes = 1.0;  // a fused norm writes fp8 (1) where bf16 (2) is counted
constexpr double kAmaxReadBytes = 2.0;       // current scaling: the amax kernel reads the bf16 tensor once
constexpr double kCurrentScalingKernels = 2.0;  // the amax and the scale-from-amax kernels
}  // namespace

Fp8CastBytes fp8_operand_cast_bytes(const LayerWork& w, const ParallelPlan& plan) {
  Fp8CastBytes c;
  const bool routed = w.router.flops() > 0;   // an MoE layer: mlp_up/mlp_down are the routed experts
  const bool mla = w.mla_down.flops() > 0;
  const double tp = plan.tp;
  const bool sp = plan.sequence_parallel && plan.tp > 1;
  const bool current = plan.fp8_scaling == Fp8Scaling::current;
  const double amax_bytes = current ? kAmaxReadBytes : 0.0;
  const double amax_kernels = current ? kCurrentScalingKernels : 0.0;
  const double norm_rows_share = sp ? 1.0 / tp : 1.0;  // the norm runs on its own rows under SP
  // Inputs fused with the norm in front of them (the two norms the layer's elementwise traffic counts).
  auto norm_fused = [&](const GemmShape* g) { return (g == &w.qkv && !mla) || (g == &w.mlp_up && !routed); };
  // Column-parallel GEMMs whose input is all-gathered over TP under sequence parallelism (the routed
  // experts' tokens arrive through the dispatcher instead; MLA's projections are left as costed before).
  auto gathered_input = [&](const GemmShape* g) {
    return sp && ((g == &w.qkv && !mla) || g == &w.shared_up || (g == &w.mlp_up && !routed));
  };
  // Row-parallel GEMMs whose output gradient is all-gathered under sequence parallelism.
  auto gathered_gradient = [&](const GemmShape* g) {
    return sp && (g == &w.out_proj || g == &w.shared_down || (g == &w.mlp_down && !routed));
  };
  for (const GemmShape* g : {&w.qkv, &w.out_proj, &w.mlp_up, &w.mlp_down, &w.shared_up, &w.shared_down, &w.mla_down, &w.mla_kv_up}) {
    if (g->flops() <= 0) continue;
    const double inputs = g->m * g->k * g->batch;
    const double gradients = g->m * g->n * g->batch;
    if (norm_fused(g)) {
      if (current) {
        // The norm writes bf16 with its amax folded in; scale, then cast its rows (read 2, write 1).
        c.forward_bytes += kCastBytes * inputs * norm_rows_share;
        c.forward_kernels += kCurrentScalingKernels;
      } else {
        c.forward_bytes -= kNormFp8SavingBytes * inputs * norm_rows_share;
      }
      c.backward_bytes += kFp8TransposeBytes * inputs;
      c.backward_kernels += 1;
    } else {
      c.forward_bytes += (kCastTransposeBytes + amax_bytes) * inputs;
      c.forward_kernels += 1 + amax_kernels;
    }
    if (current && gathered_input(g)) ++c.tp_amax_reductions_forward;
    if (gathered_gradient(g)) {
      // With TP overlap the local shard is cast into the fp8 all-gather buffer; without, the gathered
      // bf16 tensor is cast. Either way the gathered fp8 gradient is transposed for the weight gradient.
      const double cast_share = plan.tp_overlap ? 1.0 / tp : 1.0;
      c.backward_bytes += (kCastBytes + amax_bytes) * cast_share * gradients + kFp8TransposeBytes * gradients;
      c.backward_kernels += 2 + amax_kernels;
      if (current) ++c.tp_amax_reductions_backward;  // row-parallel output gradient under SP
    } else {
      c.backward_bytes += (kCastTransposeBytes + amax_bytes) * gradients;
      c.backward_kernels += 1 + amax_kernels;
    }
  }
  return c;
}

}  // namespace trainplan
