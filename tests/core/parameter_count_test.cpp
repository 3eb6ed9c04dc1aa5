#include "planner/core/model/parameter_count.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

TEST(ParameterCount, Gpt3IsWithinOnePercentOf175B) {
  const ParameterCount p = count_parameters(testing::gpt3_175b());
  EXPECT_NEAR(p.total / 175.0e9, 1.0, 0.01);
  EXPECT_DOUBLE_EQ(p.total, p.active);
}

TEST(ParameterCount, Llama3_8bMatchesHandCount) {
  // Per layer: Q and O 4096^2 each, K and V 4096*1024 each, SwiGLU 3*4096*14336, two RMSNorms.
  const double per_layer = 2.0 * 4096 * 4096 + 2.0 * 4096 * 1024 + 3.0 * 4096 * 14336 + 2.0 * 4096;
  const double expected = 32 * per_layer + 2.0 * 128256 * 4096 + 4096;  // untied embedding + head, final norm
  const ParameterCount p = count_parameters(testing::llama3_8b());
  EXPECT_DOUBLE_EQ(p.total, expected);
  EXPECT_NEAR(p.total / 8.03e9, 1.0, 0.01);
}

TEST(ParameterCount, TiedEmbeddingsHaveNoSeparateHead) {
  ModelShape m = testing::llama3_8b();
  const double untied = count_parameters(m).total;
  m.tied_embeddings = true;
  EXPECT_DOUBLE_EQ(untied - count_parameters(m).total, 128256.0 * 4096);
}

TEST(ParameterCount, GatedMlpHasThreeMatrices) {
  ModelShape m = testing::llama3_8b();
  EXPECT_DOUBLE_EQ(expert_parameters(m, 100), 3.0 * 4096 * 100);
  m.mlp = MlpKind::gelu;
  EXPECT_DOUBLE_EQ(expert_parameters(m, 100), 2.0 * 4096 * 100);
}

}  // namespace trainplan
