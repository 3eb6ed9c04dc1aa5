// An explicit pipeline layout: the checks against plan and model, what each rank holds, and the
// per-rank costing (the busiest rank sets the micro-batch).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "planner/core/evaluate.hpp"
#include "planner/core/pipeline_layout_check.hpp"
#include "planner/core/plan_check.hpp"
#include "planner/core/step/layout_rank_loads.hpp"
#include "planner/core/step/pipeline_stages.hpp"
#include "planner/io/pipeline_layout_text.hpp"
#include "planner/io/validation_loader.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {

PipelineLayout layout_of(const std::string& text) {
  std::string error;
  const auto layout = parse_pipeline_layout(text, error);
  EXPECT_TRUE(layout) << error;
  return layout ? *layout : PipelineLayout{};
}

// Mixtral's trunk with its first three layers dense: 32 layers on pp 4 x vp 2, the virtual stages
// holding 1, 5, 4, 4, 4, 4, 4, 6 layers (layers 0, 1-5, 6-9, 10-13, 14-17, 18-21, 22-25, 26-31).
// Rank r holds stages r and r + 4: rank 0 layers 0 and 14-17 (5, one dense), rank 1 layers 1-5 and
// 18-21 (9, two dense), rank 2 layers 6-9 and 22-25 (8), rank 3 layers 10-13 and 26-31 (10, the head).
const char* kHandLayout = "Et|t*5|t*4|t*4|t*4|t*4|t*4|t*6L";

ModelShape dense_first_moe() {
  ModelShape m = testing::mixtral_8x7b();
  m.moe.first_dense_layers = 3;
  return m;
}

ParallelPlan laid_out_plan(const std::string& text) {
  ParallelPlan p;
  p.tp = 2;
  p.pp = 4;
  p.vp = 2;
  p.ep = 8;
  p.dp = 8;
  p.seq_len = 4096;
  p.global_batch = 256;
  p.sequence_parallel = true;
  p.pipeline_layout = layout_of(text);
  return p;
}

