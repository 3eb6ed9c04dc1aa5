// Model descriptions: trainplan's YAML, or a Hugging Face config.json read directly.
#include <map>
#include <vector>

#include "description_loader.hpp"
#include "hf_llama4_attention.hpp"
#include "hf_open_families.hpp"
#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

struct ArchitectureTraits {
  const char* mlp;
  bool linear_biases;
  bool tied_by_default = false;  // tie_word_embeddings when the config leaves it out (Gemma: true)
};

// The architecture decides the MLP: gated SwiGLU (Llama, Mistral), plain GeLU with biased linear
// layers and LayerNorm (GPT-NeoX), plain squared ReLU (Nemotron).
const std::map<std::string, ArchitectureTraits>& known_architectures() {
  static const std::map<std::string, ArchitectureTraits> table = {
      {"LlamaForCausalLM", {"swiglu", false}},
      {"MistralForCausalLM", {"swiglu", false}},
      {"GPTNeoXForCausalLM", {"gelu", true}},
      {"NemotronForCausalLM", {"squared-relu", false}},
      {"MixtralForCausalLM", {"swiglu", false}},
      {"DeepseekV3ForCausalLM", {"swiglu", false}},
      {"Qwen3MoeForCausalLM", {"swiglu", false}},
      {"GptOssForCausalLM", {"swiglu", false}},
      {"Llama4ForCausalLM", {"swiglu", false}},
      {"Llama4ForConditionalGeneration", {"swiglu", false}},
      // Current open families (hf_open_families.cpp). Gemma's gated GeLU is costed as swiglu.
      {"Qwen2ForCausalLM", {"swiglu", false}},
      {"Qwen3ForCausalLM", {"swiglu", false}},
      {"Qwen2MoeForCausalLM", {"swiglu", false}},
      {"Gemma2ForCausalLM", {"swiglu", false, true}},
      {"Gemma3ForCausalLM", {"swiglu", false, true}},
      {"Phi3ForCausalLM", {"swiglu", false}},
      {"OlmoeForCausalLM", {"swiglu", false}},
      {"DeepseekV2ForCausalLM", {"swiglu", false}},
  };
  return table;
}

}  // namespace

bool looks_like_hugging_face_config(const YAML::Node& document) {
  return document.IsMap() && (document["architectures"].IsDefined() || document["hidden_size"].IsDefined());
}

