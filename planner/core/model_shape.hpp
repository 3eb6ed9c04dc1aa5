#pragma once
// The shape of a transformer: everything that decides its parameters and FLOPs.
#include <cstdint>
#include <string>

#include "planner/core/provenance.hpp"

namespace trainplan {

enum class MlpKind { gelu, swiglu, squared_relu };
enum class AttentionKind { standard, mla };  // standard covers MHA and GQA (kv_heads <= heads)
// RMSNorm of queries and keys before the scores: none, one scale vector of head_dim shared by the
// heads (Qwen3, Gemma 3), or over the whole query and key widths (OLMoE).
enum class QkNorm { none, per_head, full_width };

// Multi-head latent attention (DeepSeek-V2/V3): low-rank projections of Q and of the joint KV.
struct MlaShape {
  bool operator==(const MlaShape&) const = default;  // lets tests see whether an input changed anything
  std::int64_t q_lora_rank = 0;   // 0: Q projected directly from hidden
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;
};

// Mixture-of-experts feed-forward. routed_experts == 0 means a dense model.
struct MoeShape {
  bool operator==(const MoeShape&) const = default;  // lets tests see whether an input changed anything
  int routed_experts = 0;
  int shared_experts = 0;
  int top_k = 0;
  std::int64_t expert_ffn = 0;     // FFN width of one expert
  int first_dense_layers = 0;      // leading layers with a dense MLP of width `ffn`
  // After the leading dense layers, layer i (0-based) is an MoE layer when (i + 1) is a multiple of
  // layer_interval, the others dense (Hugging Face: Llama 4's interleave_moe_layer_step, Qwen-MoE's
  // decoder_sparse_step). 1: every layer.
  int layer_interval = 1;
  double capacity_factor = 1.0;    // tokens an expert is provisioned for, relative to a perfect split
  double load_imbalance = 1.0;     // busiest expert's tokens / mean tokens (>= 1)
  // Group-limited routing (DeepSeek's n_group / topk_group): the routed experts form
  // `expert_groups` equal groups and a token picks its experts from at most `groups_per_token` of
  // them. 0: unlimited.
  int expert_groups = 0;
  int groups_per_token = 0;
};

struct ModelShape {
  bool operator==(const ModelShape&) const = default;  // lets tests see whether an input changed anything
  std::string name;
  int layers = 0;
  std::int64_t hidden = 0;
  int heads = 0;
  int kv_heads = 0;                // == heads for multi-head attention
  std::int64_t head_dim = 0;       // 0: hidden / heads
  std::int64_t ffn = 0;            // dense MLP width
  MlpKind mlp = MlpKind::gelu;
  std::int64_t vocab = 0;
  bool tied_embeddings = false;
  bool linear_biases = false;      // GPT-2/3 style biases on every linear layer
  std::int64_t learned_positions = 0;  // rows of a learned position embedding (0: rotary)
  // Tokens per sequence the model was pre-trained with (published; 0: not given): the planning
  // commands' --seq-len when none is given (docs/formats.md, "Sequence length").
  std::int64_t training_seq_len = 0;
  // Sliding-window attention (GPT-OSS, Mistral): attention_window > 0 tokens of causal look-back on
  // windowed layers; with full_attention_interval n > 1 every n-th layer (i + 1 a multiple of n)
  // attends to the whole sequence and the others are windowed (GPT-OSS: 128 tokens, n = 2); with
  // n <= 1 every layer is windowed. 0: full attention everywhere.
  std::int64_t attention_window = 0;
  int full_attention_interval = 0;
  // Chunked attention (Llama 4): attention_chunk > 0 splits the sequence into chunks of this many
  // tokens and each query attends causally within its own chunk only, on the same layers a window
  // would be on (full_attention_interval as above; Llama 4: 8192 tokens, every 4th layer full).
  // Exclusive with attention_window.
  std::int64_t attention_chunk = 0;
  // Learned per-head attention sinks (GPT-OSS): one extra logit per head in the softmax; no
  // GEMM work, kept so a loaded shape says what it is.
  bool attention_sinks = false;
  bool dropout = false;            // hidden and attention dropout in training (GPT-3 era recipes)
  AttentionKind attention = AttentionKind::standard;
  MlaShape mla;
  MoeShape moe;
  // Multi-token-prediction modules (DeepSeek-V3 section 2.2, config num_nextn_predict_layers): each
  // adds a 2h -> h projection and one more layer of the main kind on the last pipeline stage and
  // reuses the output head. Trained with the model but not part of its published totals.
  int mtp_layers = 0;
  // Small per-layer weights of current open families (parameters and optimizer state only; no GEMM
  // work): biases on the query, key and value projections alone (Qwen2), query/key norms, and a
  // norm after attention and after the MLP besides the one before each (Gemma 2/3: four per layer).
  bool qkv_biases = false;
  QkNorm qk_norm = QkNorm::none;
  bool sandwich_norms = false;
  Provenance provenance;

