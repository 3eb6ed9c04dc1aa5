#include "planner/core/step/last_stage_work.hpp"

#include <gtest/gtest.h>

#include "planner/core/step/stage_layer_costs.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of() {
  ParallelPlan p;
  p.tp = 8;
  p.dp = 8;
  p.seq_len = 4096;
  p.global_batch = 64;
  p.sequence_parallel = true;
  return p;
}
}  // namespace

TEST(OutputHead, GrowsWithTheVocabulary) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  ModelShape wide = sc.model;
  wide.vocab *= 4;
  const double narrow_s = output_head_seconds(sc, head_work(sc.model, plan_of()));
  const double wide_s = output_head_seconds(sc, head_work(wide, plan_of()));
  EXPECT_GT(narrow_s, 0);
  EXPECT_GT(wide_s, 3.0 * narrow_s);
  EXPECT_LT(wide_s, 4.0 * narrow_s);
}

TEST(MtpWork, EachModuleRunsOneMoreLayerAndTheHeadAgain) {
  ModelShape m = testing::llama3_8b();
  const ParallelPlan p = plan_of();
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(testing::scenario(m, 64), p, &work);
  const LayerTime& layer = layers.main.recomputed;
  EXPECT_EQ(mtp_work(testing::scenario(m, 64), p, layer, 0.01).total_s(), 0);  // no modules, no work
  m.mtp_layers = 2;
  const MtpWork two = mtp_work(testing::scenario(m, 64), p, layer, 0.01);
  EXPECT_DOUBLE_EQ(two.tp_comm_s, 2 * layer.tp_comm_s);
  EXPECT_GT(two.compute_s, 2 * (layer.compute_s() + 0.01));  // plus the projection and the norms
  EXPECT_NEAR(two.total_s(), two.compute_s + two.tp_comm_s + two.cp_comm_s + two.ep_comm_s, 1e-15);
}

}  // namespace trainplan
