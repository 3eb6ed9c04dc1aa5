#include <gtest/gtest.h>

#include "planner/core/parameter_count.hpp"
#include "planner/io/description_loader.hpp"

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
  const ParameterCount p = count_parameters(m);
  EXPECT_NEAR(p.total / 671e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 37e9, 1.0, 0.02);  // the published "37B" is rounded; we find 37.55B
}

}  // namespace trainplan
