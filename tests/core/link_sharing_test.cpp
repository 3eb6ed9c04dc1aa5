// Traffic of different kinds sharing a GPU's NIC and uplinks in one step (link_sharing.hpp,
// step_link_sharing.hpp): the fluid max-min model in closed form, and what evaluate charges.
#include <gtest/gtest.h>

#include <algorithm>

#include "planner/core/evaluate.hpp"
#include "planner/core/network/link_sharing.hpp"
#include "planner/core/step/step_link_sharing.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
// Expert all-to-all bursts beside a data-parallel background.
SharedLinkLoad load(double burst, double background, double compute) {
  SharedLinkLoad l;
  l.burst(LinkKind::expert) = burst;
  l.background(LinkKind::data) = background;
  l.compute_s = compute;
  return l;
}
}  // namespace

TEST(LinkSharing, NothingToShareCostsNothing) {
  EXPECT_EQ(share_links(load(0, 0, 10)).added_s(), 0.0);
  EXPECT_EQ(share_links(load(1, 0, 10)).added_s(), 0.0);  // a burst alone keeps its time
  EXPECT_EQ(share_links(load(0, 2, 10)).added_s(), 0.0);  // background that fits beside compute
}

TEST(LinkSharing, ClosedFormBelowAnEqualShare) {
  // Background 2 s over a window of 8 s compute + 1 s burst: it asks rho = 2/9 of the path, so
  // the 1 s burst runs at 7/9 of it and takes 9/7 s: 2/7 s more.
  const LinkSharing s = share_links(load(1, 2, 8));
  EXPECT_NEAR(background_share(2, 9), 2.0 / 9.0, 1e-15);
  EXPECT_NEAR(s.burst_extra_s, 2.0 / 7.0, 1e-15);
  EXPECT_EQ(s.overflow_s, 0.0);
}

TEST(LinkSharing, AGreedyBurstKeepsAtLeastHalfThePath) {
  // Background 6 s over 2 s compute + 2 s burst asks more than the path: max-min gives it half
  // while the burst runs, so the burst takes 4 s (2 s more); the background gets 2 + 2 s of its 6.
  const LinkSharing s = share_links(load(2, 6, 2));
  EXPECT_DOUBLE_EQ(background_share(6, 4), 0.5);
  EXPECT_DOUBLE_EQ(s.burst_extra_s, 2.0);
  EXPECT_DOUBLE_EQ(s.overflow_s, 2.0);
}

TEST(LinkSharing, AKindsBurstsDoNotWaitForItsOwnBackground) {
  // An overlapped expert exchange (hidden) and its warm-up/cool-down passes (exposed) run one
  // after another on one stream: alone they share nothing; a data-parallel background does.
  SharedLinkLoad l;
  l.burst(LinkKind::expert) = 1;
  l.background(LinkKind::expert) = 3;
  l.compute_s = 8;
  EXPECT_EQ(share_links(l).added_s(), 0.0);
  l.background(LinkKind::data) = 2;  // the expert bursts meet this one: rho = 2 / (8 + 1)
  EXPECT_NEAR(share_links(l).burst_extra_s, 1.0 * (2.0 / 9.0) / (7.0 / 9.0), 1e-15);
  // The pipeline sends meet both backgrounds: 5 / (8 + 1 + 0.5) is over 1/2, capped.
  l.burst(LinkKind::pipeline) = 0.5;
  const double rho_ep = 2.0 / 9.5, rho_pp = 0.5;
  EXPECT_NEAR(share_links(l).burst_extra_s, rho_ep / (1 - rho_ep) + 0.5 * rho_pp / (1 - rho_pp), 1e-15);
}

TEST(LinkSharing, AShortBackgroundSlowsABurstByNoMoreThanItsOwnLength) {
  // Work conservation: a burst waits at most for all the background there is.
  const LinkSharing s = share_links(load(10, 0.5, 0));
  EXPECT_DOUBLE_EQ(s.burst_extra_s, 0.5);
}

