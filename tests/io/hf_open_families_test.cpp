// Hugging Face config.json of the current open families (Qwen2, Qwen3, Qwen2-MoE, Gemma 2, Gemma 3,
// Phi-3, DeepSeek-V2, OLMoE): each fixture is a checkpoint's published config.json
// (tests/fixtures/hf/README.md); each test checks the planner's parameter count against the
// published one (source beside it) within 1%, and that a plan of the model runs.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "planner/core/model/parameter_count.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/input_error.hpp"
#include "../cli/cli_runner.hpp"

namespace trainplan {

namespace {

const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/hf/";

// Runs `plan` on the fixture with the given layout; returns the JSON (status checked by the caller).
nlohmann::json plan_json(const std::string& file, const std::vector<std::string>& layout) {
  std::vector<std::string> args = {"plan", "--model", fixtures + file, "--tokens", "1T", "--format", "json"};
  args.insert(args.end(), layout.begin(), layout.end());
  const auto run = trainplan::testing::run(args);
  EXPECT_EQ(run.status, 0) << file << ": " << run.err;
  if (run.status != 0) return {};
  return nlohmann::json::parse(run.out);
}

void expect_plan_runs(const std::string& file, const std::vector<std::string>& layout, double params_total) {
  const nlohmann::json j = plan_json(file, layout);
  if (j.is_null()) return;
  EXPECT_TRUE(j["fits_in_memory"].get<bool>()) << file;
  const double step = j["step_time_s"].get<double>();
  EXPECT_TRUE(std::isfinite(step) && step > 0) << file << " step " << step;
  EXPECT_GT(j["time_to_train_days"].get<double>(), 0.0) << file;
  // The plan costs the model the loader read.
  EXPECT_DOUBLE_EQ(j["params_total"].get<double>(), params_total) << file;
}

std::string load_error(const std::string& text) {
  // One file per test: ctest runs the tests of this file in parallel processes.
  const std::string path = ::testing::TempDir() + "hf_open_families_" +
                           ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".json";
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs(text.c_str(), f);
    std::fclose(f);
  }
  try {
    load_model(path, {});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// Qwen2.5-7B model card: 7.61B parameters, 6.53B non-embedding. Biases on q, k, v only.
TEST(HuggingFaceOpenFamilies, Qwen2HasQkvBiases) {
  const ModelShape m = load_model(fixtures + "qwen2.5-7b-config.json", {});
  EXPECT_TRUE(m.qkv_biases);
  EXPECT_FALSE(m.linear_biases);
  EXPECT_FALSE(m.tied_embeddings);
  EXPECT_EQ(m.attention_window, 0);  // sliding_window is set but use_sliding_window is false
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 7.61e9, 1.0, 0.01);
  EXPECT_NEAR((p.total - p.embedding - p.output_head) / 6.53e9, 1.0, 0.01);
  // The biases: 28 layers x (3584 + 2 x 512).
  ModelShape without = m;
  without.qkv_biases = false;
  EXPECT_DOUBLE_EQ(p.total - count_parameters(without).total, 28.0 * (3584 + 2 * 512));
  expect_plan_runs("qwen2.5-7b-config.json", {"--gpus", "8", "--tp", "4", "--global-batch", "64", "--seq-len", "4096"}, p.total);
}

// Qwen3-8B model card: 8.2B parameters, 6.95B non-embedding. RMSNorm of each head's q and k.
TEST(HuggingFaceOpenFamilies, Qwen3HasQkNorm) {
  const ModelShape m = load_model(fixtures + "qwen3-8b-config.json", {});
  EXPECT_EQ(m.qk_norm, QkNorm::per_head);
  EXPECT_FALSE(m.qkv_biases);
  EXPECT_EQ(m.head_dim, 128);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 8.2e9, 1.0, 0.01);
  EXPECT_NEAR((p.total - p.embedding - p.output_head) / 6.95e9, 1.0, 0.01);
  expect_plan_runs("qwen3-8b-config.json", {"--gpus", "8", "--tp", "8", "--global-batch", "64", "--seq-len", "4096"}, p.total);
}

// Qwen1.5-MoE-A2.7B model card: 14.3B parameters in total, 2.7B activated. Its shared expert of
// 5632 = 4 x 1408 is costed as four experts of moe_intermediate_size.
TEST(HuggingFaceOpenFamilies, Qwen2MoeHasASharedExpert) {
  const ModelShape m = load_model(fixtures + "qwen1.5-moe-a2.7b-config.json", {});
  EXPECT_EQ(m.moe.routed_experts, 60);
  EXPECT_EQ(m.moe.top_k, 4);
  EXPECT_EQ(m.moe.expert_ffn, 1408);
  EXPECT_EQ(m.moe.shared_experts, 4);
  EXPECT_EQ(m.moe_layers(), 24);
  EXPECT_TRUE(m.qkv_biases);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 14.3e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 2.7e9, 1.0, 0.01);
  expect_plan_runs("qwen1.5-moe-a2.7b-config.json",
                   {"--gpus", "16", "--tp", "1", "--ep", "4", "--zero", "1", "--global-batch", "64", "--seq-len", "4096"}, p.total);
}

