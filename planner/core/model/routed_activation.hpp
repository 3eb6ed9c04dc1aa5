#pragma once
// The routed experts' activation (SwiGLU or GeLU between the up- and down-projections) as a
// recipe keeps it for backward: its input in bf16 or fp8, its output kept or re-run in backward.
//
// - Default: the activation input (bf16) and its output, the down-projection's input (bf16, or
//   fp8 under fp8 training as every GEMM input).
// - moe_act_recompute: the output is not kept; backward re-runs the activation from the kept input
//   (Megatron-Core's recompute_modules "moe_act"; DeepSeek-V3 report section 3.3.3, "we cache the
//   inputs of the SwiGLU operator and recompute its output in the backward pass"). Under fp8 the
//   re-run output is cast to fp8 again for the down-projection's weight-gradient GEMM.
// - moe_act_input_fp8: the kept input is fp8 with one fp32 scale per 128 values (DeepSeek-V3 section
//   3.3.3: "these activations are also stored in FP8 with our fine-grained quantization method"),
//   at the cost of one quantizing pass in forward (read bf16, write fp8 + scales).
#include "planner/core/model/layer_work.hpp"

namespace trainplan {

// Bytes kept per routed row and per unit of the expert's (local) ffn width: the activation input
// (`matrices_up` values) and, unless recomputed, the down-projection's input (gemm_input_bytes).
double routed_activation_bytes_per_row(const ParallelPlan& plan, double matrices_up, double gemm_input_bytes);

// Adds to `w` the forward quantizing pass (moe_act_input_fp8) and the backward re-run
// (moe_act_recompute, LayerWork::moe_act_recompute_bytes) for `routed_ffn_elements` elements of
// the activation's output (routed rows x local expert ffn width).
void add_routed_activation_work(LayerWork& w, const ParallelPlan& plan, double routed_ffn_elements, double matrices_up);

}  // namespace trainplan
