#include "planner/core/model/layer_work.hpp"

#include <algorithm>
#include <cmath>


namespace trainplan {

namespace {
constexpr double kBf16Bytes = 2.0;
constexpr double kFp32Bytes = 4.0;
}  // namespace

LayerWork dense_layer_work(const ModelShape& model, const ParallelPlan& plan) {
  LayerWork w;
  const double tp = plan.tp;
  const double seq_total = plan.seq_len;
  const double seq_local = seq_total / plan.cp;             // context parallelism splits the sequence
  const double tokens = plan.micro_batch * seq_local;       // rows of every GEMM on this GPU
  const double h = static_cast<double>(model.hidden);
  const double d = static_cast<double>(model.effective_head_dim());
  const double heads_local = model.heads / tp;
  // With fewer KV heads than TP ranks, each rank keeps a replica of one KV head (Megatron GQA).
  const double kv_heads_local = std::max(1.0, model.kv_heads / tp);
  const double ffn_local = static_cast<double>(model.ffn) / tp;
  const bool gated = model.mlp == MlpKind::swiglu;
  // Without sequence parallelism the norm/residual/dropout work on (tokens x hidden) is replicated
  // on every TP rank; with it, each rank does 1/tp of it (Korthikanti et al. 2022, section 4.2.2).
  const double sp = plan.sequence_parallel ? tp : 1.0;

  w.qkv = {tokens, (heads_local + 2.0 * kv_heads_local) * d, h, 1};
  w.out_proj = {tokens, h, heads_local * d, 1};
  w.mlp_up = {tokens, ffn_local * (gated ? 2.0 : 1.0), h, 1};
  w.mlp_down = {tokens, h, ffn_local, 1};

  // Multi-head latent attention (DeepSeek-V2/V3, arXiv 2405.04434 section 2.1): Q = W_uq(norm(W_dq x))
  // and the joint latent c = norm(W_dkv x) with a shared rope key k_r = W_kr x; then per head
  // K_nope, V = W_uk c, W_uv c. The down-projections (to q_lora, kv_lora + rope) run unsplit on every
  // TP rank (Megatron-Core's MLA replicates them); the up-projections split their heads over TP.
  // Scores use qk_nope + qk_rope dims per head, the context v_head_dim.
  double qk_dim = d, v_dim = d;
  if (model.attention == AttentionKind::mla) {
    const MlaShape& mla = model.mla;
    qk_dim = static_cast<double>(mla.qk_nope_head_dim + mla.qk_rope_head_dim);
    v_dim = static_cast<double>(mla.v_head_dim);
    const double q_lora = static_cast<double>(mla.q_lora_rank);
    const double kv_lora = static_cast<double>(mla.kv_lora_rank);
    const double rope = static_cast<double>(mla.qk_rope_head_dim);
    w.mla_down = {tokens, q_lora + kv_lora + rope, h, 1};
    // Without a Q low rank, Q is projected straight from the hidden state (split over TP).
    w.qkv = {tokens, heads_local * qk_dim, q_lora > 0 ? q_lora : h, 1};
    w.mla_kv_up = {tokens, heads_local * static_cast<double>(mla.qk_nope_head_dim + mla.v_head_dim), kv_lora, 1};
    w.out_proj = {tokens, h, heads_local * v_dim, 1};
  }
  const double score_elements = plan.micro_batch * heads_local * seq_local * seq_total;
  // Q K^T and P V cost 2 * s_q * s_kv * (qk dims) and 2 * s_q * s_kv * (v dims) per head (full
  // square; a causal mask is applied to the materialized scores but every element is computed).
  // Sliding-window layers (averaged over the model's layer pattern) attend to fewer keys.
  const double pair_fraction = model.attention_pair_fraction(seq_total);
  const double full_attention_flops = 2.0 * score_elements * (qk_dim + v_dim) * pair_fraction;
  if (plan.attention_kernel == AttentionKernel::materialized) {
    w.attention_scores = {seq_local, seq_total, qk_dim, plan.micro_batch * heads_local};
    w.attention_context = {seq_local, v_dim, seq_total, plan.micro_batch * heads_local};
    // Fused scale-mask-softmax reads and writes the bf16 scores; dropout on the probabilities
    // reads them, writes the result and a one-byte mask.
    w.attention_elementwise_bytes = score_elements * (2.0 * kBf16Bytes + (model.dropout ? 2.0 * kBf16Bytes + 1.0 : 0.0));
  } else {
    // FlashAttention skips fully masked tiles: half the work under a causal mask.
    w.flash_attention_flops = full_attention_flops * (plan.causal ? 0.5 : 1.0);
    w.flash_head_dim = qk_dim;
    w.flash_keys = plan.cp > 1 && !plan.cp_all_gather ? seq_local : seq_total;
    const double windowed_pairs = pair_fraction - model.full_attention_layer_share();
    if (windowed_pairs > 0 && pair_fraction > 0) {
      w.flash_windowed_flops = w.flash_attention_flops * windowed_pairs / pair_fraction;
      const double span = static_cast<double>(model.attention_chunk > 0 ? model.attention_chunk : model.attention_window);
      w.flash_window_keys = std::min(span, w.flash_keys);
    }
    if (plan.cp > 1 && !plan.cp_all_gather && plan.causal) {
      // Step 0: local queries against local keys, causal; step i <= rank: both query chunks against
      // the first key chunk, step i > rank: the second query chunk against both key chunks, neither
      // masked; every step the same pairs (Transformer Engine, AttnFuncWithCPAndKVP2P).
      w.flash_ring_block_flops = (w.flash_attention_flops - w.flash_windowed_flops) * (plan.cp - 1) / plan.cp;
      w.flash_ring_block_keys = seq_local / std::sqrt(2.0);
    }
  }

  const double hidden_elements = tokens * h / sp;
  const double norm_bytes = 2.0 * (2.0 * kBf16Bytes * hidden_elements);  // two norms: read + write
  // Residual add (fused with bias and dropout in Megatron): read x and residual, write the sum
  // (and a one-byte dropout mask).
  const double residual_bytes = 2.0 * hidden_elements * (3.0 * kBf16Bytes + (model.dropout ? 1.0 : 0.0));
  // GeLU / squared-ReLU read and write the ffn activation; SwiGLU reads two halves, writes one.
  const double activation_bytes = tokens * ffn_local * kBf16Bytes * (gated ? 3.0 : 2.0);
  // Rotary embeddings rotate Q and K in place (models without learned positions).
  double rotary_bytes = model.learned_positions == 0 ? 2.0 * kBf16Bytes * tokens * (heads_local + kv_heads_local) * d : 0.0;
  // MLA rotates only the rope part of each query head and the one shared rope key.
  if (model.attention == AttentionKind::mla)
    rotary_bytes = 2.0 * kBf16Bytes * tokens * (heads_local + 1.0) * static_cast<double>(model.mla.qk_rope_head_dim);
  w.elementwise_bytes = norm_bytes + residual_bytes + activation_bytes + rotary_bytes;
  w.elementwise_kernels = 2 + 2 + 1 + (model.learned_positions == 0 ? 1 : 0) +
                          (plan.attention_kernel == AttentionKernel::materialized ? (model.dropout ? 2 : 1) : 0);

  w.tp_message_bytes = tokens * h * kBf16Bytes;
  w.tp_collectives_forward = plan.tp > 1 ? 2 : 0;
  w.cp_kv_chunk_bytes = plan.cp > 1 ? 2.0 * tokens * kv_heads_local * d * kBf16Bytes : 0.0;
  // MLA's ring passes the up-projected per-head K (nope + rope dims) and V, as for multi-head
  // attention (the ring-attention kernel takes materialized K and V; assumption: the latent itself
  // is not what travels).
  if (model.attention == AttentionKind::mla && plan.cp > 1) w.cp_kv_chunk_bytes = tokens * heads_local * (qk_dim + v_dim) * kBf16Bytes;

  // Saved activations, generalising Korthikanti et al. 2022 (eq. 1-6: 34sbh + 5as^2b per layer).
  // With fp8 (Transformer Engine) the GEMMs save their inputs in fp8: one byte, not two.
  const double gemm_input_bytes = plan.precision == Precision::fp8 ? 1.0 : kBf16Bytes;
  double replicated = 2.0 * hidden_elements * kBf16Bytes          // inputs of the two norms
                      + 2.0 * hidden_elements * gemm_input_bytes  // inputs of QKV and MLP-up GEMMs
                      + (model.dropout ? 2.0 * hidden_elements : 0.0);  // two dropout masks
  // Widths of Q, of K and V together, and of the output projection's input, per TP rank.
  double q_width = heads_local * d, kv_width = 2.0 * kv_heads_local * d, context_width = heads_local * d;
  if (model.attention == AttentionKind::mla) {
    q_width = heads_local * qk_dim;
    kv_width = heads_local * (qk_dim + v_dim);
    context_width = heads_local * v_dim;
    // The Q and KV latents (replicated over TP): each kept as its norm's input (bf16) and as its
    // up-projection's input.
    const double latents = tokens * static_cast<double>(model.mla.q_lora_rank + model.mla.kv_lora_rank);
    replicated += latents * (kBf16Bytes + gemm_input_bytes);
  }
  const double split = tokens * (kBf16Bytes * (q_width                            // Q
                                               + kv_width                         // K, V
                                               + ffn_local * (gated ? 2.0 : 1.0)) // activation input
                                 + gemm_input_bytes * (context_width              // out-proj input
                                                       + ffn_local));             // MLP-down input
  double scores = 0;
  if (plan.attention_kernel == AttentionKernel::materialized)
    scores = score_elements * (model.dropout ? 2.0 * kBf16Bytes + 1.0 : kBf16Bytes);  // softmax out (+ mask, dropout out)
  else
    scores = plan.micro_batch * heads_local * seq_local * kFp32Bytes;  // log-sum-exp per row
  switch (plan.recompute) {
    case Recompute::none: w.saved_activation_bytes = replicated + split + scores; break;
    case Recompute::selective:  // attention core recomputed: its s^2 tensors are not kept
      w.saved_activation_bytes = replicated + split + (is_flash(plan.attention_kernel) ? scores : 0.0);
      if (model.attention == AttentionKind::mla) {
        // DeepSeek-V3 (section 3.2.3) also recomputes every RMSNorm and the MLA up-projections:
        // the norms' outputs (the GEMM inputs after the two layer norms and the two latent norms)
        // and the up-projected Q, K and V are not kept.
        const double latents = tokens * static_cast<double>(model.mla.q_lora_rank + model.mla.kv_lora_rank);
        w.saved_activation_bytes -= (2.0 * hidden_elements + latents) * gemm_input_bytes +
                                    tokens * kBf16Bytes * (q_width + kv_width);
        w.selective_recompute_norm_bytes = norm_bytes + 2.0 * kBf16Bytes * latents;
        w.selective_recomputes_mla_up_projections = true;
      }
      break;
    case Recompute::full: w.saved_activation_bytes = hidden_elements * kBf16Bytes; break;  // layer input only
  }

  w.model_flops_forward = w.qkv.flops() + w.out_proj.flops() + w.mlp_up.flops() + w.mlp_down.flops() + full_attention_flops;
  // MLA: the replicated down-projections count once per TP group in the model's FLOPs.
  if (model.attention == AttentionKind::mla) w.model_flops_forward += w.mla_down.flops() / tp + w.mla_kv_up.flops();
  return w;
}

HeadWork head_work(const ModelShape& model, const ParallelPlan& plan) {
  HeadWork head;
  const double tokens = plan.micro_batch * static_cast<double>(plan.seq_len) / plan.cp;
  const double vocab_local = static_cast<double>(model.vocab) / plan.tp;  // vocabulary-parallel head
  head.logits = {tokens, vocab_local, static_cast<double>(model.hidden), 1};
  // Vocabulary-parallel cross-entropy in fp32: read bf16 logits, write fp32, then a max, an
  // exp-sum and a normalise pass over the fp32 values.
  head.loss_bytes = tokens * vocab_local * (kBf16Bytes + 3.0 * kFp32Bytes);
  // What the loss holds when the stage's memory peaks (its backward, every layer's activations still
  // saved), in fp32 logits-sized tensors. Fused (Megatron-Core's VocabParallelCrossEntropy): one,
  // turned into the gradient in place. Unfused, PyTorch's F.cross_entropy on an fp32 copy: on one
  // rank three (log_softmax's saved output, the gradient nll_loss's backward returns and the one
  // log_softmax's backward computes from both); vocabulary-parallel (tp > 1: DTensor's loss_parallel,
  // torch/distributed/tensor/parallel/loss.py) four: its fused backward evaluates
  // (zeros_like(x) with the targets set + exp(x)) * grad beside the saved x.
  const double fp32_logits_copies = plan.cross_entropy == CrossEntropy::fused ? 1.0 : plan.tp > 1 ? 4.0 : 3.0;
  head.saved_activation_bytes = fp32_logits_copies * tokens * vocab_local * kFp32Bytes;
  head.model_flops_forward = head.logits.flops();
  return head;
}

}  // namespace trainplan
