#include "framework_import.hpp"

#include <algorithm>
#include <iterator>
#include <cmath>
#include <optional>
#include <set>

#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

// Megatron-LM arguments that change nothing trainplan estimates (optimizer hyperparameters,
// iteration counts, data and tokenizer files, logging, checkpoint paths, numerics of the fp8
// scaling recipe): read and skipped without a warning. A name equal to an entry, or starting with
// an entry that ends in '-', matches. docs/formats.md lists them.
const std::vector<std::string>& megatron_ignored() {
  static const std::vector<std::string> names = {
      "lr", "lr-", "min-lr", "decoupled-", "adam-", "weight-decay", "clip-grad", "init-method-std", "train-iters",
      "train-samples", "seed", "data-path", "data-cache-path", "split", "vocab-file", "merge-file", "tokenizer-model",
      "mock-data", "num-workers", "no-mmap-bin-files", "no-create-attention-mask-in-dataloader", "tiktoken-pattern",
      "dataloader-type", "log-", "eval-", "save", "save-interval", "load", "no-load-optim", "no-load-rng", "tensorboard-dir",
      "wandb-", "ckpt-format", "exit-duration-in-mins", "exit-interval", "profile", "profile-", "timing-log-level",
      "distributed-timeout-minutes", "manual-gc", "empty-unused-memory-level", "rotary-base", "rotary-percent", "norm-epsilon", "use-mcore-models",
      "fp8-amax-history-len", "fp8-amax-compute-algo", "moe-aux-loss-coeff", "moe-z-loss-coeff",
      "moe-router-load-balancing-type"};
  return names;
}

bool is_ignored(const std::string& name, const std::vector<std::string>& list) {
  for (const std::string& entry : list) {
    if (name == entry) return true;
    if (!entry.empty() && entry.back() == '-' && name.rfind(entry, 0) == 0) return true;
  }
  return false;
}

// NeMo / Megatron-Bridge keys of the read sections that change nothing trainplan estimates.
const std::vector<std::string>& nemo_ignored() {
  static const std::vector<std::string> names = {
      "_target_", "lr", "min_lr", "weight_decay", "adam_beta1", "adam_beta2", "adam_eps", "clip_grad", "init_method_std",
      "seed", "max_steps", "train_iters", "val_check_interval", "limit_val_batches", "limit_test_batches",
      "log_every_n_steps", "accelerator", "num_sanity_val_steps", "enable_checkpointing", "use_distributed_sampler",
      "callbacks", "logger", "tokenizer", "paths", "data_path", "split", "num_workers", "pin_memory", "rotary_base",
      "rotary_percent", "layernorm_epsilon", "normalization", "persist_layer_norm", "bias_dropout_fusion",
      "bias_activation_fusion", "masked_softmax_fusion", "apply_rope_fusion", "cross_entropy_loss_fusion",
      "ckpt_async_save", "ckpt_parallel_load", "ckpt_load_optimizer", "save_interval", "eval_interval", "eval_iters",
      "fp8_amax_history_len", "fp8_amax_compute_algo", "fp8_margin", "fp8_interval", "moe_aux_loss_coeff",
      "moe_z_loss_coeff", "moe_router_load_balancing_type", "optimizer", "precision", "params_dtype", "pipeline_dtype",
      "autocast_enabled", "gradient_as_bucket_view", "accumulate_grad_batches", "manual_gc", "manual_gc_interval",
      "manual_gc_eval", "check_for_nan_in_grad", "random_seed", "dataloader_type", "tokenizer_type", "eval_interval", "activation_func", "make_vocab_size_divisible_by", "bf16", "fp16",
      "distributed_backend", "distributed_timeout_minutes", "lazy_init", "use_gloo_process_groups"};
  return names;
}

bool is_number_text(const std::string& text) { return parse_count(text).has_value(); }

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// The model field (path below `model`) or plan key a table row sets.
std::string target_path(const FrameworkName& n, std::string& scope) {
  const std::string target = n.target;
  const auto dot = target.find('.');
  scope = target.substr(0, dot);
  return target.substr(dot + 1);
}

