#include "planner/core/step/stage_layer_costs.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of(int tp, int dp) {
  ParallelPlan p;
  p.tp = tp;
  p.dp = dp;
  p.seq_len = 4096;
  p.global_batch = 64;
  p.sequence_parallel = tp > 1;
  return p;
}
}  // namespace

TEST(StageLayerCosts, WithoutRecomputationEveryLayerCostsTheSame) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  LayerWork work;
  const StageLayerCosts c = stage_layer_costs(sc, plan_of(8, 8), &work);
  EXPECT_DOUBLE_EQ(c.main.kept.total_s(), c.main.recomputed.total_s());
  EXPECT_NEAR(c.total_s(8, 0), 8 * c.main.recomputed.total_s(), 1e-15);
  EXPECT_NEAR(c.saved_bytes(8, 0), 8 * work.saved_activation_bytes, 1e-3);
  EXPECT_DOUBLE_EQ(c.main.recomputed_saved_bytes, work.saved_activation_bytes);
}

TEST(StageLayerCosts, BlockRecomputationRerunsOnlyItsLayersForward) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  ParallelPlan p = plan_of(8, 8);
  p.recompute = Recompute::full;
  p.recompute_layers = 2;
  LayerWork work;
  const StageLayerCosts c = stage_layer_costs(sc, p, &work);
  EXPECT_EQ(c.recomputed_layers(8), 2);
  EXPECT_EQ(c.recomputed_layers(1), 1);
  EXPECT_GT(c.main.recomputed.compute_s(), c.main.kept.compute_s());
  EXPECT_LT(c.main.recomputed_saved_bytes, c.main.kept_saved_bytes);
  EXPECT_NEAR(c.compute_s(8, 0), 2 * c.main.recomputed.compute_s() + 6 * c.main.kept.compute_s(), 1e-15);
  EXPECT_NEAR(c.saved_bytes(8, 0), 2 * c.main.recomputed_saved_bytes + 6 * c.main.kept_saved_bytes, 1e-3);
}

TEST(StageLayerCosts, LeadingDenseLayersOfAnMoeModelAreTheirOwnKindAndRecomputeFirst) {
  ModelShape m = testing::mixtral_8x7b();
  m.moe.first_dense_layers = 1;
  const Scenario sc = testing::scenario(m, 64);
  ParallelPlan p = plan_of(8, 8);
  p.recompute = Recompute::full;
  p.recompute_layers = 1;
  LayerWork work;
  const StageLayerCosts c = stage_layer_costs(sc, p, &work);
  EXPECT_GT(c.dense.recomputed.compute_s(), 0);
  EXPECT_LT(c.dense.kept.compute_s(), c.main.kept.compute_s());  // one FFN against two of eight experts per token
  // Four layers, one dense: the dense one is the stage's recomputed layer.
  EXPECT_NEAR(c.compute_s(4, 1), c.dense.recomputed.compute_s() + 3 * c.main.kept.compute_s(), 1e-15);
  // A dense model's layers are all of the main kind and the dense kind stays empty.
  const StageLayerCosts dense = stage_layer_costs(testing::scenario(testing::llama3_8b(), 64), plan_of(8, 8), &work);
  EXPECT_EQ(dense.dense.recomputed.compute_s(), 0);
}

}  // namespace trainplan