// Gemma 2 technical report (arXiv 2408.00118) Table 2, 9B: 917,504,000 embedding and
// 8,324,201,984 non-embedding parameters; the count matches both exactly (four norms per layer,
// head_dim 256 apart from 3584 / 16, tied embeddings).
TEST(HuggingFaceOpenFamilies, Gemma2CountsExactlyAndInterleavesWindows) {
  const ModelShape m = load_model(fixtures + "gemma-2-9b-config.json", {});
  EXPECT_EQ(m.head_dim, 256);
  EXPECT_TRUE(m.tied_embeddings);  // not in the config: Gemma's default
  EXPECT_TRUE(m.sandwich_norms);
  EXPECT_EQ(m.mlp, MlpKind::swiglu);  // gated GeLU: the same three matrices
  EXPECT_EQ(m.attention_window, 4096);
  EXPECT_EQ(m.full_attention_interval, 2);
  const ParameterCount p = count_parameters(m);
  EXPECT_DOUBLE_EQ(p.embedding, 917504000.0);
  EXPECT_DOUBLE_EQ(p.total - p.embedding, 8324201984.0);
  EXPECT_NEAR(p.total / (917504000.0 + 8324201984.0), 1.0, 0.01);
  // At 8192 tokens half the layers attend to a 4096 window: fewer pairs than full attention.
  EXPECT_LT(m.attention_pair_fraction(8192), 1.0);
  EXPECT_GT(m.attention_pair_fraction(8192), 0.5);
  expect_plan_runs("gemma-2-9b-config.json", {"--gpus", "16", "--tp", "8", "--global-batch", "64", "--seq-len", "8192"}, p.total);
}

// Gemma 3 technical report (arXiv 2503.19786) Table 1, 1B: 302M embedding, 698M non-embedding.
// One layer in six attends fully (sliding_window_pattern 6), the others to 512 tokens.
TEST(HuggingFaceOpenFamilies, Gemma3HasQkNormAndOneFullLayerInSix) {
  const ModelShape m = load_model(fixtures + "gemma-3-1b-config.json", {});
  EXPECT_EQ(m.qk_norm, QkNorm::per_head);
  EXPECT_TRUE(m.sandwich_norms);
  EXPECT_TRUE(m.tied_embeddings);
  EXPECT_EQ(m.attention_window, 512);
  EXPECT_EQ(m.full_attention_interval, 6);
  EXPECT_EQ(m.kv_heads, 1);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.embedding / 302e6, 1.0, 0.01);
  EXPECT_NEAR((p.total - p.embedding) / 698e6, 1.0, 0.01);
  EXPECT_NEAR(p.total / 1.0e9, 1.0, 0.01);
  expect_plan_runs("gemma-3-1b-config.json", {"--gpus", "8", "--tp", "1", "--global-batch", "64", "--seq-len", "4096"}, p.total);
}

// Phi-3 technical report (arXiv 2404.14219): phi-3-mini has 3.8B parameters. Every layer attends
// to a 2047-token window (the config's sliding_window, shorter than its 4096-token context).
TEST(HuggingFaceOpenFamilies, Phi3MiniCountsAndWindows) {
  const ModelShape m = load_model(fixtures + "phi-3-mini-4k-config.json", {});
  EXPECT_EQ(m.name, "Phi-3-mini-4k-instruct");
  EXPECT_EQ(m.attention_window, 2047);
  EXPECT_EQ(m.full_attention_interval, 0);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 3.8e9, 1.0, 0.01);
  expect_plan_runs("phi-3-mini-4k-config.json", {"--gpus", "8", "--tp", "4", "--global-batch", "64", "--seq-len", "4096"}, p.total);
}