// A number given by a setting, or nullopt.
std::optional<double> number_of(const std::map<std::string, ImportedValue>& values, const std::string& key) {
  const auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  return parse_count(it->second.value);
}

// Builds a whole model description from the settings, with the framework's defaults for the rest
// (`megatron`: Megatron-LM's argument defaults; otherwise Megatron-Core's TransformerConfig ones).
void build_whole_model(ImportedRun& run, bool megatron, const std::map<std::string, std::string>& extra) {
  auto& m = run.model;
  if (!m.count("layers") || !m.count("hidden") || !m.count("heads")) return;
  const auto extra_value = [&](const std::string& key) -> std::optional<std::string> {
    const auto it = extra.find(key);
    if (it == extra.end()) return std::nullopt;
    return it->second;
  };
  YAML::Node node(YAML::NodeType::Map);
  node["name"] = run.source;
  for (const auto& [path, v] : m) {
    const auto dot = path.find('.');
    if (dot == std::string::npos)
      node[path] = v.value;
    else
      node[path.substr(0, dot)][path.substr(dot + 1)] = v.value;
  }
  const double hidden = parse_count(m.at("hidden").value).value_or(0);
  // kv heads: query groups (Megatron-LM reads --num-query-groups only with --group-query-attention).
  if (!m.count("kv_heads")) node["kv_heads"] = m.at("heads").value;
  if (!m.count("mlp")) node["mlp"] = "gelu";
  if (!m.count("ffn")) {
    // Megatron-LM: 4 x hidden, or with SwiGLU 2/3 of it rounded down to a multiple of 64.
    const bool swiglu = node["mlp"].Scalar() == "swiglu";
    const double ffn = megatron && swiglu ? std::floor(4 * hidden * 2 / 3 / 64) * 64 : 4 * hidden;
    // Written as an integer only where one holds it; a hidden size past any range (e.g. 4.1e80) keeps
    // the double, and the model's range check names the field (never an overflowing cast).
    if (ffn < 9.0e18)
      node["ffn"] = static_cast<long long>(ffn);
    else
      node["ffn"] = ffn;
  }
  if (!m.count("tied_embeddings")) node["tied_embeddings"] = true;
  if (!m.count("linear_biases")) node["linear_biases"] = true;
  // Learned absolute positions (the default embedding) add max_position_embeddings x hidden parameters.
  const std::string positions = extra_value("position_embedding_type").value_or("learned_absolute");
  if (positions == "learned_absolute" && !extra.count("no_position_embedding")) {
    const auto max_positions = extra_value("max_position_embeddings");
    const auto seq = run.plan.find("seq_len");
    if (max_positions)
      node["learned_positions"] = *max_positions;
    else if (seq != run.plan.end())
      node["learned_positions"] = seq->second.value;
  }
  // Dropout: both frameworks default to 0.1 for the hidden states and the attention probabilities.
  const double hidden_dropout = parse_count(extra_value("hidden_dropout").value_or("0.1")).value_or(0.1);
  const double attention_dropout = parse_count(extra_value("attention_dropout").value_or("0.1")).value_or(0.1);
  node["dropout"] = hidden_dropout > 0 || attention_dropout > 0;
  if (m.count("moe.routed_experts")) {
    if (!m.count("moe.top_k")) node["moe"]["top_k"] = 2;  // both frameworks' default router top-k
    if (!m.count("moe.expert_ffn")) node["moe"]["expert_ffn"] = node["ffn"];
  }
  YAML::Node provenance(YAML::NodeType::Map);
  provenance["kind"] = "published";
  provenance["source"] = run.source;
  node["provenance"] = provenance;
  run.whole_model = node;
}

