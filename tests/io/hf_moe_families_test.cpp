#include <gtest/gtest.h>

#include "planner/core/evaluate.hpp"
#include "planner/core/model/layer_work.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/validation_loader.hpp"

namespace trainplan {

namespace {
const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/hf/";
}

// Published totals: Qwen3-30B-A3B model card (30.5B total, 3.3B activated); gpt-oss model card
// (116.83B total, 5.13B active, 120b); Llama 4 Maverick model card (400B total, 17B active).
TEST(HuggingFaceMoeFamilies, Qwen3MoeReadsExpertsAndDenseWidth) {
  const ModelShape m = load_model(fixtures + "qwen3-30b-a3b-config.json", {});
  EXPECT_EQ(m.moe.routed_experts, 128);
  EXPECT_EQ(m.moe.top_k, 8);
  EXPECT_EQ(m.moe.expert_ffn, 768);
  EXPECT_EQ(m.moe.layer_interval, 1);
  EXPECT_EQ(m.moe_layers(), 48);
  EXPECT_EQ(m.head_dim, 128);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 30.5e9, 1.0, 0.02);
  EXPECT_NEAR(p.active / 3.3e9, 1.0, 0.05);
}

// The shape the megatron-bridge-h100-moe validation row costs for Qwen3-235B-A22B (planner/data/
// validation.yaml), from the Hugging Face config (Qwen/Qwen3-235B-A22B config.json): the model card's
// 235B total and 22B activated.
TEST(HuggingFaceMoeFamilies, Qwen3LargeMoeMatchesItsModelCard) {
  const ModelShape m = load_model(fixtures + "qwen3-235b-a22b-config.json", {});
  EXPECT_EQ(m.layers, 94);
  EXPECT_EQ(m.hidden, 4096);
  EXPECT_EQ(m.kv_heads, 4);
  EXPECT_EQ(m.moe.expert_ffn, 1536);
  EXPECT_EQ(m.moe_layers(), 94);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 235e9, 1.0, 0.02);
  EXPECT_NEAR(p.active / 22e9, 1.0, 0.05);
}

TEST(HuggingFaceMoeFamilies, GptOssReadsAlternatingSlidingWindowLayers) {
  const ModelShape m = load_model(fixtures + "gpt-oss-120b-config.json", {});
  EXPECT_EQ(m.moe.routed_experts, 128);
  EXPECT_EQ(m.moe.top_k, 4);
  EXPECT_EQ(m.attention_window, 128);
  EXPECT_EQ(m.full_attention_interval, 2);
  EXPECT_TRUE(m.attention_sinks);
  // Half the layers full, half a 128-token window, at 4096 tokens.
  const double windowed = (128.0 - 128.0 * 128.0 / (2.0 * 4096)) / 2048.0;
  EXPECT_NEAR(m.attention_pair_fraction(4096), 0.5 + 0.5 * windowed, 1e-12);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 116.83e9, 1.0, 0.02);
  // OpenAI's 5.13B active leaves out the input embedding (a lookup), as DeepSeek's convention does.
  EXPECT_NEAR((p.active - 201088.0 * 2880.0) / 5.13e9, 1.0, 0.02);
}

TEST(HuggingFaceMoeFamilies, Llama4InterleavesDenseAndMoeLayers) {
  const ModelShape m = load_model(fixtures + "llama4-maverick-config.json", {});
  EXPECT_EQ(m.moe.layer_interval, 2);
  EXPECT_EQ(m.moe_layers(), 24);
  EXPECT_EQ(m.dense_layers(), 24);
  EXPECT_FALSE(m.is_moe_layer(0));
  EXPECT_TRUE(m.is_moe_layer(1));
  EXPECT_EQ(m.dense_layers_in(10, 6), 3);  // layers 10, 12, 14
  EXPECT_EQ(m.ffn, 16384);
  EXPECT_EQ(m.moe.shared_experts, 1);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 400e9, 1.0, 0.02);
  EXPECT_NEAR(p.active / 17e9, 1.0, 0.05);
}

TEST(HuggingFaceMoeFamilies, WindowedAttentionCostsLessThanFull) {
  ModelShape m = load_model(fixtures + "gpt-oss-120b-config.json", {});
  ParallelPlan plan;
  plan.seq_len = 8192;
  const double windowed = dense_layer_work(m, plan).flash_attention_flops;
  m.attention_window = 0;
  const double full = dense_layer_work(m, plan).flash_attention_flops;
  EXPECT_LT(windowed, 0.6 * full);
  EXPECT_GT(windowed, 0.5 * full);
}

TEST(HuggingFaceMoeFamilies, InterleavedPatternsSpreadDenseLayersOverStages) {
  // Llama 4-style: the pipeline's stages each hold half dense, half MoE layers, so no stage is all MoE.
  const ModelShape m = load_model(fixtures + "llama4-maverick-config.json", {});
  for (int stage = 0; stage < 4; ++stage) EXPECT_EQ(m.dense_layers_in(stage * 12, 12), 6);
}

TEST(HuggingFaceMoeFamilies, BadPatternsNameTheField) {
  try {
    load_model("mixtral-8x7b", {parse_override("model.moe.layer_interval=64")});
    FAIL() << "accepted a layer_interval beyond the layers";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("layer_interval"), std::string::npos) << e.what();
  }
  try {
    load_model("mixtral-8x7b", {parse_override("model.full_attention_interval=2")});
    FAIL() << "accepted full_attention_interval without a window";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("attention_window"), std::string::npos) << e.what();
  }
}

// The DGX Cloud 2025 Llama 4 Maverick validation rows transcribe the model's shape into
// planner/data/validation.yaml; costed with the shape the Hugging Face config loads instead, every row
// predicts the same step, so the transcription is the published model.
TEST(HuggingFaceMoeFamilies, TheMaverickValidationRowsCostTheHuggingFaceShape) {
  const ModelShape hf = load_model(fixtures + "llama4-maverick-config.json", {});
  int rows = 0;
  for (const ValidationCase& c : bundled_validation_set().cases) {
    if (c.group != "dgxc-2025-llama4-maverick") continue;
    SCOPED_TRACE(c.name);
    ValidationCase from_hf = c;
    from_hf.scenario.model = hf;
    const ValidationRow bundled = run_validation_case(c), loaded = run_validation_case(from_hf);
    ASSERT_TRUE(bundled.problem.empty()) << bundled.problem;
    EXPECT_NEAR(bundled.predicted, loaded.predicted, 1e-9 * loaded.predicted);
    ++rows;
  }
  EXPECT_EQ(rows, 2);  // bf16 and fp8
}

}  // namespace trainplan
