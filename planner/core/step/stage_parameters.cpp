#include "planner/core/step/stage_parameters.hpp"

#include <algorithm>

namespace trainplan {

StageParameters stage_parameters(const ModelShape& model, const ParameterCount& params, const ParallelPlan& plan,
                                 const PipelineStages& stages) {
  const StageLayers& stage_layers = stages.layers;
  const int dense_first = stages.dense.first, dense_middle = stages.dense.middle, dense_last = stages.dense.last;
  const double expert_shards = static_cast<double>(plan.routed_expert_tp()) * plan.ep;
  const double shared_mlp = model.is_moe() ? params.moe_mlp_per_layer - model.moe.routed_experts * expert_parameters(model, model.moe.expert_ffn) : 0.0;
  const double routed_mlp = model.is_moe() ? model.moe.routed_experts * expert_parameters(model, model.moe.expert_ffn) : 0.0;
  const double layer_common = params.attention_per_layer + params.norms_per_layer;
  auto stage_common = [&](int layers_in_stage, double dense_layers) {
    return dense_layers * (layer_common + params.dense_mlp_per_layer) + (layers_in_stage - dense_layers) * (layer_common + shared_mlp);
  };
  // The multi-token-prediction modules live on the last stage (with the head they share).
  const double mtp_experts = model.is_moe() ? model.mtp_layers * routed_mlp / expert_shards : 0.0;
  const double mtp_common = (params.mtp - (model.is_moe() ? model.mtp_layers * routed_mlp : 0.0)) / plan.tp;
  const double first_common = (stage_common(stage_layers.first, model.is_moe() ? dense_first : stage_layers.first) +
                               params.embedding + (plan.pp == 1 ? params.output_head + params.final_norm : 0.0)) / plan.tp +
                              (plan.pp == 1 ? mtp_common : 0.0);
  const double last_common =
      (stage_common(stage_layers.last, model.is_moe() ? dense_last : stage_layers.last) +
       params.final_norm + (plan.pp == 1 ? params.embedding : 0.0) +
       (model.tied_embeddings && plan.pp > 1 ? params.embedding : params.output_head)) / plan.tp + mtp_common;
  StageParameters s;
  // The embedding and the output head: no fp8 GEMM reads them (memory_model.cpp).
  const double head = model.tied_embeddings && plan.pp > 1 ? params.embedding : params.output_head;
  s.first_unquantized = (params.embedding + (plan.pp == 1 ? head : 0.0)) / plan.tp;
  s.last_unquantized = (head + (plan.pp == 1 ? params.embedding : 0.0)) / plan.tp;
  s.first_experts = (model.is_moe() ? (stage_layers.first - dense_first) * routed_mlp / expert_shards : 0.0) +
                    (plan.pp == 1 ? mtp_experts : 0.0);
  s.last_experts = (model.is_moe() ? (stage_layers.last - dense_last) * routed_mlp / expert_shards : 0.0) + mtp_experts;
  const bool first_is_larger = first_common + s.first_experts >= last_common + s.last_experts;
  s.largest = first_is_larger ? first_common + s.first_experts : last_common + s.last_experts;
  s.largest_experts = first_is_larger ? s.first_experts : s.last_experts;
  s.first = first_common + s.first_experts;
  s.last = last_common + s.last_experts;
  s.moe_middle_stage = model.is_moe() && plan.pp > 2;
  s.middle_experts = s.moe_middle_stage ? (stage_layers.middle - dense_middle) * routed_mlp / expert_shards : 0.0;
  s.middle = s.moe_middle_stage ? stage_common(stage_layers.middle, dense_middle) / plan.tp + s.middle_experts : 0.0;
  if (s.middle > s.largest) {
    s.largest = s.middle;
    s.largest_experts = s.middle_experts;
  }
  const bool has_dense_layers = !model.is_moe() || dense_first + dense_middle + dense_last > 0;
  const double dense_layer = has_dense_layers ? (layer_common + params.dense_mlp_per_layer) / plan.tp : 0.0;
  const double moe_layer = model.is_moe() ? (layer_common + shared_mlp) / plan.tp + routed_mlp / expert_shards : 0.0;
  s.largest_layer = std::max(dense_layer, moe_layer);
  // The parameters outside the layers form one unit per stage, the root: FSDP (torchtitan wraps each
  // block, then the whole model) and Megatron-FSDP (TransformerLayer units, the rest in the root) wrap
  // them so. With pp = 1 the root is the embedding, the final norm and the head together.
  const double first_root = (params.embedding + (plan.pp == 1 ? params.output_head + params.final_norm : 0.0)) / plan.tp;
  const double last_root = (head + params.final_norm + (plan.pp == 1 ? params.embedding : 0.0)) / plan.tp;
  s.first_unit = std::max(s.largest_layer, first_root);
  s.last_unit = std::max(s.largest_layer, last_root);
  return s;
}

}  // namespace trainplan
