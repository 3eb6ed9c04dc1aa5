#include "planner/core/step/stage_parameters.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of(int tp, int pp, int ep) {
  ParallelPlan p;
  p.tp = tp;
  p.pp = pp;
  p.ep = ep;
  p.dp = 8;
  p.seq_len = 4096;
  p.global_batch = 64;
  return p;
}

PipelineStages even_stages(const ModelShape& m, const ParallelPlan& p) {
  PipelineStages s;
  s.layers = split_layers(m.layers, p.pp);
  s.dense = {dense_layers_in_stage(m, 0, s.layers.first),
             dense_layers_in_stage(m, m.layers - s.layers.last - s.layers.middle, s.layers.middle),
             dense_layers_in_stage(m, m.layers - s.layers.last, s.layers.last)};
  return s;
}
}  // namespace

TEST(StageParameters, OneStageHoldsTheWholeModelOverTensorParallelism) {
  const ModelShape m = testing::llama3_8b();
  const ParameterCount params = count_parameters(m);
  const ParallelPlan p = plan_of(8, 1, 1);
  const StageParameters s = stage_parameters(m, params, p, even_stages(m, p));
  EXPECT_NEAR(s.largest, params.total / 8, params.total * 1e-12);
  EXPECT_DOUBLE_EQ(s.first, s.largest);
  EXPECT_EQ(s.largest_experts, 0);
}

TEST(StageParameters, PipelineStagesShareTheModelAndATiedHeadIsHeldTwice) {
  ModelShape m = testing::llama3_8b();
  ParallelPlan p = plan_of(8, 2, 1);
  ParameterCount params = count_parameters(m);
  StageParameters s = stage_parameters(m, params, p, even_stages(m, p));
  EXPECT_NEAR(s.first + s.last, params.total / 8, params.total * 1e-12);
  EXPECT_DOUBLE_EQ(s.largest, std::max(s.first, s.last));
  m.tied_embeddings = true;
  params = count_parameters(m);
  s = stage_parameters(m, params, p, even_stages(m, p));
  EXPECT_NEAR(s.first + s.last, (params.total + params.embedding) / 8, params.total * 1e-12);
}

TEST(StageParameters, RoutedExpertsSplitOverExpertParallelismAndTheMiddleStageCanHoldTheMost) {
  ModelShape m = testing::mixtral_8x7b();
  m.moe.first_dense_layers = 2;
  const ParameterCount params = count_parameters(m);
  const ParallelPlan ep2 = plan_of(1, 4, 2), ep4 = plan_of(1, 4, 4);
  const StageParameters two = stage_parameters(m, params, ep2, even_stages(m, ep2));
  const StageParameters four = stage_parameters(m, params, ep4, even_stages(m, ep4));
  EXPECT_NEAR(four.middle_experts, two.middle_experts / 2, 1.0);
  EXPECT_TRUE(two.moe_middle_stage);
  // The first stage holds the embedding but two dense layers; the middle stage all experts.
  EXPECT_GT(two.middle, two.first);
  EXPECT_DOUBLE_EQ(two.largest, std::max({two.first, two.middle, two.last}));
  EXPECT_DOUBLE_EQ(two.largest_common(), two.largest - two.largest_experts);
}

}  // namespace trainplan
