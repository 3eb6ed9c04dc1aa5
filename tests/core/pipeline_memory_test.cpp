#include "planner/core/step/pipeline_memory.hpp"

#include <gtest/gtest.h>

#include "planner/core/model/pipeline_schedule.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of(int pp, int ep) {
  ParallelPlan p;
  p.tp = 8;
  p.pp = pp;
  p.ep = ep;
  p.dp = 8;
  p.seq_len = 4096;
  p.global_batch = 256;
  p.sequence_parallel = true;
  p.zero_stage = 1;
  return p;
}

MemoryBreakdown peak_of(const ModelShape& m, const ParallelPlan& p, StageLayerCosts* layers_out = nullptr) {
  const Scenario sc = testing::scenario(m, p.tp * p.pp * p.dp);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(sc, p, &work);
  const PipelineStages stages = pipeline_stages(m, p, layers, 0.0, 0.0, 0.0);
  const StageParameters params = stage_parameters(m, count_parameters(m), p, stages);
  if (layers_out) *layers_out = layers;
  return peak_stage_memory(m, p, sc.calibration, layers, head_work(m, p), stages, params, data_parallel_groups(p), 32);
}
}  // namespace

TEST(PeakStageMemory, TheFirstStageHoldsTheMostMicroBatchesInFlight) {
  const ModelShape m = testing::llama3_8b();
  const ParallelPlan p = plan_of(4, 1);
  StageLayerCosts layers;
  const MemoryBreakdown peak = peak_of(m, p, &layers);
  EXPECT_NEAR(peak.activations_bytes, layers.saved_bytes(8, 0) * in_flight_microbatches(4, 1, 32), 1.0);
  // Without a pipeline the one stage also keeps the output head's logits.
  const MemoryBreakdown single = peak_of(m, plan_of(1, 1), &layers);
  EXPECT_GT(single.activations_bytes, layers.saved_bytes(32, 0));
}

TEST(PeakStageMemory, RoutedExpertsShrinkWithExpertParallelism) {
  ModelShape m = testing::mixtral_8x7b();
  m.moe.first_dense_layers = 2;
  const MemoryBreakdown ep1 = peak_of(m, plan_of(4, 1));
  const MemoryBreakdown ep4 = peak_of(m, plan_of(4, 4));
  EXPECT_LT(ep4.weights_bytes, ep1.weights_bytes / 2);  // experts are most of Mixtral's weights
  EXPECT_LT(ep4.total(), ep1.total());
}

}  // namespace trainplan