// Megatron-LM pads the vocabulary to a multiple of make-vocab-size-divisible-by x tp (its
// _vocab_size_with_padding).
void pad_vocabulary(ImportedRun& run, double divisible_by) {
  if (!run.has_whole_model() || !run.whole_model["vocab"]) return;
  const auto vocab = parse_count(run.whole_model["vocab"].Scalar());
  if (!vocab || *vocab < 1 || *vocab > 1e12) return;  // the model loader reports it
  const auto tp = number_of(run.plan, "tp");
  const double multiple = divisible_by * (tp && *tp >= 1 && *tp <= 1e6 ? *tp : 1);
  run.whole_model["vocab"] = static_cast<long long>(std::ceil(*vocab / multiple) * multiple);
}

// A YAML boolean as the core schema spells it (true, True, TRUE; false, False, FALSE) in the one
// spelling the name tables use; any other text unchanged, for the tables to accept or refuse.
std::string yaml_boolean_word(const std::string& text) {
  if (text == "true" || text == "True" || text == "TRUE") return "true";
  if (text == "false" || text == "False" || text == "FALSE") return "false";
  return text;
}

// Megatron-FSDP's sharding strategies are ZeRO stages (optim 1, optim_grads 2, optim_grads_params 3;
// no_shard leaves the data-parallel sharding to the distributed-optimizer setting). Megatron-Core reads
// the strategy only with Megatron-FSDP on, and then it decides the stage over use_distributed_optimizer,
// which Megatron-FSDP's launch scripts and recipes set beside it. `where`: the strategy's origin;
// `ignored`: how the not-modelled list names it when Megatron-FSDP is off.
void apply_sharding_strategy(const std::string& strategy, bool megatron_fsdp, const std::string& where, const std::string& ignored,
                             ImportedRun& run) {
  const std::pair<const char*, const char*> stages[] = {
      {"no_shard", ""}, {"optim", "1"}, {"optim_grads", "2"}, {"optim_grads_params", "3"}};
  const auto* stage = std::find_if(std::begin(stages), std::end(stages), [&](const auto& s) { return strategy == s.first; });
  if (stage == std::end(stages))
    throw InputError(where, "", "expected no_shard | optim | optim_grads | optim_grads_params, got '" + strategy + "'");
  if (!megatron_fsdp)
    run.not_modelled.push_back(ignored);
  else if (*stage->second)
    run.plan["zero"] = {stage->second, where};
}

}  // namespace

void apply_framework_setting(const FrameworkName& n, const std::string& raw, const std::string& origin, ImportedRun& run) {
  const std::string value = trim(raw);
  std::string translated;
  if (n.value == FrameworkValue::same) {
    if (!is_number_text(value)) throw InputError(origin, "", "expected a number, got '" + value + "'");
    translated = value;
  } else {
    std::string list;
    bool found = false;
    for (const auto& [word, meaning] : n.words) {
      list += (list.empty() ? "" : " | ") + std::string(word);
      if (value == word) {
        translated = meaning;
        found = true;
      }
    }
    if (!found) throw InputError(origin, "", "expected " + list + ", got '" + value + "'");
    if (translated.empty()) return;  // a word that changes nothing (the default)
  }
  std::string scope;
  const std::string path = target_path(n, scope);
  auto& values = scope == "plan" ? run.plan : run.model;
  const auto it = values.find(path);
  if (it != values.end() && it->second.value != translated)
    throw InputError(origin, "", "sets " + std::string(n.target) + " to " + translated + ", but " + it->second.origin +
                                     " set it to " + it->second.value);
  values[path] = {translated, origin};
}

std::vector<Override> model_overrides(const ImportedRun& run) {
  std::vector<Override> overrides;
  if (run.has_whole_model()) return overrides;
  for (const auto& [path, v] : run.model) {
    Override o;
    o.scope = "model";
    std::string part;
    for (char c : path) {
      if (c == '.') {
        o.path.push_back(part);
        part.clear();
      } else {
        part += c;
      }
    }
    o.path.push_back(part);
    o.value = v.value;
    o.text = "model." + path + "=" + v.value;
    o.origin = v.origin;
    overrides.push_back(o);
  }
  return overrides;
}