bool mentions(const std::vector<std::string>& list, const std::string& text) {
  for (const auto& p : list)
    if (p.find(text) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(LayoutRankLoads, EachRankSumsItsVirtualStagesAndCountsDenseLayersByIndex) {
  const std::vector<RankLoad> ranks = layout_rank_loads(dense_first_moe(), layout_of(kHandLayout), 4);
  ASSERT_EQ(ranks.size(), 4u);
  const int layers[] = {5, 9, 8, 10}, dense[] = {1, 2, 0, 0};
  for (int r = 0; r < 4; ++r) {
    EXPECT_EQ(ranks[r].layers, layers[r]) << r;
    EXPECT_EQ(ranks[r].dense, dense[r]) << r;
  }
  EXPECT_TRUE(ranks[0].embedding);
  EXPECT_FALSE(ranks[1].embedding || ranks[1].loss || ranks[2].embedding || ranks[2].loss);
  EXPECT_TRUE(ranks[3].loss);
  // A dense model has no dense layers to tell apart.
  EXPECT_EQ(layout_rank_loads(testing::llama3_8b(), layout_of(kHandLayout), 4)[1].dense, 0);
}

TEST(PipelineLayoutCheck, StagesLayersAndMtpModulesMustMatchThePlanAndModel) {
  const ModelShape model = dense_first_moe();
  EXPECT_TRUE(pipeline_layout_problems(model, laid_out_plan(kHandLayout)).empty());
  ParallelPlan wrong_vp = laid_out_plan(kHandLayout);
  wrong_vp.vp = 4;
  EXPECT_TRUE(mentions(pipeline_layout_problems(model, wrong_vp), "has 8 virtual stages, but pp x vp = 4 x 4 = 16"));
  EXPECT_TRUE(mentions(pipeline_layout_problems(model, laid_out_plan("Et|t*5|t*4|t*4|t*4|t*4|t*4|t*5L")),
                       "has 31 transformer layers (t), but the model has 32"));
  EXPECT_TRUE(mentions(pipeline_layout_problems(model, laid_out_plan("Et|t*5|t*4|t*4|t*4|t*4|t*4|t*6mL")),
                       "has 1 MTP modules (m), but the model has 0"));
  ModelShape with_mtp = model;
  with_mtp.mtp_layers = 1;
  EXPECT_TRUE(pipeline_layout_problems(with_mtp, laid_out_plan("Et|t*5|t*4|t*4|t*4|t*4|t*4|t*6mL")).empty());
  EXPECT_TRUE(mentions(pipeline_layout_problems(with_mtp, laid_out_plan("Et|t*5|t*4|t*4|t*4|t*4|t*4t*6m|L")),
                       "before the last virtual stage"));
  ParallelPlan uneven = laid_out_plan(kHandLayout);
  uneven.uneven_pipeline = true;
  EXPECT_TRUE(mentions(pipeline_layout_problems(model, uneven), "drop uneven_pipeline"));
  ParallelPlan dualpipe = laid_out_plan(kHandLayout);
  dualpipe.ep_overlap = true;
  dualpipe.ep_overlap_schedule = EpOverlapSchedule::dualpipe;
  EXPECT_TRUE(mentions(pipeline_layout_problems(model, dualpipe), "dualpipe"));
  // check_plan reports them, and a layout lifts the rule that pp x vp divides the layers.
  ParallelPlan odd = laid_out_plan("Et|t*5|t*4|t*4|t*4|t*4|t*4|t*5L");
  ModelShape odd_model = model;
  odd_model.layers = 31;
  odd.dp = 0;
  EXPECT_TRUE(check_plan(odd_model, testing::h100(), 64, odd).empty());
  odd.pipeline_layout = PipelineLayout{};
  EXPECT_TRUE(mentions(check_plan(odd_model, testing::h100(), 64, odd), "does not divide the layers"));
}

TEST(PipelineStages, ALayoutCostsEachRankByHandAndTheBusiestSetsTheMicroBatch) {
  const Scenario sc = testing::scenario(dense_first_moe(), 64);
  const ParallelPlan p = laid_out_plan(kHandLayout);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(sc, p, &work);
  const double head_s = 0.004, mtp_s = 0.0, p2p_s = 0.0005;
  const PipelineStages s = pipeline_stages(sc.model, p, layers, head_s, mtp_s, p2p_s);
  ASSERT_EQ(s.rank_s.size(), 4u);
  EXPECT_NEAR(s.rank_s[0], layers.total_s(5, 1) + p2p_s, 1e-12);
  EXPECT_NEAR(s.rank_s[1], layers.total_s(9, 2) + p2p_s, 1e-12);
  EXPECT_NEAR(s.rank_s[2], layers.total_s(8, 0) + p2p_s, 1e-12);
  EXPECT_NEAR(s.rank_s[3], layers.total_s(10, 0) + p2p_s + head_s, 1e-12);
  EXPECT_DOUBLE_EQ(s.per_microbatch_s, *std::max_element(s.rank_s.begin(), s.rank_s.end()));
  EXPECT_EQ(s.busiest_rank, 3);  // ten routed layers and the head
  EXPECT_TRUE(s.busiest_has_head);
  EXPECT_EQ(s.busiest_layers, 10);
  // The middle: the busier of ranks 1 and 2 in time; in memory the one with the most routed layers (rank 2).
  EXPECT_DOUBLE_EQ(s.middle_s, std::max(s.rank_s[1], s.rank_s[2]));
  EXPECT_EQ(s.layers.first, 5);
  EXPECT_EQ(s.layers.middle, 8);
  EXPECT_EQ(s.dense.middle, 0);
  EXPECT_EQ(s.layers.last, 10);
  // Move layers off the last rank onto rank 2: a middle rank becomes the busiest.
  const PipelineStages moved =
      pipeline_stages(sc.model, laid_out_plan("Et|t*5|t*4|t*4|t*4|t*4|t*8|t*2L"), layers, head_s, mtp_s, p2p_s);
  EXPECT_EQ(moved.busiest_rank, 2);
  EXPECT_FALSE(moved.busiest_has_head);
  EXPECT_EQ(moved.busiest_layers, 12);
  EXPECT_NEAR(moved.per_microbatch_s, layers.total_s(12, 0) + p2p_s, 1e-12);
}

TEST(PipelineStages, TheDeepSeekV3BridgeRowRunsItsRecipeLayoutWithTheLastRankBusiest) {
  const ValidationSet set = bundled_validation_set();
  const auto row = std::find_if(set.cases.begin(), set.cases.end(), [](const ValidationCase& c) {
    return c.group == "megatron-bridge-h100" && c.name == "deepseek-v3-1024gpus";
  });
  ASSERT_NE(row, set.cases.end());
  EXPECT_EQ(row->plan.pipeline_layout.text, "Et|(tt|)*30mL");
  EXPECT_FALSE(row->plan.uneven_pipeline);
  const PlanResult r = evaluate(row->scenario, row->plan);
  ASSERT_TRUE(r.valid) << (r.problems.empty() ? "" : r.problems.front());
  // Rank 7 holds stages 7, 15, 23 (two layers each) and 31 (the MTP module and the head).
  EXPECT_EQ(r.stage_layers_last, 6);
  EXPECT_EQ(r.stage_layers_first, 7);  // the embedding, layer 0, and stages 8, 16, 24
  EXPECT_EQ(r.stage_layers_middle, 8);
  EXPECT_EQ(r.busiest_pipeline_rank, 7);
}

}  // namespace trainplan
