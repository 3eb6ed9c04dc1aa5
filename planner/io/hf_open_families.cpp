// Hugging Face config.json of the current open families: what each adds to the common fields.
#include "hf_open_families.hpp"

#include <string>
#include <vector>

#include "input_limits.hpp"

namespace trainplan {

namespace {

// Qwen2/Qwen3 configs carry a sliding_window but use it only with use_sliding_window: true, and
// then on the layers from max_window_layers on. Every released checkpoint sets it false.
void add_qwen_window(const FieldReader& hf, YAML::Node& node) {
  const std::int64_t layers = hf.get_count("num_hidden_layers");
  if (!hf.get_bool("use_sliding_window", false)) return;
  const std::int64_t first_windowed = hf.get_non_negative_count("max_window_layers", layers);
  if (first_windowed >= layers) return;
  if (first_windowed > 0)
    hf.fail("max_window_layers", "with use_sliding_window: true, windowed layers from max_window_layers (" +
                                     std::to_string(first_windowed) + ") on are not supported; 0 (every layer windowed) or >= num_hidden_layers (" +
                                     std::to_string(layers) + ") are");
  node["attention_window"] = hf.get_count("sliding_window");
}

}  // namespace

void add_window_pattern(const FieldReader& hf, std::int64_t window, int interval_without_types, YAML::Node& node) {
  // The names are checked whether or not a window applies: a config is either right or refused.
  const std::vector<std::string> types = hf.get_name_list("layer_types");
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i] != "sliding_attention" && types[i] != "full_attention")
      hf.fail("layer_types[" + std::to_string(i) + "]", "expected sliding_attention or full_attention, got '" + types[i] + "'");
  const std::int64_t layers = hf.get_count("num_hidden_layers");
  if (!types.empty() && static_cast<std::int64_t>(types.size()) != layers)
    hf.fail("layer_types", "expected one entry per layer (num_hidden_layers: " + std::to_string(layers) + "), got " +
                               std::to_string(types.size()));
  if (window <= 0) return;
  if (types.empty()) {
    if (interval_without_types <= 0) return;
    node["attention_window"] = window;
    if (interval_without_types > 1) node["full_attention_interval"] = interval_without_types;
    return;
  }
  std::vector<std::size_t> full;
  for (std::size_t i = 0; i < types.size(); ++i)
    if (types[i] == "full_attention") full.push_back(i);
  if (full.size() == types.size()) return;  // every layer full: no window
  node["attention_window"] = window;
  if (full.empty()) return;  // every layer windowed
  // The full-attention layers must sit at a fixed interval: (i + 1) % n == 0.
  const std::size_t n = full.front() + 1;
  for (std::size_t i = 0; i < types.size(); ++i)
    if (((i + 1) % n == 0) != (types[i] == "full_attention"))
      hf.fail("layer_types", "full_attention layers must recur at a fixed interval (every n-th layer)");
  node["full_attention_interval"] = static_cast<long long>(n);
}

void add_leading_dense_layers(const FieldReader& hf, YAML::Node& moe) {
  const std::vector<std::int64_t> only = hf.get_whole_list("mlp_only_layers", Range{0, limits::layers.max - 1});
  // Only a leading run of dense layers is expressible (first_dense_layers).
  for (std::size_t i = 0; i < only.size(); ++i)
    if (only[i] != static_cast<std::int64_t>(i))
      hf.fail("mlp_only_layers", "only a leading run of dense layers [0, 1, ..., k-1] is supported");
  if (!only.empty()) moe["first_dense_layers"] = static_cast<long long>(only.size());
}

void add_open_family_fields(const std::string& architecture, const FieldReader& hf, YAML::Node& node) {
  if (architecture == "Qwen2ForCausalLM" || architecture == "Qwen3ForCausalLM" || architecture == "Qwen2MoeForCausalLM") {
    // Qwen2 (and Qwen2-MoE): biases on q, k and v; Qwen3: RMSNorm of each head's query and key.
    if (architecture == "Qwen3ForCausalLM") node["qk_norm"] = "per_head";
    else node["qkv_biases"] = true;
    add_qwen_window(hf, node);
    add_window_pattern(hf, 0, 0, node);  // layer_types, if given, are checked
  } else if (architecture == "Gemma2ForCausalLM" || architecture == "Gemma3ForCausalLM") {
    // Gated GeLU MLP (costed as the gated swiglu: same three matrices), head_dim apart from
    // hidden / heads, norms before and after attention and MLP, embeddings tied. Gemma 2 alternates
    // windowed and full layers (layer 0 windowed); Gemma 3 has one full layer in
    // sliding_window_pattern (6); a layer_types list, where given, decides. Logit soft-capping and
    // the query scale change no cost.
    node["sandwich_norms"] = true;
    int interval = 2;
    if (architecture == "Gemma3ForCausalLM") {
      node["qk_norm"] = "per_head";
      interval = hf.get_int("sliding_window_pattern", limits::layers, 6);
    }
    add_window_pattern(hf, hf.get_non_negative_count("sliding_window", 0), interval, node);
  } else if (architecture == "Phi3ForCausalLM") {
    // Every layer windowed by sliding_window (Phi-3-mini-4k: 2047 tokens); a window as long as the
    // context (max_position_embeddings) is full attention.
    std::int64_t window = hf.get_non_negative_count("sliding_window", 0);
    if (hf.has("max_position_embeddings") && window >= hf.get_count("max_position_embeddings")) window = 0;
    add_window_pattern(hf, window, 1, node);
  } else if (architecture == "OlmoeForCausalLM") {
    // Every layer MoE with experts of intermediate_size; RMSNorm over the whole query and key widths.
    node["qk_norm"] = "full_width";
    YAML::Node moe(YAML::NodeType::Map);
    moe["routed_experts"] = hf.get_count("num_experts");
    moe["top_k"] = hf.get_count("num_experts_per_tok");
    moe["expert_ffn"] = hf.get_count("intermediate_size");
    node["moe"] = moe;
  }
  if (architecture == "Qwen2MoeForCausalLM") {
    // Like Qwen3-MoE (decoder_sparse_step, mlp_only_layers, experts of moe_intermediate_size) plus a
    // shared expert of shared_expert_intermediate_size, costed as that width's multiple of experts
    // (Qwen1.5-MoE-A2.7B: 5632 = 4 x 1408). Its sigmoid gate (hidden_size weights) is left out.
    YAML::Node moe(YAML::NodeType::Map);
    moe["routed_experts"] = hf.get_count("num_experts");
    moe["top_k"] = hf.get_count("num_experts_per_tok");
    const std::int64_t expert = hf.get_count("moe_intermediate_size");
    moe["expert_ffn"] = expert;
    const std::int64_t shared = hf.get_non_negative_count("shared_expert_intermediate_size", 0);
    if (shared % expert != 0 || shared / expert > static_cast<std::int64_t>(limits::shared_experts.max))
      hf.fail("shared_expert_intermediate_size", "expected a multiple of moe_intermediate_size (" + std::to_string(expert) +
                                                     "), at most " + std::to_string(static_cast<long long>(limits::shared_experts.max)) +
                                                     " times it: the shared expert is costed as that many experts");
    if (shared > 0) moe["shared_experts"] = static_cast<long long>(shared / expert);
    moe["layer_interval"] = hf.get_count("decoder_sparse_step", 1);
    add_leading_dense_layers(hf, moe);
    node["moe"] = moe;
  }
}

}  // namespace trainplan
