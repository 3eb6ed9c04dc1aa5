#pragma once
// What compute time is made of (a layer's for one micro-batch, or a step's on its busiest stage):
// the GEMMs (projections, MLP or routed and shared experts, router), the attention core (fused, or
// materialized GEMMs and softmax), memory-bound kernels (norms, residuals, activations, rotary, MoE
// permutation and router passes, optimizer-free), fp8 operand casts, and on the last stage the output
// head and multi-token-prediction modules. Forward, backward and recomputation together.
namespace trainplan {

struct ComputeParts {
  double gemm_s = 0;
  double attention_s = 0;
  double memory_bound_s = 0;
  double fp8_cast_s = 0;
  double head_s = 0;  // output head (logits and loss) and MTP modules; 0 on a layer
  double total() const { return gemm_s + attention_s + memory_bound_s + fp8_cast_s + head_s; }
  ComputeParts& operator+=(const ComputeParts& o) {
    gemm_s += o.gemm_s, attention_s += o.attention_s, memory_bound_s += o.memory_bound_s, fp8_cast_s += o.fp8_cast_s,
        head_s += o.head_s;
    return *this;
  }
  ComputeParts scaled(double k) const { return {k * gemm_s, k * attention_s, k * memory_bound_s, k * fp8_cast_s, k * head_s}; }
};

}  // namespace trainplan
