#include "planner/core/step/pipeline_stages.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan pipelined(int pp) {
  ParallelPlan p;
  p.tp = 8;
  p.pp = pp;
  p.dp = 2;
  p.seq_len = 4096;
  p.global_batch = 64;
  p.sequence_parallel = true;
  return p;
}
}  // namespace

TEST(SplitLayers, AnUnevenRemainderComesOffTheLastStageThenTheFirst) {
  const StageLayers llama3 = split_layers(126, 16);  // Llama 3 405B: 7 + 14 x 8 + 7
  EXPECT_EQ(llama3.first, 7);
  EXPECT_EQ(llama3.middle, 8);
  EXPECT_EQ(llama3.last, 7);
  const StageLayers one_short = split_layers(31, 4);
  EXPECT_EQ(one_short.first, 8);
  EXPECT_EQ(one_short.last, 7);
  const StageLayers single = split_layers(32, 1);
  EXPECT_EQ(single.first, 32);
  EXPECT_EQ(single.last, 32);
}

TEST(DenseLayersInStage, LeadingDenseLayersFillThePipelineFromTheFront) {
  ModelShape m = testing::mixtral_8x7b();
  m.moe.first_dense_layers = 3;
  EXPECT_EQ(dense_layers_in_stage(m, 0, 2), 2);
  EXPECT_EQ(dense_layers_in_stage(m, 2, 4), 1);
  EXPECT_EQ(dense_layers_in_stage(m, 4, 4), 0);
  EXPECT_EQ(dense_layers_in_stage(testing::llama3_8b(), 0, 8), 0);
}

TEST(BalancedSplit, IsNeverBusierThanTheEvenSplitAndUnloadsAHeavyLastStage) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(sc, pipelined(4), &work);
  const double layer_s = layers.main.recomputed.total_s();
  const double last_extra_s = 3.0 * layer_s;  // a head three layers long
  auto busiest = [&](const StageLayers& s) {
    return std::max({layers.total_s(s.first, 0), layers.total_s(s.middle, 0), layers.total_s(s.last, 0) + last_extra_s});
  };
  const StageLayers even = split_layers(32, 4);
  const StageLayers balanced = balanced_split(sc.model, 4, layers, last_extra_s);
  EXPECT_LT(balanced.last, even.last);
  EXPECT_LT(busiest(balanced), busiest(even));
  EXPECT_EQ(balanced.first + 2 * balanced.middle + balanced.last, 32);  // two middle stages of the busiest size
}

TEST(PipelineStages, TheBusiestStageSetsTheMicroBatchAndTheLastCarriesTheHead) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  const ParallelPlan p = pipelined(4);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(sc, p, &work);
  const PipelineStages s = pipeline_stages(sc.model, p, layers, 0.01, 0.0, 0.001);
  EXPECT_DOUBLE_EQ(s.per_microbatch_s, std::max({s.first_s, s.middle_s, s.last_s}));
  EXPECT_NEAR(s.last_s - s.first_s, 0.01, 1e-12);  // same layers, plus the head
  EXPECT_TRUE(s.busiest_has_head);
  EXPECT_EQ(s.busiest_layers, 8);
  // Without the head the first stage (ties go to the last) is as busy as any.
  const PipelineStages light = pipeline_stages(sc.model, p, layers, 0.0, 0.0, 0.001);
  EXPECT_DOUBLE_EQ(light.first_s, light.last_s);
  // One stage: first and last are the same stage, and it runs the head.
  ParallelPlan one = p;
  one.pp = 1;
  const PipelineStages single = pipeline_stages(sc.model, one, layers, 0.01, 0.002, 0.0);
  EXPECT_DOUBLE_EQ(single.first_s, single.last_s);
  EXPECT_NEAR(single.first_s, layers.total_s(32, 0) + 0.012, 1e-12);
  EXPECT_TRUE(single.busiest_has_head);
}

}  // namespace trainplan