ModelShape load_imported_model(const ImportedRun& run, const std::vector<Override>& overrides) {
  YAML::Node node = YAML::Clone(run.whole_model);
  for (const auto& o : overrides)
    if (o.scope == "model") apply_override(node, o);
  try {
    return naming_overrides(overrides, "model", [&] { return parse_model(node, run.source); });
  } catch (const InputError& e) {
    const std::string message = e.what();
    if (message.rfind(run.source + ": vocab: missing", 0) == 0)
      throw InputError(run.source, "vocab",
                       "missing: the vocabulary comes from the tokenizer, which trainplan does not read; give it in the file "
                       "(Megatron-LM --vocab-size N, NeMo vocab_size: N) or with --set model.vocab=N");
    for (const auto& [path, v] : run.model)
      if (message.find(": " + path + ":") != std::string::npos) throw InputError(v.origin + ": " + message);
    throw;
  }
}

// ---- Megatron-LM argument lists ----

ImportedRun parse_megatron_args(const std::string& text, const std::string& source) {
  if (!valid_utf8(text)) throw InputError(source, "", "not valid UTF-8 text");
  struct Argument {
    std::string name;
    std::vector<std::string> values;
    int line;
  };
  std::vector<Argument> arguments;
  int line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    std::string line = text.substr(start, end - start);
    start = end + 1;
    // A '\\' ending the line continues the argument list on the next: a space here.
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r')) line.pop_back();
    if (!line.empty() && line.back() == '\\') line.pop_back();
    ++line_number;
    const std::string where = source + " line " + std::to_string(line_number);
    // Words: whitespace-separated; a quoted part keeps its spaces out (they separate words, as an
    // unquoted bash expansion would); '#' at the start of a word ends the line; '\' at its end continues it.
    std::vector<std::string> words;
    std::string word;
    char quote = 0;
    bool in_word = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (quote) {
        if (c == quote) {
          quote = 0;
        } else if (c == ' ' || c == '\t') {
          if (!word.empty()) words.push_back(word);
          word.clear();
        } else {
          if (c == '$' && quote == '"') throw InputError(where, "", "'$' in \"" + line.substr(i) + "\": a shell variable left unexpanded; write its value");
          word += c;
        }
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        if (in_word && !word.empty()) words.push_back(word);
        word.clear();
        in_word = false;
        continue;
      }
      if (c == '#' && !in_word) break;
      if (c == '"' || c == '\'') {
        quote = c;
        in_word = true;
        continue;
      }
      if (c == '$') {
        std::size_t stop = line.find_first_of(" \t\"'", i);
        throw InputError(where, "", "'" + line.substr(i, stop == std::string::npos ? std::string::npos : stop - i) +
                                        "' is a shell variable left unexpanded; write its value");
      }
      if (c == '`' || c == ';' || c == '|' || c == '&' || c == '(' || c == ')' || c == '<' || c == '>')
        throw InputError(where, "", "'" + std::string(1, c) + "' is shell syntax; the file holds only --name value arguments");
      word += c;
      in_word = true;
    }
    if (quote) throw InputError(where, "", "unbalanced quote " + std::string(1, quote));
    if (!word.empty()) words.push_back(word);
    for (const std::string& w : words) {
      if (w.rfind("--", 0) == 0 && w.size() > 2) {
        const auto equals = w.find('=');
        arguments.push_back({w.substr(2, equals == std::string::npos ? std::string::npos : equals - 2), {}, line_number});
        if (equals != std::string::npos) arguments.back().values.push_back(w.substr(equals + 1));
        if (arguments.back().name.empty()) throw InputError(where, "", "'" + w + "' names no argument");
      } else if (arguments.empty()) {
        throw InputError(where, "", "expected a Megatron-LM argument (--name), got '" + w + "'");
      } else {
        arguments.back().values.push_back(w);
      }
    }
  }

  ImportedRun run;
  run.source = source;
  // Where an argument was read, for errors and for each setting's origin: "FILE line N (--name)".
  const auto argument_origin = [&](int line, const std::string& name) {
    return source + " line " + std::to_string(line) + " (--" + name + ")";
  };
  std::map<std::string, std::string> extra;  // settings that shape the model without a table row
  std::map<std::string, int> seen;           // argument -> line
  bool group_query_attention = false;
  std::optional<std::pair<std::string, int>> query_groups;
  bool megatron_fsdp = false;                                 // --use-megatron-fsdp (--use-custom-fsdp before it)
  std::optional<std::pair<std::string, int>> sharding;        // --data-parallel-sharding-strategy and its line
  double vocab_divisible_by = 128;
  std::string tokenizer;
  for (const Argument& a : arguments) {
    const std::string where = argument_origin(a.line, a.name);
    if (const auto it = seen.find(a.name); it != seen.end())
      throw InputError(where, "", "given twice (also on line " + std::to_string(it->second) + ")");
    seen[a.name] = a.line;
    const FrameworkName* n = find_megatron_name(a.name);
    const auto one_value = [&]() -> std::string {
      if (a.values.size() != 1)
        throw InputError(where, "", "expected one value, got " + std::to_string(a.values.size()));
      return a.values[0];
    };
    if (n) {
      if (n->megatron_switch) {
        if (!a.values.empty()) throw InputError(where, "", "is a switch and takes no value, got '" + a.values[0] + "'");
        apply_framework_setting(*n, "true", where, run);
      } else if (std::string(n->target) == "model.kv_heads") {
        query_groups = {one_value(), a.line};
      } else {
        apply_framework_setting(*n, one_value(), where, run);
      }
      continue;
    }
    if (a.name == "group-query-attention") {
      if (!a.values.empty()) throw InputError(where, "", "is a switch and takes no value");
      group_query_attention = true;
    } else if (a.name == "use-megatron-fsdp" || a.name == "use-custom-fsdp") {
      if (!a.values.empty()) throw InputError(where, "", "is a switch and takes no value");
      megatron_fsdp = true;
    } else if (a.name == "data-parallel-sharding-strategy") {
      sharding = {trim(one_value()), a.line};
    } else if (a.name == "position-embedding-type" || a.name == "max-position-embeddings" || a.name == "hidden-dropout" ||
               a.name == "attention-dropout") {
      std::string key = a.name;
      std::replace(key.begin(), key.end(), '-', '_');
      const std::string v = one_value();
      if (a.name != "position-embedding-type" && !is_number_text(v)) throw InputError(where, "", "expected a number, got '" + v + "'");
      extra[key] = v;
    } else if (a.name == "no-position-embedding") {
      extra["no_position_embedding"] = "true";
    } else if (a.name == "make-vocab-size-divisible-by") {
      const auto v = parse_count(one_value());
      if (!v || *v < 1 || *v > 1e6 || *v != std::floor(*v)) throw InputError(where, "", "expected a whole number 1 to 1000000");
      vocab_divisible_by = *v;
    } else if (a.name == "tokenizer-type") {
      tokenizer = one_value();
    } else if (a.name == "bf16" || a.name == "fp16") {
      // 16-bit training: trainplan's bf16 precision (fp16 is costed as bf16, the same bytes and tensor-core rate).
      if (!a.values.empty()) throw InputError(where, "", "is a switch and takes no value");
    } else if (!is_ignored(a.name, megatron_ignored())) {
      run.not_modelled.push_back("--" + a.name + " (line " + std::to_string(a.line) + ")");
    }
  }
  if (query_groups) {
    const std::string where = argument_origin(query_groups->second, "num-query-groups");
    if (group_query_attention)
      apply_framework_setting(*find_megatron_name("num-query-groups"), query_groups->first, where, run);
    else
      run.not_modelled.push_back("--num-query-groups (line " + std::to_string(query_groups->second) +
                                 ", read by Megatron-LM only with --group-query-attention)");
  }
  if (sharding)
    apply_sharding_strategy(sharding->first, megatron_fsdp, argument_origin(sharding->second, "data-parallel-sharding-strategy"),
                            "--data-parallel-sharding-strategy (line " + std::to_string(sharding->second) +
                                ", read by Megatron-LM only with --use-megatron-fsdp)",
                            run);
  // GPT-2's BPE tokenizer has 50,257 tokens (Radford et al. 2019); other tokenizers need --vocab-size.
  if (!run.model.count("vocab") && tokenizer == "GPT2BPETokenizer")
    run.model["vocab"] = {"50257", source + " (--tokenizer-type GPT2BPETokenizer)"};
  build_whole_model(run, true, extra);
  pad_vocabulary(run, vocab_divisible_by);
  return run;
}

