#include <gtest/gtest.h>

#include <string>

#include "planner/core/attention_efficiency.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {
const std::string fixtures = TRAINPLAN_TEST_FIXTURES;

// The message of the InputError that loading `path` throws ("" if none).
std::string load_error(const std::string& path, const std::vector<Override>& overrides = {}) {
  try {
    load_model(path, overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(ModelLoader, ReadsTrainplanYaml) {
  const ModelShape m = load_model(fixtures + "/models/tiny.yaml", {});
  EXPECT_EQ(m.layers, 4);
  EXPECT_EQ(m.hidden, 512);
  EXPECT_EQ(m.kv_heads, 8);
  EXPECT_EQ(m.mlp, MlpKind::swiglu);
}

TEST(ModelLoader, BundledPresetsLoadByName) {
  for (const auto& name : model_preset_names()) {
    SCOPED_TRACE(name);
    EXPECT_NO_THROW(load_model(name, {}));
  }
  EXPECT_EQ(load_model("llama3-70b", {}).layers, 80);
}

TEST(ModelLoader, HuggingFaceLlamaIsGatedSwiGlu) {
  const ModelShape m = load_model(fixtures + "/hf/llama3-8b-config.json", {});
  EXPECT_EQ(m.mlp, MlpKind::swiglu);
  EXPECT_EQ(m.kv_heads, 8);
  EXPECT_EQ(m.vocab, 128256);
  EXPECT_FALSE(m.tied_embeddings);
  EXPECT_EQ(load_model(fixtures + "/hf/mistral-7b-config.json", {}).mlp, MlpKind::swiglu);
}

TEST(ModelLoader, HuggingFaceGptNeoXIsPlainGeluWithBiases) {
  const ModelShape m = load_model(fixtures + "/hf/pythia-12b-config.json", {});
  EXPECT_EQ(m.mlp, MlpKind::gelu);
  EXPECT_TRUE(m.linear_biases);
  EXPECT_EQ(m.kv_heads, 40);  // no num_key_value_heads: multi-head attention
}

TEST(ModelLoader, HuggingFaceNemotronIsSquaredRelu) {
  EXPECT_EQ(load_model(fixtures + "/hf/nemotron-4-15b-config.json", {}).mlp, MlpKind::squared_relu);
}

TEST(ModelLoader, UnknownArchitectureIsNamed) {
  const std::string error = load_error(fixtures + "/hf/unknown-architecture-config.json");
  EXPECT_NE(error.find("FalconForCausalLM"), std::string::npos) << error;
  EXPECT_NE(error.find("architectures"), std::string::npos) << error;
}

TEST(ModelLoader, BadInputNamesFileFieldAndExpectation) {
  struct Case {
    const char* file;
    const char* field;
    const char* expected;
  } cases[] = {
      {"bad-heads.yaml", "heads", "whole number from 1 to 65536"},
      {"unknown-key.yaml", "hiden_size", "unknown key"},
      {"wrong-type.yaml", "layers", "expected a number"},
      {"bad-mlp.yaml", "mlp", "one of gelu | swiglu | squared-relu"},
      {"malformed.yaml", "malformed.yaml", "not valid YAML"},
  };
  for (const auto& c : cases) {
    const std::string error = load_error(fixtures + "/models/" + c.file);
    SCOPED_TRACE(c.file);
    EXPECT_NE(error.find(c.file), std::string::npos) << error;
    EXPECT_NE(error.find(c.field), std::string::npos) << error;
    EXPECT_NE(error.find(c.expected), std::string::npos) << error;
  }
}

TEST(ModelLoader, MissingFileOrPresetListsPresets) {
  const std::string error = load_error("no-such-model");
  EXPECT_NE(error.find("not a bundled preset"), std::string::npos) << error;
  EXPECT_NE(error.find("llama3-8b"), std::string::npos) << error;
}

TEST(ModelLoader, OverridesApplyBeforeChecking) {
  const ModelShape m = load_model("llama3-8b", {parse_override("model.layers=16")});
  EXPECT_EQ(m.layers, 16);
  const std::string error = load_error("llama3-8b", {parse_override("model.layers=-1")});
  EXPECT_NE(error.find("layers"), std::string::npos) << error;
  EXPECT_NE(load_error("llama3-8b", {parse_override("model.layerz=3")}).find("unknown key"), std::string::npos);
}

TEST(Overrides, MalformedOverridesAreRejected) {
  EXPECT_THROW(parse_override("model.layers"), InputError);
  EXPECT_THROW(parse_override("=3"), InputError);
  EXPECT_THROW(parse_override("layers=3"), InputError);
  EXPECT_THROW(parse_override("model..layers=3"), InputError);
  const Override o = parse_override("fabric.tiers.spine.oversubscription=2");
  EXPECT_EQ(o.scope, "fabric");
  ASSERT_EQ(o.path.size(), 3u);
  EXPECT_EQ(o.value, "2");
}

TEST(Counts, AcceptSuffixes) {
  EXPECT_DOUBLE_EQ(*parse_count("16M"), 16e6);
  EXPECT_DOUBLE_EQ(*parse_count("15.6T"), 15.6e12);
  EXPECT_DOUBLE_EQ(*parse_count("50000"), 50000);
  EXPECT_DOUBLE_EQ(*parse_count("2k"), 2000);
  EXPECT_FALSE(parse_count("16X").has_value());
  EXPECT_FALSE(parse_count("").has_value());
  EXPECT_FALSE(parse_count("M").has_value());
  // Binary suffixes: powers of 1024 (16Mi tokens = 2048 sequences of 8192).
  EXPECT_DOUBLE_EQ(*parse_count("16Mi"), 16.0 * 1024 * 1024);
  EXPECT_DOUBLE_EQ(*parse_count("4Ki"), 4096);
  EXPECT_DOUBLE_EQ(*parse_count("1.5Ti"), 1.5 * 1024.0 * 1024 * 1024 * 1024);
  EXPECT_FALSE(parse_count("Mi").has_value());
  EXPECT_FALSE(parse_count("16i").has_value());
}

TEST(GpuLoader, PresetsCarryProvenance) {
  for (const auto& name : gpu_preset_names()) {
    SCOPED_TRACE(name);
    const GpuSpec g = load_gpu(name, {});
    EXPECT_EQ(g.provenance.kind, "published");
    EXPECT_FALSE(g.provenance.source.empty());
    EXPECT_GT(g.bf16_dense_tflops, 0);
  }
  EXPECT_DOUBLE_EQ(load_gpu("h100-sxm", {}).bf16_dense_tflops, 989.4);
}

// The bundled Hopper files carry FlashAttention's published curves, read as fractions of the bf16
// peak: FlashAttention-2's forward + backward at causal head dimension 128, 4,096 keys is 294
// TFLOP/s; the derived FlashAttention-3 figure there 491.
TEST(GpuLoader, AttentionCurvesAreTflopsOverTheBf16Peak) {
  const GpuSpec h100 = load_gpu("h100-sxm", {});
  ASSERT_FALSE(h100.flash2.curves.empty());
  ASSERT_FALSE(h100.flash3.curves.empty());
  EXPECT_NEAR(attention_fraction_at(h100.flash2, {true, 128, 4096}), 294 / 989.4, 1e-12);
  EXPECT_NEAR(attention_fraction_at(h100.flash3, {true, 128, 4096}), 491 / 989.4, 1e-12);
  EXPECT_NEAR(attention_fraction_at(load_gpu("a100-sxm-80gb", {}).flash2, {true, 128, 2048}), 155 / 312.0, 1e-12);
  // A plain number is still one figure for every shape.
  const GpuSpec flat = load_gpu("h100-sxm", {parse_override("gpu.attention_kernels.flash3=0.5")});
  EXPECT_TRUE(flat.flash3.curves.empty());
  EXPECT_DOUBLE_EQ(attention_fraction_at(flat.flash3, {true, 128, 4096}), 0.5);
}

TEST(GpuLoader, AWrongAttentionCurveNamesItsField) {
  const auto error_of = [](const std::string& kernel) {
    const std::string text = "name: g\nbf16_dense_tflops: 1000\nhbm_gib: 80\nhbm_tb_s: 3\ntdp_w: 700\n"
                             "provenance: {kind: published, source: s}\n"
                             "attention_kernels:\n  flash2: " + kernel + "\n  provenance: {kind: published, source: s}\n";
    try {
      parse_gpu(YAML::Load(text), "g.yaml");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_EQ(error_of("{causal_head_dim_128: {2048: 265, 4096: 294}}"), "accepted");
  const std::string bad_name = error_of("{diagonal_head_dim_128: {2048: 265}}");
  EXPECT_NE(bad_name.find("attention_kernels.flash2.diagonal_head_dim_128"), std::string::npos) << bad_name;
  EXPECT_NE(bad_name.find("causal_head_dim_<d>"), std::string::npos) << bad_name;
  EXPECT_NE(error_of("{causal_head_dim_0: {2048: 265}}").find("causal_head_dim_0"), std::string::npos);
  const std::string too_fast = error_of("{causal_head_dim_128: {2048: 1500}}");
  EXPECT_NE(too_fast.find("causal_head_dim_128.2048"), std::string::npos) << too_fast;
  const std::string bad_length = error_of("{causal_head_dim_128: {two: 265}}");
  EXPECT_NE(bad_length.find("causal_head_dim_128.two"), std::string::npos) << bad_length;
  EXPECT_NE(error_of("{causal_head_dim_128: 265}").find("a mapping of keys per query"), std::string::npos);
  EXPECT_NE(error_of("{causal_head_dim_128: {2048: 0}}").find("above 0"), std::string::npos);
  EXPECT_NE(error_of("1.5").find("attention_kernels.flash2"), std::string::npos);
  EXPECT_NE(error_of("{}").find("curves named"), std::string::npos);
}

}  // namespace trainplan