YAML::Node model_node_from_hugging_face(const YAML::Node& top, const std::string& source) {
  // Llama 4 checkpoints are multimodal: the language model's shape is under text_config.
  const bool nested_text = top["text_config"].IsDefined() && top["text_config"].IsMap();
  if (has_value(top["text_config"]) && !nested_text)
    FieldReader(top, source).fail("text_config", "expected a mapping of the language model's fields");
  const YAML::Node config = nested_text ? top["text_config"] : top;
  const FieldReader hf(config, nested_text ? source + " (text_config)" : source);
  const FieldReader outer(top, source);
  const std::vector<std::string> architectures = outer.get_name_list("architectures");
  if (architectures.empty())
    outer.fail("architectures", "missing: a Hugging Face config.json names its architecture (e.g. [LlamaForCausalLM])");
  const std::string architecture = architectures.front();
  const auto known = known_architectures().find(architecture);
  if (known == known_architectures().end()) {
    std::string names;
    for (const auto& [name, traits] : known_architectures()) names += (names.empty() ? "" : ", ") + name;
    outer.fail("architectures", "unknown architecture '" + architecture + "' (known: " + names + ")");
  }
  YAML::Node node(YAML::NodeType::Map);
  node["name"] = outer.get_string("_name_or_path", outer.get_string("model_type", architecture));
  node["layers"] = hf.get_count("num_hidden_layers");
  node["hidden"] = hf.get_count("hidden_size");
  node["heads"] = hf.get_count("num_attention_heads");
  node["kv_heads"] = hf.get_count("num_key_value_heads", hf.get_count("num_attention_heads"));
  if (hf.has("head_dim")) node["head_dim"] = hf.get_count("head_dim");
  node["ffn"] = hf.get_count("intermediate_size");
  node["vocab"] = hf.get_count("vocab_size");
  node["mlp"] = known->second.mlp;
  node["linear_biases"] = known->second.linear_biases;
  node["tied_embeddings"] = hf.get_bool("tie_word_embeddings", outer.get_bool("tie_word_embeddings", known->second.tied_by_default));
  if (architecture == "MixtralForCausalLM") {
    // Every layer is MoE; each expert has the config's intermediate_size.
    YAML::Node moe(YAML::NodeType::Map);
    moe["routed_experts"] = hf.get_count("num_local_experts");
    moe["top_k"] = hf.get_count("num_experts_per_tok");
    moe["expert_ffn"] = hf.get_count("intermediate_size");
    node["moe"] = moe;
  } else if (architecture == "Qwen3MoeForCausalLM") {
    // Layer i is MoE when (i + 1) % decoder_sparse_step == 0 and it is not in mlp_only_layers
    // (then a dense MLP of intermediate_size); experts of moe_intermediate_size, no shared expert;
    // RMSNorm of each head's query and key, as Qwen3.
    YAML::Node moe(YAML::NodeType::Map);
    moe["routed_experts"] = hf.get_count("num_experts");
    moe["top_k"] = hf.get_count("num_experts_per_tok");
    moe["expert_ffn"] = hf.get_count("moe_intermediate_size");
    moe["layer_interval"] = hf.get_count("decoder_sparse_step", 1);
    add_leading_dense_layers(hf, moe);
    node["moe"] = moe;
    node["qk_norm"] = "per_head";
  } else if (architecture == "GptOssForCausalLM") {
    // Every layer MoE with intermediate_size experts; attention with biases and learned sinks,
    // layer_types alternating sliding_attention (sliding_window tokens) and full_attention.
    YAML::Node moe(YAML::NodeType::Map);
    moe["routed_experts"] = hf.get_count("num_local_experts");
    moe["top_k"] = hf.get_count("num_experts_per_tok", hf.get_count("experts_per_token", 0));
    moe["expert_ffn"] = hf.get_count("intermediate_size");
    node["moe"] = moe;
    node["attention_sinks"] = true;
    // The published configs list layer_types; without them no window is applied.
    add_window_pattern(hf, hf.get_non_negative_count("sliding_window", 0), 0, node);
  } else if (architecture == "Llama4ForCausalLM" || architecture == "Llama4ForConditionalGeneration") {
    // MoE every interleave_moe_layer_step-th layer ((i + 1) % step == 0), the others dense with
    // intermediate_size_mlp; each MoE layer has one shared expert beside the routed ones, both of
    // intermediate_size. Chunked attention (attention_chunk_size tokens) on the RoPE layers; the
    // NoPE layers, every no_rope_layer_interval-th (default 4), attend to the whole sequence
    // (hf_llama4_attention.cpp).
    YAML::Node moe(YAML::NodeType::Map);
    moe["routed_experts"] = hf.get_count("num_local_experts");
    moe["shared_experts"] = 1;
    moe["top_k"] = hf.get_count("num_experts_per_tok");
    moe["expert_ffn"] = hf.get_count("intermediate_size");
    moe["layer_interval"] = hf.get_count("interleave_moe_layer_step", 1);
    node["moe"] = moe;
    node["ffn"] = hf.get_count("intermediate_size_mlp", hf.get_count("intermediate_size"));
    add_llama4_chunked_attention(hf, node);
  } else if (architecture == "DeepseekV3ForCausalLM" || architecture == "DeepseekV2ForCausalLM") {
    // MLA attention; the first first_k_dense_replace layers are dense (intermediate_size), the rest
    // MoE with moe_intermediate_size experts and shared experts (DeepSeek-V2 as V3, without MTP;
    // q_lora_rank null in V2-Lite: queries projected directly). moe_layer_freq other than 1 (MoE
    // on layers i % freq == 0) is not expressible.
    if (hf.get_count("moe_layer_freq", 1) != 1)
      hf.fail("moe_layer_freq", "only 1 (every layer after first_k_dense_replace is MoE) is supported");
    YAML::Node moe(YAML::NodeType::Map);
    moe["routed_experts"] = hf.get_count("n_routed_experts");
    moe["shared_experts"] = hf.get_non_negative_count("n_shared_experts", 0);
    moe["top_k"] = hf.get_count("num_experts_per_tok");
    moe["expert_ffn"] = hf.get_count("moe_intermediate_size");
    moe["first_dense_layers"] = hf.get_non_negative_count("first_k_dense_replace", 0);
    // Group-limited routing: n_group groups, topk_group of them per token (1 group: unlimited).
    const std::int64_t groups = hf.get_non_negative_count("n_group", 0);
    if (groups > 1) {
      moe["expert_groups"] = groups;
      moe["groups_per_token"] = hf.get_count("topk_group");
    }
    node["moe"] = moe;
    YAML::Node mla(YAML::NodeType::Map);
    mla["q_lora_rank"] = hf.get_non_negative_count("q_lora_rank", 0);
    mla["kv_lora_rank"] = hf.get_count("kv_lora_rank");
    mla["qk_nope_head_dim"] = hf.get_count("qk_nope_head_dim");
    mla["qk_rope_head_dim"] = hf.get_count("qk_rope_head_dim");
    mla["v_head_dim"] = hf.get_count("v_head_dim");
    node["mla"] = mla;
    node["attention"] = "mla";
    node.remove("head_dim");
    // Multi-token-prediction modules the checkpoint was trained with (DeepSeek-V3: 1).
    const std::int64_t mtp = hf.get_non_negative_count("num_nextn_predict_layers", 0);
    if (mtp > 0) node["mtp_layers"] = mtp;
  } else {
    add_open_family_fields(architecture, hf, node);
  }
  YAML::Node provenance(YAML::NodeType::Map);
  provenance["kind"] = "published";
  provenance["source"] = "Hugging Face config.json: " + source;
  node["provenance"] = provenance;
  return node;
}