ImportedRun import_megatron_args(const std::string& path) {
  return parse_megatron_args(read_text_file(path), "--megatron-args " + path);
}

// ---- NeMo 2.0 recipes and Megatron-Bridge configs ----

ImportedRun parse_nemo_recipe(const YAML::Node& document, const std::string& source) {
  if (!document.IsMap()) throw InputError(source, "", "expected a recipe mapping (model, trainer, data, ... or model, train, dataset, ...)");
  ImportedRun run;
  run.source = source;
  std::map<std::string, std::string> extra;
  std::map<std::string, std::string> extra_origin;
  // The sections read, by their path in the document.
  const std::vector<std::string> sections = {"model", "model.config", "trainer", "trainer.strategy", "trainer.strategy.ddp",
                                             "trainer.plugins", "data", "train", "dataset", "optim", "optim.config",
                                             "optimizer", "ddp", "dist", "mixed_precision", "tokenizer", "comm_overlap"};
  bool megatron_fsdp = false;                                     // Megatron-FSDP on (use_megatron_fsdp, strategy fsdp: megatron)
  struct ShardingSetting {
    std::string strategy, field, where;  // data_parallel_sharding_strategy's value, its path, "FILE: path"
  };
  std::optional<ShardingSetting> sharding;
  const auto section_node = [&](const std::string& path) -> YAML::Node {
    YAML::Node node = document;
    std::size_t begin = 0;
    while (begin <= path.size()) {
      const std::size_t dot = std::min(path.find('.', begin), path.size());
      const std::string key = path.substr(begin, dot - begin);
      if (!node.IsMap() || !node[key]) return YAML::Node();
      node.reset(node[key]);
      begin = dot + 1;
    }
    return node;
  };
  std::vector<std::pair<std::string, YAML::Node>> mappings;
  for (const std::string& path : sections) {
    const YAML::Node node = section_node(path);
    if (!node || node.IsNull()) continue;
    if (node.IsMap()) {
      mappings.emplace_back(path, node);
    } else if (node.IsSequence() && path == "trainer.plugins") {  // a list of plugins
      for (std::size_t i = 0; i < node.size(); ++i)
        if (node[i].IsMap()) mappings.emplace_back(path + "[" + std::to_string(i) + "]", node[i]);
    } else if (node.IsScalar() && path == "trainer.strategy.ddp") {
      // NeMo 2.0's MegatronStrategy takes ddp "megatron" (Megatron-Core's DDP with its defaults) or a
      // DistributedDataParallelConfig mapping.
      if (node.Scalar() != "megatron") run.not_modelled.push_back(path + " " + node.Scalar());
    } else if (node.IsScalar() && path == "mixed_precision") {
      // Megatron-Bridge names a precision recipe: bf16_mixed, bf16_with_fp8_delayed_scaling_mixed, ...
      const std::string recipe = node.Scalar();
      if (recipe.find("fp8") != std::string::npos)
        run.plan["precision"] = {"fp8", source + ": mixed_precision"};
      else if (recipe.find("bf16") == std::string::npos && recipe.find("fp16") == std::string::npos)
        run.not_modelled.push_back("mixed_precision " + recipe);
    } else if (path != "trainer.plugins") {
      throw InputError(source, path, "expected a mapping");
    }
  }
  const std::set<std::string> subsection_names = {"config", "strategy", "plugins", "ddp"};
  for (const auto& [path, node] : mappings) {
    for (const auto& entry : node) {
      if (!entry.first.IsScalar()) continue;  // check_document refused these already
      const std::string key = entry.first.Scalar();
      const std::string field = path + "." + key;
      const std::string where = source + ": " + field;
      const YAML::Node value = entry.second;
      if (value.IsMap() || value.IsSequence()) {
        if (!subsection_names.count(key) && !is_ignored(key, nemo_ignored())) run.not_modelled.push_back(field);
        continue;
      }
      if (value.IsNull() || !value.IsDefined()) continue;  // null: the framework's default
      const std::string text = value.Scalar();
      if (text == "null" || text == "None" || text.empty()) continue;
      if (key == "ddp" && path == "trainer.strategy") continue;  // its own section, read above
      if (const FrameworkName* n = find_nemo_name(key)) {
        apply_framework_setting(*n, yaml_boolean_word(text), where, run);
      } else if (key == "position_embedding_type" || key == "max_position_embeddings" || key == "hidden_dropout" ||
                 key == "attention_dropout") {
        if (key != "position_embedding_type" && !is_number_text(text)) throw InputError(where, "", "expected a number, got '" + text + "'");
        if (extra.count(key) && extra[key] != text)
          throw InputError(where, "", "is " + text + ", but " + extra_origin[key] + " is " + extra[key]);
        extra[key] = text;
        extra_origin[key] = where;
      } else if (key == "use_megatron_fsdp") {  // Megatron-Bridge: ddp.use_megatron_fsdp or dist.use_megatron_fsdp
        const std::string word = yaml_boolean_word(text);
        if (word != "true" && word != "false") throw InputError(where, "", "expected true | false, got '" + text + "'");
        megatron_fsdp = megatron_fsdp || word == "true";
      } else if (key == "fsdp" && path == "trainer.strategy") {  // NeMo 2.0: MegatronStrategy(fsdp="megatron" | "pytorch")
        if (text == "megatron")
          megatron_fsdp = true;
        else
          run.not_modelled.push_back(field + " " + text);
      } else if (key == "data_parallel_sharding_strategy") {
        if (sharding && sharding->strategy != text)
          throw InputError(where, "", "is " + text + ", but " + sharding->where + " is " + sharding->strategy);
        sharding = ShardingSetting{text, field, where};
      } else if (key == "num_nodes" || key == "devices") {
        if (!is_number_text(text)) throw InputError(where, "", "expected a number, got '" + text + "'");
        extra[key] = text;
        extra_origin[key] = where;
      } else if (!is_ignored(key, nemo_ignored())) {
        run.not_modelled.push_back(field);
      }
    }
  }
  if (sharding)
    apply_sharding_strategy(sharding->strategy, megatron_fsdp, sharding->where,
                            sharding->field + " (read by Megatron-Core only with use_megatron_fsdp)", run);
  // trainer.num_nodes x trainer.devices: the job's GPUs.
  if (extra.count("num_nodes") && extra.count("devices")) {
    const double gpus = parse_count(extra["num_nodes"]).value_or(0) * parse_count(extra["devices"]).value_or(0);
    if (gpus >= 1 && gpus <= 1e9) run.plan["gpus"] = {std::to_string(static_cast<long long>(gpus)), source + ": trainer.num_nodes x trainer.devices"};
  }
  build_whole_model(run, false, extra);
  return run;
}

ImportedRun import_nemo_recipe(const std::string& path) {
  return parse_nemo_recipe(load_yaml_file(path), "--nemo-recipe " + path);
}

}  // namespace trainplan