// Acceptance: concurrent DP (background) and EP (burst) traffic on one NIC costs more than either
// alone and no more than their sum, over a grid of sizes.
TEST(LinkSharing, ConcurrentTrafficCostsMoreThanEitherAloneAndNoMoreThanTheirSum) {
  for (double ep : {0.01, 0.3, 1.0, 4.0, 20.0})
    for (double dp : {0.01, 0.5, 2.0, 8.0, 30.0})
      for (double compute : {0.0, 1.0, 5.0, 50.0}) {
        const double dp_alone = std::max(0.0, dp - compute);  // exposed without the other kind
        const double ep_alone = ep;
        const double together = ep + share_links(load(ep, dp, compute)).added_s();
        EXPECT_GT(together, std::max(ep_alone, dp_alone)) << ep << " " << dp << " " << compute;
        EXPECT_LE(together, ep + dp + 1e-12) << ep << " " << dp << " " << compute;
      }
}

namespace {
ModelShape small_moe() {
  ModelShape m = testing::llama3_8b();
  m.name = "small-moe";
  m.moe.routed_experts = 64;
  m.moe.top_k = 4;
  m.moe.expert_ffn = 2048;
  return m;
}
ParallelPlan moe_plan(int ep) {
  ParallelPlan p;
  p.tp = 1;
  p.pp = 1;
  p.ep = ep;
  p.micro_batch = 1;
  p.seq_len = 4096;
  p.global_batch = 1024;
  p.zero_stage = 1;
  return p;
}
}  // namespace

TEST(StepLinkSharing, ExpertTrafficAcrossNodesSharesTheNicWithTheDataParallelReduction) {
  const Scenario sc = testing::scenario(small_moe(), 512);
  const PlanResult r = evaluate(sc, moe_plan(16));  // 16 expert ranks on 2 nodes
  ASSERT_TRUE(r.valid);
  EXPECT_GT(r.breakdown.ep_comm_s, 0);
  EXPECT_GT(r.breakdown.link_sharing_s, 0);
  EXPECT_NEAR(r.breakdown.total(), r.step_time_s, 1e-12);
  // Never more than all of the data-parallel traffic it shares with.
  EXPECT_LT(r.breakdown.link_sharing_s, r.breakdown.ep_comm_s);
}

// Acceptance: traffic inside the NVLink domain does not slow cross-node traffic.
TEST(StepLinkSharing, ExpertTrafficInsideTheNodeDoesNotTouchTheNic) {
  const Scenario sc = testing::scenario(small_moe(), 512);
  const PlanResult r = evaluate(sc, moe_plan(8));  // the 8 expert ranks of one node
  ASSERT_TRUE(r.valid);
  EXPECT_GT(r.breakdown.ep_comm_s, 0);
  EXPECT_GT(r.breakdown.dp_comm_s, 0);
  EXPECT_EQ(r.breakdown.link_sharing_s, 0.0);
}

TEST(StepLinkSharing, WithoutOverlapNothingRunsBesideTheBursts) {
  const Scenario sc = testing::scenario(small_moe(), 512);
  ParallelPlan p = moe_plan(16);
  p.dp_overlap = false;
  const PlanResult r = evaluate(sc, p);
  ASSERT_TRUE(r.valid);
  EXPECT_EQ(r.breakdown.link_sharing_s, 0.0);
}

TEST(StepLinkSharing, WhichGroupsLeaveTheScaleUpDomain) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  EXPECT_FALSE(leaves_scale_up(sc, {8, 1}));
  EXPECT_FALSE(leaves_scale_up(sc, {4, 2}));
  EXPECT_TRUE(leaves_scale_up(sc, {16, 1}));
  EXPECT_TRUE(leaves_scale_up(sc, {2, 64}));  // a pipeline pair 64 ranks apart
  EXPECT_TRUE(leaves_scale_up(sc, {3, 1}));   // 3-rank groups: one instance straddles two nodes
}

}  // namespace trainplan
