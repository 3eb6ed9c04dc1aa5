#include <gtest/gtest.h>

#include <string>

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

}  // namespace trainplan
