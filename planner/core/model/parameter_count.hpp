#pragma once
// Parameter counts of a transformer, per part, total and active (MoE: per token).
#include "planner/core/model_shape.hpp"

namespace trainplan {

struct ParameterCount {
  double attention_per_layer = 0;     // Q, K, V, O projections (+ biases, MLA low-rank parts, norms)
  double dense_mlp_per_layer = 0;     // a dense MLP (+ biases)
  double moe_mlp_per_layer = 0;       // router + all routed + shared experts
  double moe_active_per_layer = 0;    // router + top_k routed + shared experts
  double norms_per_layer = 0;
  double embedding = 0;               // token (+ learned position) embedding
  double output_head = 0;             // unembedding (0 when tied)
  double final_norm = 0;
  double total = 0;
  double active = 0;                  // parameters a token passes through (== total for dense)
  // Parameters in matrices a token multiplies through (no embedding lookup, no norms): 6*this*tokens
  // is the GEMM part of the model FLOPs.
  double active_matmul = 0;
  // Multi-token-prediction modules (ModelShape::mtp_layers): their own layers, norms and 2h -> h
  // projections (the embedding and output head are shared). Not in total or active, as published
  // totals leave them out (DeepSeek-V3: 671B without its 14B MTP module).
  double mtp = 0;
  double mtp_active_matmul = 0;       // the part a token multiplies through, for hardware FLOPs
};

ParameterCount count_parameters(const ModelShape& model);

// Parameters of one expert (gated: 3*h*f, plain: 2*h*f, + biases).
double expert_parameters(const ModelShape& model, std::int64_t ffn_width);

}  // namespace trainplan