// DeepSeek-V2 paper (arXiv 2405.04434): 236B total, 21B activated per token. MLA, 160 routed and
// 2 shared experts, top-6 from 3 of 8 groups, the first layer dense.
TEST(HuggingFaceOpenFamilies, DeepSeekV2ReadsAsV3WithoutMtp) {
  const ModelShape m = load_model(fixtures + "deepseek-v2-config.json", {});
  EXPECT_EQ(m.attention, AttentionKind::mla);
  EXPECT_EQ(m.mla.q_lora_rank, 1536);
  EXPECT_EQ(m.moe.routed_experts, 160);
  EXPECT_EQ(m.moe.shared_experts, 2);
  EXPECT_EQ(m.moe.top_k, 6);
  EXPECT_EQ(m.moe.first_dense_layers, 1);
  EXPECT_EQ(m.moe.expert_groups, 8);
  EXPECT_EQ(m.moe.groups_per_token, 3);
  EXPECT_EQ(m.mtp_layers, 0);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 236e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 21e9, 1.0, 0.03);
  expect_plan_runs("deepseek-v2-config.json",
                   {"--gpus", "512", "--tp", "1", "--pp", "4", "--ep", "32", "--global-batch", "1024", "--seq-len", "4096",
                    "--recompute", "full", "--zero", "1"},
                   p.total);
}

// Same paper, DeepSeek-V2-Lite: 15.7B total, 2.4B activated (input embedding not counted, as
// DeepSeek counts). q_lora_rank is null: queries are projected directly.
TEST(HuggingFaceOpenFamilies, DeepSeekV2LiteHasNoQueryCompression) {
  const ModelShape m = load_model(fixtures + "deepseek-v2-lite-config.json", {});
  EXPECT_EQ(m.mla.q_lora_rank, 0);
  EXPECT_EQ(m.moe.expert_groups, 0);  // n_group 1: unlimited
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 15.7e9, 1.0, 0.01);
  EXPECT_NEAR((p.active - p.embedding) / 2.4e9, 1.0, 0.03);
  expect_plan_runs("deepseek-v2-lite-config.json",
                   {"--gpus", "16", "--tp", "1", "--ep", "8", "--global-batch", "64", "--seq-len", "4096"}, p.total);
}

// OLMoE paper (arXiv 2409.02060) Table 1: OLMoE-1B-7B has 6.9B total and 1.3B active parameters.
// Every layer MoE (64 experts, top 8); RMSNorm over the whole query and key widths.
TEST(HuggingFaceOpenFamilies, OlmoeIsAllMoeWithFullWidthQkNorm) {
  const ModelShape m = load_model(fixtures + "olmoe-1b-7b-config.json", {});
  EXPECT_EQ(m.moe.routed_experts, 64);
  EXPECT_EQ(m.moe.top_k, 8);
  EXPECT_EQ(m.moe.expert_ffn, 1024);
  EXPECT_EQ(m.moe_layers(), 16);
  EXPECT_EQ(m.qk_norm, QkNorm::full_width);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 6.9e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 1.3e9, 1.0, 0.02);
  expect_plan_runs("olmoe-1b-7b-config.json", {"--gpus", "16", "--tp", "1", "--ep", "8", "--global-batch", "64", "--seq-len", "4096"},
                   p.total);
}

// The same keys in a trainplan model (YAML or --set) add their parameters: 32 layers of Llama 3 8B.
TEST(HuggingFaceOpenFamilies, ModelKeysAddTheirParameters) {
  const ModelShape base = load_model("llama3-8b", {});
  const double total = count_parameters(base).total;
  const ModelShape qk = load_model("llama3-8b", {parse_override("model.qk_norm=per_head")});
  EXPECT_DOUBLE_EQ(count_parameters(qk).total - total, 32.0 * 2 * 128);
  const ModelShape full = load_model("llama3-8b", {parse_override("model.qk_norm=full_width")});
  EXPECT_DOUBLE_EQ(count_parameters(full).total - total, 32.0 * (4096 + 1024));
  const ModelShape biases = load_model("llama3-8b", {parse_override("model.qkv_biases=true")});
  EXPECT_DOUBLE_EQ(count_parameters(biases).total - total, 32.0 * (4096 + 2 * 1024));
  const ModelShape sandwich = load_model("llama3-8b", {parse_override("model.sandwich_norms=true")});
  EXPECT_DOUBLE_EQ(count_parameters(sandwich).total - total, 32.0 * 2 * 4096);
}

