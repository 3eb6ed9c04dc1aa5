#pragma once
// The GEMM shapes the gemm probe measures: from a model (the planner's per-layer shapes for a given
// tp, micro-batch and sequence length, forward and both backward GEMMs), a list, or a grid.
// Convention (as planner/core/layer_work): D[m x n] = A[m x k] * B[k x n], m = tokens for forward.
#include <cstdint>
#include <string>
#include <vector>

#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan::probe {

struct GemmCase {
  std::string name;   // "mlp_up.fwd", "4096x4096x4096", ...
  std::int64_t m = 0, n = 0, k = 0;
  double flops() const { return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k); }
};

// "4096x4096x4096,2048x8192x1024" (MxNxK). Throws std::invalid_argument naming the bad item.
std::vector<GemmCase> parse_shape_list(const std::string& text);
// "m=1024,2048;n=4096;k=1024,4096": every combination. Throws std::invalid_argument.
std::vector<GemmCase> parse_shape_grid(const std::string& text);
// Forward, data-gradient and weight-gradient GEMMs of one dense layer and the output head:
// forward (m, n, k); dgrad (m, k, n); wgrad (k, n, m). Identical shapes are kept once.
std::vector<GemmCase> model_gemm_cases(const ModelShape& model, const ParallelPlan& plan);

}  // namespace trainplan::probe
