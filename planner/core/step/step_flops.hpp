#pragma once
// FLOPs of one optimizer step: the model's (the MFU convention, no recomputation) and what the
// hardware executes (recomputation and multi-token prediction included).
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/model/parameter_count.hpp"

namespace trainplan {

// Model FLOPs per token: 6 * (matmul parameters) for forward and backward, plus attention
// 3 * 2 * 2 * s * (qk + v head dims) * heads per layer: the full s^2 score matrix, as Megatron's and
// PaLM's MFU conventions count it (Narayanan et al. 2021 appendix; Chowdhery et al. 2022 appendix B).
double model_flops_per_token(const ModelShape& model, const ParameterCount& params, double seq_len);

struct StepFlops {
  double model = 0;
  double hardware = 0;
};

// `recomputed_share`: the fraction of the layers that full recomputation re-runs (the busiest middle
// stage's); `tokens`: per step.
StepFlops step_flops(const ModelShape& model, const ParameterCount& params, const ParallelPlan& plan, double recomputed_share,
                     double tokens);

}  // namespace trainplan
