#pragma once
// The memory-bound passes an fp8 layer adds to bring its GEMMs' operands into fp8, as Transformer
// Engine's modules (Megatron-Core's TE layer spec) run them, per layer and micro-batch.
//
// Hopper's fp8 GEMMs take one operand layout (TN), so the weight-gradient GEMM needs the input and the
// output gradient transposed in fp8 as well: each costs a cast (read bf16, write fp8) and a transpose.
// - Input of a GEMM fused with the norm before it (TE's LayerNormLinear: the dense layer's QKV and
//   MLP up-projection, the attention's QKV on an MoE layer): the norm writes its output directly in
//   fp8 (1 byte instead of the 2 the norm's bf16 traffic counts, on the norm's own rows: 1/tp of
//   them with sequence parallelism); backward transposes the (all-gathered) fp8 input for the
//   weight gradient (read 1, write 1: 2 bytes per element; TE's fp8_transpose of ln_out_total).
// - Any other GEMM input (attention output, activation output, the routed tokens of the experts,
//   MLA's projections): one cast-transpose kernel, read bf16, write fp8 as is and transposed
//   (4 bytes per element).
// - Output gradient of a row-parallel GEMM under sequence parallelism with TP overlap (the output
//   projection, a dense MLP's and the shared experts' down-projection): the local shard is cast to
//   fp8 into the all-gather buffer (read 2, write 1 on 1/tp of the rows), the gathered fp8 gradient
//   is transposed for the weight gradient (2 bytes per element). Without TP overlap TE gathers in
//   bf16 and casts and transposes the gathered tensor (3 + 2 bytes).
// - Any other output gradient: one cast-transpose kernel (4 bytes per element).
// Weights: Megatron-Core passes is_first_microbatch, so TE casts and transposes each weight once
// per step (with fp8_params, transposes it) and reuses it over the micro-batches: about 2-4 bytes
// per parameter per step, under 0.1% of the dense validation rows' steps; not costed.
// Amax and scale updates (delayed scaling): fused into the cast kernels and one multi-tensor update
// per fp8 region; the amax all-reduce is fp8_amax_sync.hpp.
// Per-tensor current scaling (TE's Float8CurrentScalingQuantizer, Transformer Engine 2.x,
// transformer_engine/pytorch/csrc/quantizer.cpp, quantize_impl) needs the tensor's amax before it can
// cast: one more kernel reads the whole bf16 tensor (2 bytes per element), a second turns the amax into
// the scale, then the cast runs as above. A norm in front of the GEMM cannot write fp8 (its scale is
// not known until the norm's output is complete): it writes bf16 and folds the amax into its own
// kernel (csrc/extensions/normalization.cpp, FUSED_NORM_AMAX_FP8), and the output is then cast (read 2,
// write 1 on the norm's rows). Megatron-Core runs the MLP's activation itself, between two Transformer
// Engine linears (its default MLP spec; TE's fused MLP only with use_te_op_fuser), so the activation's
// output takes the amax pass like any other input. Under sequence parallelism a column-parallel input's amax (QKV, the
// dense MLP's up-projection) and a row-parallel output gradient's (output projection, dense MLP down)
// are all-reduced (MAX) over the tensor-parallel group before the cast (with_amax_reduction, set in
// the modules' _customize_quantizers_float8_current_scaling): a small collective on the compute
// stream, counted here and costed in layer_time.cpp.
#include "planner/core/model/layer_work.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

struct Fp8CastBytes {
  double forward_bytes = 0;   // HBM bytes of the forward pass's casts (net of the fused norms' saving)
  double backward_bytes = 0;  // of the backward pass's casts and transposes
  double forward_kernels = 0;   // cast (and, with current scaling, amax and scale) kernels of the forward
  double backward_kernels = 0;  // of the backward
  // Current scaling under sequence parallelism: the amax all-reduces over the tensor-parallel group.
  int tp_amax_reductions_forward = 0;
  int tp_amax_reductions_backward = 0;
};

// The cast traffic of one layer's fp8 GEMMs (above). Call only for plans that run in fp8.
Fp8CastBytes fp8_operand_cast_bytes(const LayerWork& w, const ParallelPlan& plan);

}  // namespace trainplan
