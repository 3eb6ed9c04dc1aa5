#include "planner/core/step/activation_offload.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

namespace {
// Uniform layers: each saves `bytes`, computes `forward_s` forward and twice that backward.
StageLayerCosts uniform_layers(double bytes, double forward_s) {
  StageLayerCosts c;
  c.main.kept.forward_compute_s = forward_s;
  c.main.kept.backward_compute_s = 2 * forward_s;
  c.main.kept_saved_bytes = bytes;
  return c;
}

GpuSpec with_host(double link_gb_s, double memory_gib) {
  GpuSpec g = testing::h100();
  g.host_link_gb_s_per_direction = link_gb_s;
  g.host_memory_gib = memory_gib;
  return g;
}

ParallelPlan offloading(int layers) {
  ParallelPlan p;
  p.dp = 8;
  p.global_batch = 8;
  p.activation_offload_layers = layers;
  return p;
}
}  // namespace

TEST(ActivationOffload, CopiesLongerThanTheirNeighbouringLayerAreExposedTheRestIsFree) {
  // 32 layers of 4 GB each; a 64 GB/s link takes 62.5 ms a layer. Forward 50 ms a layer: 12.5 ms of
  // each copy out is exposed; backward 100 ms: each copy back hides. 10 offloaded, 3 micro-batches.
  const StageLayerCosts layers = uniform_layers(4e9, 0.050);
  const ActivationOffload o = activation_offload(with_host(64, 1000), offloading(10), layers, 32, 0, 3);
  EXPECT_NEAR(o.exposed_s, 3 * 10 * (4e9 / 64e9 - 0.050), 1e-12);
  EXPECT_DOUBLE_EQ(o.host_bytes, 10 * 4e9);
  EXPECT_DOUBLE_EQ(o.device_bytes_saved, 9 * 4e9);  // the layer whose copy is in flight stays
  // A link fast enough to copy a layer within its forward costs nothing.
  EXPECT_EQ(activation_offload(with_host(900, 1000), offloading(10), layers, 32, 0, 3).exposed_s, 0.0);
  // Slower than the backward too: both directions show.
  const ActivationOffload slow = activation_offload(with_host(20, 1000), offloading(10), layers, 32, 0, 1);
  EXPECT_NEAR(slow.exposed_s, 10 * ((0.2 - 0.050) + (0.2 - 0.100)), 1e-12);
  // No offloading: nothing.
  const ActivationOffload none = activation_offload(with_host(64, 1000), offloading(0), layers, 32, 0, 3);
  EXPECT_EQ(none.exposed_s, 0.0);
  EXPECT_EQ(none.device_bytes_saved, 0.0);
}

TEST(ActivationOffload, AnMoeStagesDenseLayersAreOffloadedFirst) {
  // Two leading dense layers of 1 GB, MoE layers of 3 GB: offloading 3 layers moves 1 + 1 + 3 GB
  // and frees the first two (the third is in transit).
  StageLayerCosts layers = uniform_layers(3e9, 1.0);
  layers.dense.kept.forward_compute_s = 1.0;
  layers.dense.kept.backward_compute_s = 2.0;
  layers.dense.kept_saved_bytes = 1e9;
  const ActivationOffload o = activation_offload(with_host(64, 1000), offloading(3), layers, 10, 2, 1);
  EXPECT_DOUBLE_EQ(o.host_bytes, 5e9);
  EXPECT_DOUBLE_EQ(o.device_bytes_saved, 2e9);
}

TEST(ActivationOffload, TheFewestLayersThatFreeEnough) {
  // 4 GB layers: freeing 9 GB takes 4 offloaded (3 leave the GPU, the 4th is in transit); 12 GB too.
  const StageLayerCosts layers = uniform_layers(4e9, 0.05);
  EXPECT_EQ(fewest_offload_layers(layers, 32, 0, 9e9), 4);
  EXPECT_EQ(fewest_offload_layers(layers, 32, 0, 12e9), 4);
  EXPECT_EQ(fewest_offload_layers(layers, 32, 0, 1), 2);
  // At most all but one layer offloaded (30 leave the GPU): 120 GB can be freed, 121 GB cannot.
  EXPECT_EQ(fewest_offload_layers(layers, 32, 0, 120e9), 31);
  EXPECT_EQ(fewest_offload_layers(layers, 32, 0, 121e9), 0);
}

TEST(ActivationOffload, WhatMegatronCoreRefusesAndAGpuWithoutAHostIsSaid) {
  const ModelShape m = testing::llama3_8b();
  EXPECT_TRUE(activation_offload_problems(m, testing::h100(), offloading(0)).empty());
  EXPECT_TRUE(activation_offload_problems(m, with_host(64, 238), offloading(31)).empty());
  auto only = [&](const GpuSpec& g, const ParallelPlan& p, const std::string& text) {
    const auto problems = activation_offload_problems(m, g, p);
    ASSERT_EQ(problems.size(), 1u) << text;
    EXPECT_NE(problems[0].find(text), std::string::npos) << problems[0];
  };
  only(with_host(64, 238), offloading(32), "leave at least one of the model's 32 layers");
  ParallelPlan pipelined = offloading(8);
  pipelined.pp = 2;
  only(with_host(64, 238), pipelined, "needs pp 1, got pp 2");
  ParallelPlan recomputed = offloading(8);
  recomputed.recompute = Recompute::selective;
  only(with_host(64, 238), recomputed, "needs recompute none, got selective");
  only(testing::h100(), offloading(8), "states no host link and memory");
}

TEST(ActivationOffload, APlanOffloadsItsActivationsAndPaysForTheCopiesThatShow) {
  // Llama 3 8B on 8 GPUs, ZeRO-3, one 16K-token micro-batch each: offloading 20 of 32 layers takes
  // 19 layers' activations off the GPU, puts 20 in host memory and adds the exposed copies.
  Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  sc.gpu = with_host(64, 238);
  ParallelPlan p;
  p.dp = 8;
  p.zero_stage = 3;
  p.seq_len = 16384;
  p.global_batch = 16;
  const PlanResult kept = evaluate(sc, p);
  p.activation_offload_layers = 20;
  const PlanResult offloaded = evaluate(sc, p);
  ASSERT_TRUE(kept.valid && offloaded.valid);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(sc, p, &work);
  EXPECT_NEAR(kept.memory.activations_bytes - offloaded.memory.activations_bytes, layers.saved_bytes(19, 0), 1.0);
  EXPECT_NEAR(offloaded.host_memory_gib * (1 << 30), layers.saved_bytes(20, 0), 1.0);
  EXPECT_DOUBLE_EQ(offloaded.host_memory_capacity_gib, 238);
  EXPECT_GT(offloaded.breakdown.activation_offload_s, 0.0);
  EXPECT_NEAR(offloaded.step_time_s - kept.step_time_s, offloaded.breakdown.activation_offload_s, 1e-9);
  EXPECT_TRUE(offloaded.fits_in_memory);
  // Host memory too small for the 20 layers: the plan does not fit, whatever the GPU holds.
  sc.gpu.host_memory_gib = offloaded.host_memory_gib * 0.9;
  const PlanResult short_of_host = evaluate(sc, p);
  EXPECT_LT(short_of_host.memory_per_gpu_gib, short_of_host.memory_capacity_gib);
  EXPECT_FALSE(short_of_host.fits_in_memory);
}

}  // namespace trainplan
