#include "planner/core/step/step_flops.hpp"

namespace trainplan {

double model_flops_per_token(const ModelShape& m, const ParameterCount& p, double seq_len) {
  const double head_dims = m.attention == AttentionKind::mla
                               ? static_cast<double>(m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim + m.mla.v_head_dim)
                               : 2.0 * static_cast<double>(m.effective_head_dim());
  return 6.0 * p.active_matmul + 6.0 * m.layers * m.heads * seq_len * head_dims * m.attention_pair_fraction(seq_len);
}

StepFlops step_flops(const ModelShape& model, const ParameterCount& params, const ParallelPlan& plan, double recomputed_share,
                     double tokens) {
  StepFlops f;
  f.model = model_flops_per_token(model, params, plan.seq_len) * tokens;
  double recompute_flops = 0;
  if (plan.recompute == Recompute::full) {
    recompute_flops = recomputed_share *
                      (f.model / 3.0 - 2.0 * static_cast<double>(model.vocab) * static_cast<double>(model.hidden) * tokens);
  } else if (plan.recompute == Recompute::selective &&
             (model.attention != AttentionKind::mla || plan.attention_kernel == AttentionKernel::materialized)) {
    // The attention core's forward runs again (layer_time.cpp), fused kernel or not.
    const double attention_forward_per_token = model_flops_per_token(model, ParameterCount{}, plan.seq_len) / 3.0;
    recompute_flops = attention_forward_per_token * tokens;
  }
  // Multi-token prediction is work the hardware does but not the model's FLOPs (MFU counts the
  // main model, as its published active parameters do): a 6N-per-token matmul term plus attention.
  double mtp_flops = 0;
  if (model.mtp_layers > 0) {
    ModelShape one_layer = model;
    one_layer.layers = model.mtp_layers;
    mtp_flops = (6.0 * params.mtp_active_matmul + model_flops_per_token(one_layer, ParameterCount{}, plan.seq_len)) * tokens;
  }
  f.hardware = f.model + recompute_flops + mtp_flops;
  return f;
}

}  // namespace trainplan
