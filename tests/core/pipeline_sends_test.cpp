#include "planner/core/step/pipeline_sends.hpp"

#include <gtest/gtest.h>

#include "planner/core/model/layer_work.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of(int pp, int vp) {
  ParallelPlan p;
  p.tp = 8;
  p.pp = pp;
  p.vp = vp;
  p.dp = 8;
  p.seq_len = 4096;
  p.global_batch = 64;
  p.sequence_parallel = true;
  return p;
}
}  // namespace

TEST(PipelineSends, NoneWithoutAPipelineOneActivationEachWayPerVirtualStage) {
  Scenario sc = testing::scenario(testing::llama3_8b(), 256);
  const LayerWork layer = dense_layer_work(sc.model, plan_of(4, 1));
  EXPECT_EQ(pipeline_send_seconds(sc, plan_of(1, 1), layer), 0);
  const double plain_s = pipeline_send_seconds(sc, plan_of(4, 1), layer);
  EXPECT_GT(plain_s, 0);
  EXPECT_NEAR(pipeline_send_seconds(sc, plan_of(4, 2), layer), 2 * plain_s, 1e-15);
  // Stages sit on different nodes: a slower NIC slows the sends.
  sc.fabric.nic_gbit_s = 100;
  EXPECT_GT(pipeline_send_seconds(sc, plan_of(4, 1), layer), plain_s);
}

}  // namespace trainplan
