#include "planner/core/model/parameter_count.hpp"

namespace trainplan {

double expert_parameters(const ModelShape& model, std::int64_t ffn_width) {
  const double h = static_cast<double>(model.hidden);
  const double f = static_cast<double>(ffn_width);
  // Gated MLPs (SwiGLU) have gate, up and down matrices; plain ones up and down.
  const double matrices = model.mlp == MlpKind::swiglu ? 3.0 : 2.0;
  const double biases = model.linear_biases ? f * (matrices - 1.0) + h : 0.0;
  return matrices * h * f + biases;
}

static double attention_parameters(const ModelShape& m) {
  const double h = static_cast<double>(m.hidden);
  if (m.attention == AttentionKind::mla) {
    // DeepSeek-V2/V3 MLA: Q = W_uq(norm(W_dq x)) (or W_q x without q_lora), joint KV latent
    // c = W_dkv x (+ a shared rope key), K_nope, V = W_uk, W_uv applied to norm(c); output W_o.
    const double heads = m.heads;
    const double qk_head = static_cast<double>(m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim);
    const double q_lora = static_cast<double>(m.mla.q_lora_rank);
    const double kv_lora = static_cast<double>(m.mla.kv_lora_rank);
    const double q = q_lora > 0 ? h * q_lora + q_lora + q_lora * heads * qk_head : h * heads * qk_head;
    const double kv = h * (kv_lora + static_cast<double>(m.mla.qk_rope_head_dim)) + kv_lora +
                      kv_lora * heads * static_cast<double>(m.mla.qk_nope_head_dim + m.mla.v_head_dim);
    const double o = heads * static_cast<double>(m.mla.v_head_dim) * h;
    return q + kv + o;
  }
  const double d = static_cast<double>(m.effective_head_dim());
  const double q_width = m.heads * d;
  const double kv_width = m.kv_heads * d;
  const double weights = h * q_width + 2.0 * h * kv_width + q_width * h;
  const double biases = m.linear_biases ? q_width + 2.0 * kv_width + h : 0.0;
  // Open-family extras: Qwen2's biases on q, k, v (not the output); query/key RMSNorm scales.
  const double qkv_biases = m.qkv_biases && !m.linear_biases ? q_width + 2.0 * kv_width : 0.0;
  const double qk_norm = m.qk_norm == QkNorm::per_head ? 2.0 * d : m.qk_norm == QkNorm::full_width ? q_width + kv_width : 0.0;
  return weights + biases + qkv_biases + qk_norm;
}

ParameterCount count_parameters(const ModelShape& m) {
  ParameterCount p;
  const double h = static_cast<double>(m.hidden);
  // LayerNorm has a scale and a bias; RMSNorm (models without linear biases) a scale only.
  const double norm = m.linear_biases ? 2.0 * h : h;
  p.attention_per_layer = attention_parameters(m);
  p.norms_per_layer = (m.sandwich_norms ? 4.0 : 2.0) * norm;  // Gemma 2/3: also after attention and MLP
  p.dense_mlp_per_layer = expert_parameters(m, m.ffn);
  if (m.is_moe()) {
    const double expert = expert_parameters(m, m.moe.expert_ffn);
    // A router scores every expert; with a single routed expert there is nothing to route.
    const double router = m.moe.routed_experts > 1 ? h * m.moe.routed_experts : 0.0;
    p.moe_mlp_per_layer = router + expert * (m.moe.routed_experts + m.moe.shared_experts);
    p.moe_active_per_layer = router + expert * (m.moe.top_k + m.moe.shared_experts);
  }
  p.embedding = static_cast<double>(m.vocab) * h + static_cast<double>(m.learned_positions) * h;
  p.output_head = m.tied_embeddings ? 0.0 : static_cast<double>(m.vocab) * h;
  p.final_norm = norm;

  const double dense_layers = m.dense_layers();
  const double moe_layers = m.moe_layers();
  const double shared = m.layers * (p.attention_per_layer + p.norms_per_layer) + p.embedding + p.output_head + p.final_norm;
  p.total = shared + dense_layers * p.dense_mlp_per_layer + moe_layers * p.moe_mlp_per_layer;
  p.active = shared + dense_layers * p.dense_mlp_per_layer + moe_layers * p.moe_active_per_layer;
  // The logits GEMM multiplies by the unembedding whether or not it is tied to the embedding.
  p.active_matmul = m.layers * p.attention_per_layer + dense_layers * p.dense_mlp_per_layer +
                    moe_layers * p.moe_active_per_layer + static_cast<double>(m.vocab) * h;
  // Each MTP module: a layer of the main kind (MoE for an MoE model), its projection [h; h] -> h and
  // two norms (of the hidden state and of the embedding); the head it reuses multiplies again.
  const double mtp_layer_mlp = m.is_moe() ? p.moe_mlp_per_layer : p.dense_mlp_per_layer;
  const double mtp_layer_active = m.is_moe() ? p.moe_active_per_layer : p.dense_mlp_per_layer;
  const double projection = 2.0 * h * h;
  p.mtp = m.mtp_layers * (p.attention_per_layer + p.norms_per_layer + mtp_layer_mlp + projection + 2.0 * norm);
  p.mtp_active_matmul = m.mtp_layers * (p.attention_per_layer + mtp_layer_active + projection + static_cast<double>(m.vocab) * h);
  return p;
}

}  // namespace trainplan