  std::int64_t effective_head_dim() const { return head_dim > 0 ? head_dim : hidden / heads; }
  bool is_moe() const { return moe.routed_experts > 0; }
  bool is_moe_layer(int i) const {
    return is_moe() && i >= moe.first_dense_layers && (moe.layer_interval <= 1 || (i + 1) % moe.layer_interval == 0);
  }
  int moe_layers() const {
    int n = 0;
    for (int i = 0; i < layers; ++i) n += is_moe_layer(i) ? 1 : 0;
    return n;
  }
  // Dense layers among layers [begin, begin + count) (MoE models; a dense model's are all dense).
  int dense_layers_in(int begin, int count) const {
    int n = 0;
    for (int i = begin; i < begin + count && i < layers; ++i) n += is_moe_layer(i) ? 0 : 1;
    return n;
  }
  // Mean over the layers of the attention's (query, key) pairs relative to full causal attention
  // over seq_len tokens: a window of w keeps w - w^2 / (2 S) of the S / 2 pairs per query.
  // A chunk of c tokens holds c^2 / 2 of them: (S / c) chunks keep c / S of the S^2 / 2 (a last,
  // shorter chunk of r tokens r^2 / 2).
  double attention_pair_fraction(double seq_len) const {
    if ((attention_window <= 0 && attention_chunk <= 0) || seq_len <= 0) return 1.0;
    double windowed = 1.0;
    if (attention_chunk > 0) {
      const double c = static_cast<double>(attention_chunk) < seq_len ? static_cast<double>(attention_chunk) : seq_len;
      const double whole = static_cast<double>(static_cast<std::int64_t>(seq_len / c));
      const double rest = seq_len - whole * c;
      windowed = (whole * c * c + rest * rest) / (seq_len * seq_len);
    } else {
      const double w = static_cast<double>(attention_window) < seq_len ? static_cast<double>(attention_window) : seq_len;
      windowed = (w - w * w / (2.0 * seq_len)) / (seq_len / 2.0);
    }
    const double share = full_attention_layer_share();
    return share + (1.0 - share) * windowed;
  }
  // Share of the layers that attend to the whole sequence: 1 without windows or chunks, else the
  // full layers of the full_attention_interval pattern (0 when every layer is windowed).
  double full_attention_layer_share() const {
    if (attention_window <= 0 && attention_chunk <= 0) return 1.0;
    if (full_attention_interval <= 1 || layers <= 0) return 0.0;
    // Layers i (0-based) with (i + 1) % interval == 0: every interval-th, layers / interval of them.
    return static_cast<double>(layers / full_attention_interval) / layers;
  }
  int dense_layers() const { return layers - moe_layers(); }
};

const char* to_string(MlpKind kind);
const char* to_string(AttentionKind kind);

}  // namespace trainplan
