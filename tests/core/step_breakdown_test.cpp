#include "planner/core/step/step_breakdown.hpp"

#include <gtest/gtest.h>

#include "planner/core/model/pipeline_schedule.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of(int zero) {
  ParallelPlan p;
  p.tp = 8;
  p.pp = 4;
  p.dp = 32;
  p.seq_len = 4096;
  p.global_batch = 512;
  p.sequence_parallel = true;
  p.zero_stage = zero;
  return p;
}
}  // namespace

TEST(BusiestStageBreakdown, EveryMicroBatchOfTheBusiestStagePlusTheBubble) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  const ParallelPlan p = plan_of(1);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(sc, p, &work);
  const double head_s = 0.004, p2p_s = 0.001;
  const PipelineStages stages = pipeline_stages(sc.model, p, layers, head_s, 0.0, p2p_s);
  ASSERT_TRUE(stages.busiest_has_head);
  const StepBreakdown b = busiest_stage_breakdown(p, layers, stages, MtpWork{}, head_s, p2p_s, 16);
  EXPECT_NEAR(b.compute_s, 16 * (layers.compute_s(8, 0) + head_s), 1e-12);
  EXPECT_NEAR(b.tp_comm_s, 16 * layers.tp_comm_s(8, 0), 1e-12);
  EXPECT_NEAR(b.pp_comm_s, 16 * p2p_s, 1e-12);
  EXPECT_NEAR(b.pipeline_bubble_s, pipeline_bubble_ratio(4, 1, 16) * 16 * stages.per_microbatch_s, 1e-12);
  EXPECT_EQ(b.dp_comm_s + b.optimizer_s, 0);  // the data-parallel and optimizer stages fill these
}

TEST(OptimizerStep, ZeroOneShardsTheUpdateOverTheDataParallelRanks) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  StageParameters params;
  params.largest = 1e9;
  const double whole_s = optimizer_step_seconds(sc, plan_of(0), data_parallel_groups(plan_of(0)), params) - 4 * sc.calibration.kernel_overhead_s;
  const double sharded_s = optimizer_step_seconds(sc, plan_of(1), data_parallel_groups(plan_of(1)), params) - 4 * sc.calibration.kernel_overhead_s;
  EXPECT_NEAR(sharded_s, whole_s / 32, whole_s * 1e-9);
}

}  // namespace trainplan
