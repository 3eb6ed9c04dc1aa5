#include "planner/io/pipeline_layout_text.hpp"

#include <gtest/gtest.h>

namespace trainplan {

namespace {
std::string error_of(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_pipeline_layout(text, error).has_value()) << text;
  return error;
}
}  // namespace

TEST(PipelineLayoutText, DeepSeekV3RecipeLayoutUnrollsToThirtyTwoStages) {
  std::string error;
  const auto layout = parse_pipeline_layout("Et|(tt|)*30mL", error);
  ASSERT_TRUE(layout) << error;
  EXPECT_EQ(layout->text, "Et|(tt|)*30mL");
  ASSERT_EQ(layout->stage_count(), 32);
  EXPECT_TRUE(layout->stages[0].embedding);
  EXPECT_EQ(layout->stages[0].layers, 1);
  EXPECT_EQ(layout->stages[0].first_layer, 0);
  for (int i = 1; i <= 30; ++i) {
    EXPECT_EQ(layout->stages[i].layers, 2) << i;
    EXPECT_EQ(layout->stages[i].first_layer, 1 + 2 * (i - 1)) << i;
    EXPECT_FALSE(layout->stages[i].embedding || layout->stages[i].loss || layout->stages[i].mtp > 0) << i;
  }
  const VirtualStage& last = layout->stages[31];
  EXPECT_EQ(last.layers, 0);
  EXPECT_EQ(last.first_layer, 61);
  EXPECT_EQ(last.mtp, 1);
  EXPECT_TRUE(last.loss);
}

TEST(PipelineLayoutText, CommasAreCosmeticAndSingleItemsRepeat) {
  std::string error;
  // Megatron-Core's own docstring example: "Ettt|(tt|)*29,m|L".
  const auto docstring = parse_pipeline_layout("Ettt|(tt|)*29,m|L", error);
  ASSERT_TRUE(docstring) << error;
  EXPECT_EQ(docstring->stage_count(), 32);
  EXPECT_EQ(docstring->stages[0].layers, 3);
  EXPECT_EQ(docstring->stages[30].mtp, 1);
  EXPECT_TRUE(docstring->stages[31].loss);
  EXPECT_EQ(docstring->stages[31].layers, 0);
  const auto repeated = parse_pipeline_layout("Et*3|t*2,|*2t|tL", error);  // "|*2": two stage breaks
  ASSERT_TRUE(repeated) << error;
  ASSERT_EQ(repeated->stage_count(), 5);
  EXPECT_EQ(repeated->stages[0].layers, 3);
  EXPECT_EQ(repeated->stages[1].layers, 2);
  EXPECT_EQ(repeated->stages[2].layers, 0);  // an empty stage, as Megatron-Core allows
  EXPECT_EQ(repeated->stages[3].layers, 1);
  EXPECT_EQ(repeated->stages[3].first_layer, 5);
  EXPECT_EQ(repeated->stages[4].layers, 1);
  EXPECT_TRUE(repeated->stages[4].loss);
  // A group may hold x*N; the group repeats whole.
  const auto group = parse_pipeline_layout("E(t*2|)*3tL", error);
  ASSERT_TRUE(group) << error;
  ASSERT_EQ(group->stage_count(), 4);
  EXPECT_EQ(group->stages[2].first_layer, 4);
  EXPECT_EQ(group->stages[3].layers, 1);
}

TEST(PipelineLayoutText, EachMalformedLayoutSaysWhy) {
  EXPECT_NE(error_of("").find("embedding (E)"), std::string::npos);
  EXPECT_NE(error_of("Et|tx|L").find("unexpected character 'x'"), std::string::npos);
  EXPECT_NE(error_of("Et|(tt|*3L").find("not closed"), std::string::npos);
  EXPECT_NE(error_of("E((t|)*2)*2L").find("do not nest"), std::string::npos);
  EXPECT_NE(error_of("E(t|)L").find("expected '*N' after ')'"), std::string::npos);
  EXPECT_NE(error_of("Et*|L").find("count after '*'"), std::string::npos);
  EXPECT_NE(error_of("E()*2tL").find("empty parentheses"), std::string::npos);
  EXPECT_NE(error_of("t|tL").find("embedding (E)"), std::string::npos);
  EXPECT_NE(error_of("tE|tL").find("must open the first virtual stage"), std::string::npos);
  EXPECT_NE(error_of("Et|EtL").find("once"), std::string::npos);
  EXPECT_NE(error_of("Et|tt").find("loss (L)"), std::string::npos);
  EXPECT_NE(error_of("Et|Lt").find("must close the last virtual stage"), std::string::npos);
  EXPECT_NE(error_of("EtL|L").find("must close the last virtual stage"), std::string::npos);
  EXPECT_NE(error_of("Et|mt|L").find("before the MTP modules"), std::string::npos);
  EXPECT_NE(error_of("E(t)*99999999L").find("too large"), std::string::npos);
}

}  // namespace trainplan
