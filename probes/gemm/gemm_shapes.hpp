#pragma once
// The GEMM shapes the gemm probe measures: from a model (the planner's per-layer shapes for a given
// tp, micro-batch and sequence length, forward and both backward GEMMs), a list, or a grid.
// Convention (as planner/core/model/layer_work): D[m x n] = A[m x k] * B[k x n], m = tokens for forward.
#include <cstdint>
#include <string>
#include <vector>

#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan::probe {

struct GemmCase {
  std::string name;   // "mlp_up.fwd", "4096x4096x4096", ...
  std::int64_t m = 0, n = 0, k = 0;
  // GEMMs of this shape per layer and pass: the experts on one GPU for a routed expert's grouped
  // GEMM (the planner times each at its own size, planner/core/model/layer_time), else 1.
  std::int64_t per_layer = 1;
  // cuBLAS operand layout of a bf16 training GEMM (column-major, D = op(A) op(B)): the forward pass
  // and listed/grid shapes "TN", the data gradient "NN", the weight gradient "NT", as PyTorch and
  // Megatron call them. fp8 on Hopper runs every GEMM as TN (the framework transposes its data).
  std::string layout = "TN";
  double flops() const { return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k); }
};

// "4096x4096x4096,2048x8192x1024" (MxNxK). Throws std::invalid_argument naming the bad item.
std::vector<GemmCase> parse_shape_list(const std::string& text);
// "m=1024,2048;n=4096;k=1024,4096": every combination. Throws std::invalid_argument.
std::vector<GemmCase> parse_shape_grid(const std::string& text);
// Forward, data-gradient and weight-gradient GEMMs of every GEMM the planner times for one layer
// (planner/core/model/layer_work, moe_layer), and of the output head: forward (m, n, k); dgrad (m, k, n);
// wgrad (k, n, m). Dense models: qkv, out_proj, mlp_up, mlp_down. Multi-head latent attention adds
// mla_down and mla_kv_up. Mixture-of-experts models: router, one routed expert's expert_up and
// expert_down (m = the tokens the busiest local expert receives), shared_up and shared_down, and
// the dense mlp_up, mlp_down of leading dense layers. Identical shapes are kept once.
std::vector<GemmCase> model_gemm_cases(const ModelShape& model, const ParallelPlan& plan);

// The planner's own plan check (planner/core/plan_check) for the parts of `plan` the shapes depend
// on: tp, cp, ep, expert_tp, micro-batch, seq-len. Empty when the shapes are possible.
std::vector<std::string> gemm_plan_problems(const ModelShape& model, const ParallelPlan& plan);

}  // namespace trainplan::probe
