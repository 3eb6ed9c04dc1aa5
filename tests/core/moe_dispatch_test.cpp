// How routed tokens travel to their experts: node counts, the hierarchical dispatcher, fp8 dispatch.
#include <gtest/gtest.h>

#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/moe_layer.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
// DeepSeek-V3's routing on a small dense trunk: 256 routed experts, top-8, 8 groups of which a
// token uses at most 4.
ModelShape deepseek_like(bool group_limited) {
  ModelShape m = testing::llama3_8b();
  m.name = "deepseek-like";
  m.moe.routed_experts = 256;
  m.moe.top_k = 8;
  m.moe.expert_ffn = 2048;
  m.moe.shared_experts = 1;
  if (group_limited) {
    m.moe.expert_groups = 8;
    m.moe.groups_per_token = 4;
  }
  return m;
}

ParallelPlan expert_plan(int ep) {
  ParallelPlan p;
  p.ep = ep;
  p.seq_len = 4096;
  p.global_batch = 1024;
  return p;
}

double ep_seconds(const Scenario& sc, const ParallelPlan& p) {
  return layer_time(moe_layer_work(sc.model, p), sc, p).ep_comm_s;
}
}  // namespace

TEST(ExpertDispatch, DistinctNodesPerTokenByHand) {
  const MoeShape unlimited = deepseek_like(false).moe;
  EXPECT_DOUBLE_EQ(distinct_nodes_per_token(unlimited, 1), 1.0);
  // 8 experts out of 256, 32 per node: 8 x (1 - C(224,8)/C(256,8)) = 5.2947 nodes.
  EXPECT_NEAR(distinct_nodes_per_token(unlimited, 8), 5.294652, 1e-5);
  // 4 groups out of 8, one group per node: 8 x (1 - C(7,4)/C(8,4)) = 4 nodes.
  EXPECT_NEAR(distinct_nodes_per_token(deepseek_like(true).moe, 8), 4.0, 1e-12);
  // Groups that do not tile the nodes (8 groups on 3 nodes) do not limit the count.
  EXPECT_NEAR(distinct_nodes_per_token(deepseek_like(true).moe, 3), 2.889326, 1e-5);
}

TEST(ExpertDispatch, HierarchicalSendsOneCopyPerNodeAcrossTheNetwork) {
  const Scenario sc = testing::scenario(deepseek_like(true), 512);
  ParallelPlan p = expert_plan(64);  // 64 expert ranks over 8 nodes
  const double flat_s = ep_seconds(sc, p);
  p.moe_dispatcher = MoeDispatcher::hierarchical;
  const double hierarchical_s = ep_seconds(sc, p);
  EXPECT_GT(flat_s, 0);
  // Across the network: 4 node copies of each token instead of 8 x 7/8 expert copies.
  EXPECT_LT(hierarchical_s, 0.75 * flat_s);
  EXPECT_GT(hierarchical_s, 0.25 * flat_s);
  // Unlimited routing reaches more nodes, so it sends more.
  const Scenario unlimited = testing::scenario(deepseek_like(false), 512);
  EXPECT_GT(ep_seconds(unlimited, p), hierarchical_s);
}

TEST(ExpertDispatch, InsideOneNodeBothDispatchersAgree) {
  const Scenario sc = testing::scenario(deepseek_like(true), 64);
  ParallelPlan p = expert_plan(8);
  const double flat_s = ep_seconds(sc, p);
  p.moe_dispatcher = MoeDispatcher::hierarchical;
  EXPECT_GT(flat_s, 0);
  EXPECT_DOUBLE_EQ(ep_seconds(sc, p), flat_s);
}

TEST(ExpertDispatch, Fp8DispatchHalvesTheDispatchBytesOnly) {
  const ModelShape m = deepseek_like(true);
  ParallelPlan p = expert_plan(64);
  const LayerWork bf16 = moe_layer_work(m, p);
  p.dispatch_fp8 = true;
  const LayerWork fp8 = moe_layer_work(m, p);
  EXPECT_DOUBLE_EQ(bf16.ep_dispatch_bytes_per_copy, 4096.0 * 2);
  EXPECT_DOUBLE_EQ(fp8.ep_dispatch_bytes_per_copy, 4096.0 * (1 + 4.0 / 128));  // one fp32 scale per 128 values
  EXPECT_DOUBLE_EQ(fp8.ep_combine_bytes_per_copy, bf16.ep_combine_bytes_per_copy);
  EXPECT_DOUBLE_EQ(bf16.ep_copies_per_token, 8.0);
  EXPECT_DOUBLE_EQ(bf16.ep_tokens, 4096.0);
  const Scenario sc = testing::scenario(m, 512);
  EXPECT_LT(ep_seconds(sc, p), ep_seconds(sc, expert_plan(64)));
}

}  // namespace trainplan
