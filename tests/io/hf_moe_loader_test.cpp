#include <gtest/gtest.h>

#include "planner/core/model/parameter_count.hpp"
#include "planner/io/description_loader.hpp"
#include "../cli/cli_runner.hpp"

namespace trainplan {

namespace {
const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/hf/";
}

TEST(HuggingFaceMoe, MixtralConfigReadsDirectly) {
  const ModelShape m = load_model(fixtures + "mixtral-8x7b-config.json", {});
  EXPECT_EQ(m.moe.routed_experts, 8);
  EXPECT_EQ(m.moe.top_k, 2);
  EXPECT_EQ(m.moe.expert_ffn, 14336);
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 46.7e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 12.9e9, 1.0, 0.01);
}

TEST(HuggingFaceMoe, DeepSeekV3ConfigReadsDirectly) {
  const ModelShape m = load_model(fixtures + "deepseek-v3-config.json", {});
  EXPECT_EQ(m.attention, AttentionKind::mla);
  EXPECT_EQ(m.moe.first_dense_layers, 3);
  EXPECT_EQ(m.moe.shared_experts, 1);
  EXPECT_EQ(m.mla.kv_lora_rank, 512);
  EXPECT_EQ(m.moe.expert_groups, 8);      // n_group
  EXPECT_EQ(m.moe.groups_per_token, 4);   // topk_group
  EXPECT_EQ(m.mtp_layers, 1);             // num_nextn_predict_layers
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 671e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 37e9, 1.0, 0.02);  // the published "37B" is rounded; we find 37.55B
}

}  // namespace trainplan

#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {
std::string moe_error(const std::string& override_text) {
  try {
    load_model("mixtral-8x7b", {parse_override(override_text)});
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(MoeLoader, BadExpertConfigsNameTheField) {
  const std::string top_k = moe_error("model.moe.top_k=9");
  EXPECT_NE(top_k.find("top_k"), std::string::npos) << top_k;
  EXPECT_NE(top_k.find("routed_experts"), std::string::npos) << top_k;
  const std::string imbalance = moe_error("model.moe.load_imbalance=0.5");
  EXPECT_NE(imbalance.find("load_imbalance"), std::string::npos) << imbalance;
  const std::string dense = moe_error("model.moe.first_dense_layers=32");
  EXPECT_NE(dense.find("first_dense_layers"), std::string::npos) << dense;
  const std::string groups = moe_error("model.moe.expert_groups=3");
  EXPECT_NE(groups.find("groups_per_token"), std::string::npos) << groups;  // both or neither
  EXPECT_EQ(moe_error("model.moe.top_k=8"), "");
}

}  // namespace trainplan

// Found by fuzz_model: a layer_types entry that is not a name (a map, a list) is a named error, not
// an uncaught yaml-cpp conversion (exit 3); likewise an mlp_only_layers entry that is not a number.
TEST(HuggingFaceMoe, LayerTypesThatAreNotNamesAreRefusedByName) {
  const auto run = trainplan::testing::run({"plan", "--model", std::string(TRAINPLAN_TEST_FIXTURES) + "/../fuzz/seeds/model/gpt-oss-layer-types-not-names.json",
                                            "--gpus", "8", "--global-batch", "8", "--seq-len", "2048"});
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("layer_types"), std::string::npos) << run.err;
}