TEST(HuggingFaceOpenFamilies, UnknownArchitectureListsTheNewFamilies) {
  const std::string error = load_error(R"({"architectures": ["Gemma3ForConditionalGeneration"], "hidden_size": 8})");
  EXPECT_NE(error.find("architectures"), std::string::npos) << error;
  for (const char* name : {"Qwen2ForCausalLM", "Qwen3ForCausalLM", "Qwen2MoeForCausalLM", "Gemma2ForCausalLM",
                           "Gemma3ForCausalLM", "Phi3ForCausalLM", "DeepseekV2ForCausalLM", "OlmoeForCausalLM"})
    EXPECT_NE(error.find(name), std::string::npos) << name << " not listed: " << error;
}

TEST(HuggingFaceOpenFamilies, BadFamilyFieldsNameTheField) {
  const std::string qwen2 =
      R"({"architectures": ["Qwen2MoeForCausalLM"], "hidden_size": 256, "intermediate_size": 512, "num_attention_heads": 4,
          "num_hidden_layers": 4, "vocab_size": 1000, "num_experts": 8, "num_experts_per_tok": 2, "moe_intermediate_size": 64)";
  EXPECT_NE(load_error(qwen2 + R"(, "shared_expert_intermediate_size": 100})").find("shared_expert_intermediate_size"), std::string::npos);
  EXPECT_NE(load_error(qwen2 + R"(, "mlp_only_layers": [0, "x"]})").find("mlp_only_layers[1]"), std::string::npos);
  EXPECT_NE(load_error(qwen2 + R"(, "mlp_only_layers": [1]})").find("mlp_only_layers"), std::string::npos);
  EXPECT_NE(load_error(qwen2 + R"(, "mlp_only_layers": {"a": 1}})").find("mlp_only_layers"), std::string::npos);
  EXPECT_NE(load_error(qwen2 + R"(, "use_sliding_window": true, "sliding_window": 64, "max_window_layers": 2})").find("max_window_layers"),
            std::string::npos);
  EXPECT_NE(load_error(qwen2 + R"(, "use_sliding_window": "maybe"})").find("use_sliding_window"), std::string::npos);
  EXPECT_EQ(load_error(qwen2 + "}"), "");
  const std::string gemma =
      R"({"architectures": ["Gemma3ForCausalLM"], "hidden_size": 256, "intermediate_size": 512, "num_attention_heads": 4,
          "num_key_value_heads": 1, "head_dim": 64, "num_hidden_layers": 4, "vocab_size": 1000, "sliding_window": 32)";
  EXPECT_NE(load_error(gemma + R"(, "sliding_window_pattern": "six"})").find("sliding_window_pattern"), std::string::npos);
  EXPECT_NE(load_error(gemma + R"(, "layer_types": ["sliding_attention", "full_attention"]})").find("layer_types"), std::string::npos);
  EXPECT_NE(load_error(gemma + R"(, "layer_types": ["sliding_attention", "chunked", "sliding_attention", "full_attention"]})")
                .find("layer_types[1]"),
            std::string::npos);
  EXPECT_NE(load_error(gemma + R"(, "layer_types": [[1], "full_attention", "sliding_attention", "full_attention"]})").find("layer_types[0]"),
            std::string::npos);
  EXPECT_NE(load_error(gemma + R"(, "tie_word_embeddings": 3})").find("tie_word_embeddings"), std::string::npos);
  EXPECT_EQ(load_error(gemma + R"(, "layer_types": ["sliding_attention", "full_attention", "sliding_attention", "full_attention"]})"), "");
  EXPECT_NE(load_error(R"({"architectures": ["DeepseekV2ForCausalLM"], "hidden_size": 256, "text_config": 3})").find("text_config"),
            std::string::npos);
  EXPECT_NE(load_error(R"({"architectures": ["DeepseekV2ForCausalLM"], "hidden_size": 256, "intermediate_size": 512,
                           "num_attention_heads": 4, "num_hidden_layers": 4, "vocab_size": 1000, "moe_layer_freq": 2})")
                .find("moe_layer_freq"),
            std::string::npos);
}

}  // namespace trainplan