ModelShape parse_model(const YAML::Node& node, const std::string& source) {
  const FieldReader f(node, source);
  f.reject_unknown_keys({"name", "provenance", "layers", "hidden", "heads", "kv_heads", "head_dim", "ffn", "mlp", "vocab",
                         "tied_embeddings", "linear_biases", "learned_positions", "dropout", "attention", "mla", "moe",
                         "mtp_layers", "attention_window", "attention_chunk", "full_attention_interval", "attention_sinks", "notes",
                         "qkv_biases", "qk_norm", "sandwich_norms",
                         "training_seq_len"});  // ---- training_seq_len: the default --seq-len ----
  ModelShape m;
  m.name = f.get_string("name", source);
  m.layers = f.get_int("layers", limits::layers);
  m.hidden = f.get_whole("hidden", limits::hidden);
  m.heads = f.get_int("heads", limits::heads);
  m.kv_heads = f.get_int("kv_heads", limits::heads, m.heads);
  m.head_dim = f.get_whole("head_dim", limits::head_dim, 0);
  m.ffn = f.get_whole("ffn", limits::ffn);
  const std::string mlp = f.get_choice("mlp", {"gelu", "swiglu", "squared-relu"});
  m.mlp = mlp == "swiglu" ? MlpKind::swiglu : mlp == "gelu" ? MlpKind::gelu : MlpKind::squared_relu;
  m.vocab = f.get_whole("vocab", limits::vocab);
  m.tied_embeddings = f.get_bool("tied_embeddings", false);
  m.linear_biases = f.get_bool("linear_biases", false);
  m.learned_positions = f.get_whole("learned_positions", limits::learned_positions, 0);
  m.training_seq_len = f.get_whole("training_seq_len", Range{0, limits::seq_len.max}, 0);  // 0: not given
  m.dropout = f.get_bool("dropout", false);
  m.mtp_layers = f.get_int("mtp_layers", limits::mtp_layers, 0);
  m.attention_window = f.get_whole("attention_window", limits::seq_len, 0);
  m.full_attention_interval = f.get_int("full_attention_interval", limits::layers, 0);
  m.attention_chunk = f.get_whole("attention_chunk", limits::seq_len, 0);
  if (m.attention_chunk > 0 && m.attention_window > 0)
    f.fail("attention_chunk", "cannot be set with attention_window (a layer is either windowed or chunked)");
  if (m.full_attention_interval > 1 && m.attention_window == 0 && m.attention_chunk == 0)
    f.fail("full_attention_interval", "needs attention_window (the windowed layers' look-back in tokens) or attention_chunk");
  m.attention_sinks = f.get_bool("attention_sinks", false);
  m.qkv_biases = f.get_bool("qkv_biases", false);
  const std::string qk_norm = f.get_choice("qk_norm", {"none", "per_head", "full_width"}, "none");
  m.qk_norm = qk_norm == "per_head" ? QkNorm::per_head : qk_norm == "full_width" ? QkNorm::full_width : QkNorm::none;
  m.sandwich_norms = f.get_bool("sandwich_norms", false);
  m.attention = f.get_choice("attention", {"standard", "mla"}, "standard") == "mla" ? AttentionKind::mla : AttentionKind::standard;
  if (const auto mla = f.optional_child("mla")) {
    mla->reject_unknown_keys({"q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim"});
    m.mla.q_lora_rank = mla->get_whole("q_lora_rank", limits::mla_rank, 0);
    m.mla.kv_lora_rank = mla->get_whole("kv_lora_rank", limits::mla_head_dim);
    m.mla.qk_nope_head_dim = mla->get_whole("qk_nope_head_dim", limits::mla_head_dim);
    m.mla.qk_rope_head_dim = mla->get_whole("qk_rope_head_dim", limits::mla_head_dim);
    m.mla.v_head_dim = mla->get_whole("v_head_dim", limits::mla_head_dim);
  } else if (m.attention == AttentionKind::mla) {
    f.fail("mla", "missing: attention: mla needs the mla: {kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim, v_head_dim} shape");
  }
  if (const auto moe = f.optional_child("moe")) {
    moe->reject_unknown_keys({"routed_experts", "shared_experts", "top_k", "expert_ffn", "first_dense_layers",
                              "capacity_factor", "load_imbalance", "expert_groups", "groups_per_token", "layer_interval"});
    m.moe.routed_experts = moe->get_int("routed_experts", limits::routed_experts);
    m.moe.shared_experts = moe->get_int("shared_experts", limits::shared_experts, 0);
    m.moe.top_k = moe->get_int("top_k", limits::routed_experts);
    m.moe.expert_ffn = moe->get_whole("expert_ffn", limits::ffn);
    m.moe.first_dense_layers = moe->get_int("first_dense_layers", limits::layers, 0);
    m.moe.layer_interval = moe->get_int("layer_interval", limits::layers, 1);
    if (m.moe.layer_interval > m.layers) moe->fail("layer_interval", "must not exceed the model's layers");
    m.moe.capacity_factor = moe->get_number("capacity_factor", limits::capacity_factor, 1.0);
    m.moe.load_imbalance = moe->get_number("load_imbalance", limits::load_imbalance, 1.0);
    if (m.moe.top_k > m.moe.routed_experts) moe->fail("top_k", "must not exceed routed_experts");
    if (m.moe.first_dense_layers >= m.layers) moe->fail("first_dense_layers", "must be fewer than the model's layers");
    if (m.moe.load_imbalance < 1.0) moe->fail("load_imbalance", "must be >= 1 (busiest expert / mean)");
    m.moe.expert_groups = moe->get_int("expert_groups", limits::expert_groups, 0);
    m.moe.groups_per_token = moe->get_int("groups_per_token", limits::expert_groups, 0);
    if ((m.moe.expert_groups > 0) != (m.moe.groups_per_token > 0))
      moe->fail(m.moe.expert_groups > 0 ? "groups_per_token" : "expert_groups",
                "group-limited routing needs both expert_groups and groups_per_token");
    if (m.moe.expert_groups > 0 && m.moe.routed_experts % m.moe.expert_groups != 0)
      moe->fail("expert_groups", "must divide routed_experts (" + std::to_string(m.moe.routed_experts) + ")");
    if (m.moe.groups_per_token > m.moe.expert_groups) moe->fail("groups_per_token", "must not exceed expert_groups");
    // Group-limited routing picks top_k experts among groups_per_token groups: they must hold that many.
    if (m.moe.expert_groups > 0 &&
        static_cast<std::int64_t>(m.moe.groups_per_token) * (m.moe.routed_experts / m.moe.expert_groups) < m.moe.top_k)
      moe->fail("groups_per_token", "groups_per_token (" + std::to_string(m.moe.groups_per_token) + ") groups of " +
                                        std::to_string(m.moe.routed_experts / m.moe.expert_groups) +
                                        " experts hold fewer than top_k (" + std::to_string(m.moe.top_k) + ") experts");
  }
  if (m.kv_heads > m.heads || m.heads % m.kv_heads != 0)
    f.fail("kv_heads", "must divide heads (" + std::to_string(m.heads) + "), got " + std::to_string(m.kv_heads));
  if (m.head_dim == 0 && m.hidden % m.heads != 0)
    f.fail("heads", "must divide hidden (" + std::to_string(m.hidden) + ") unless head_dim is given");
  if (const auto p = f.optional_child("provenance")) {
    p->reject_unknown_keys({"kind", "source"});
    m.provenance.kind = p->get_choice("kind", {"published", "measured", "assumption"});
    m.provenance.source = p->get_string("source");
  }
  return m;
}

ModelShape load_model(const std::string& name_or_path, const std::vector<Override>& overrides) {
  Document doc = load_document(name_or_path, "planner/data/models/", "model");
  YAML::Node node = looks_like_hugging_face_config(doc.node) ? model_node_from_hugging_face(doc.node, doc.source) : doc.node;
  for (const auto& o : overrides)
    if (o.scope == "model") apply_override(node, o);
  return naming_overrides(overrides, "model", [&] { return parse_model(node, doc.source); });
}

}  // namespace trainplan
