// The rank order (planner/core/network/rank_order.hpp) and the group strides it gives
// (group_layout.hpp): Megatron-Core's default reproduces the strides the model used before the
// order was an input; other orders move the groups.
#include "planner/core/network/rank_order.hpp"

#include <gtest/gtest.h>

#include "planner/core/network/group_layout.hpp"

namespace trainplan {
namespace {

RankOrder parsed(const std::string& text) {
  std::string error;
  const auto order = parse_rank_order(text, error);
  EXPECT_TRUE(order.has_value()) << text << ": " << error;
  return order.value_or(RankOrder{});
}

std::string refusal(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_rank_order(text, error).has_value()) << text;
  return error;
}

TEST(RankOrder, ParsesMegatronCoreOrders) {
  EXPECT_EQ(parsed("tp-cp-ep-dp-pp"), RankOrder{});
  EXPECT_EQ(to_string(RankOrder{}), "tp-cp-ep-dp-pp");
  EXPECT_EQ(to_string(parsed("tp-cp-ep-pp-dp")), "tp-cp-ep-pp-dp");
  const RankOrder short_form = parsed("tp-pp-dp");  // older Megatron-LM's --use-tp-pp-dp-mapping
  EXPECT_EQ(short_form.count, 3);
  EXPECT_FALSE(short_form.has(RankDim::cp));
  EXPECT_TRUE(short_form.has(RankDim::pp));
  EXPECT_EQ(to_string(short_form), "tp-pp-dp");
}

TEST(RankOrder, RefusesRepeatedMissingAndUnknownDimensions) {
  EXPECT_NE(refusal("tp-cp-tp-dp-pp").find("'tp' appears twice"), std::string::npos);
  EXPECT_NE(refusal("tp-cp-ep-dp").find("'pp' is missing"), std::string::npos);
  EXPECT_NE(refusal("tp-xp-dp-pp").find("unknown dimension 'xp'"), std::string::npos);
  EXPECT_NE(refusal("").find("unknown dimension ''"), std::string::npos);
  EXPECT_NE(refusal("tp--dp-pp").find("unknown dimension ''"), std::string::npos);
}

ParallelPlan moe_plan(const char* order) {
  ParallelPlan p;
  p.tp = 4;
  p.cp = 2;
  p.dp = 16;
  p.pp = 8;
  p.ep = 8;
  p.expert_tp = 1;
  p.rank_order = parsed(order);
  return p;
}

void expect_group(GroupPlacement g, int size, int stride, const char* what) {
  EXPECT_EQ(g.size, size) << what;
  EXPECT_EQ(g.stride, stride) << what;
}

TEST(GroupLayout, MegatronDefaultOrderGivesTheClassicStrides) {
  // tp 4 x cp 2 x dp 16 x pp 8 = 1,024 ranks; experts: expert_tp 1 x ep 8 x expert-dp 16.
  const GroupLayout l = group_layout(moe_plan("tp-cp-ep-dp-pp"));
  expect_group(l.tensor, 4, 1, "tensor");
  expect_group(l.context, 2, 4, "context: stride tp");
  expect_group(l.data, 32, 4, "data: dp x cp at stride tp");
  EXPECT_TRUE(l.data_is_one_stride);
  expect_group(l.stage, 128, 1, "stage: contiguous");
  expect_group(l.pipeline, 2, 128, "pipeline: stride tp x cp x dp");
  expect_group(l.expert_tensor, 1, 1, "expert tensor");
  expect_group(l.expert, 8, 1, "expert: stride expert_tp");
  expect_group(l.expert_data, 16, 8, "expert data: stride expert_tp x ep");
}

TEST(GroupLayout, PipelineInsideDataParallelSpreadsTheDataGroups) {
  // tp-cp-ep-pp-dp: strides tp 1, cp 4, pp 8, dp 64. The pipeline neighbours are 8 ranks apart;
  // dp x cp is not one strided set (pp lies between): costed as 32 ranks over the same span,
  // (cp-1) x 4 + (dp-1) x 64 = 964 ranks after the first, at stride ceil(964 / 31) = 32.
  const GroupLayout l = group_layout(moe_plan("tp-cp-ep-pp-dp"));
  expect_group(l.pipeline, 2, 8, "pipeline");
  expect_group(l.context, 2, 4, "context");
  expect_group(l.data, 32, 32, "data");
  EXPECT_FALSE(l.data_is_one_stride);  // the plan report says so beside the stride
  // Experts: expert_tp 1, ep 8 (stride 1), pp (stride 8), expert-dp 16 at stride 64.
  expect_group(l.expert, 8, 1, "expert");
  expect_group(l.expert_data, 16, 64, "expert data");
}

// With cp 1 (or dp 1) the data group is one dimension, one strided set under any order.
TEST(GroupLayout, ADataGroupOfOneDimensionIsOneStride) {
  ParallelPlan p = moe_plan("tp-cp-ep-pp-dp");
  p.cp = 1;
  p.dp *= 2;
  EXPECT_TRUE(group_layout(p).data_is_one_stride);
}

TEST(GroupLayout, DataParallelInnermostPutsTensorGroupsAcrossNodes) {
  // dp-tp-cp-ep-pp: dp 16 innermost, then tp at stride 16.
  const GroupLayout l = group_layout(moe_plan("dp-tp-cp-ep-pp"));
  expect_group(l.tensor, 4, 16, "tensor");
  expect_group(l.context, 2, 64, "context");
  expect_group(l.pipeline, 2, 128, "pipeline");
}

}  // namespace
}  // namespace trainplan
