// One building or two: the bundled two-building SuperPOD (a DCI at 4:1, 500 us hops) against the
// one-building fabric, and the rank order that decides which groups cross the buildings
// (docs/network-model.md, "Sites").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {
namespace {

// Llama 3 70B on 32,768 H100 (two buildings of 16,384), tp 8 x pp 2 x dp 2,048.
nlohmann::json plan_json(const std::string& topology, const std::string& order, const std::string& zero = "0") {
  const testing::CliRun r = testing::run({"plan", "--model", "llama3-70b", "--gpus", "32768", "--tp", "8", "--pp", "2",
                                          "--global-batch", "4096", "--seq-len", "8192", "--topology", topology,
                                          "--rank-order", order, "--zero", zero, "--format", "json"});
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

constexpr const char* kOne = "dgx-h100-superpod-ndr";
constexpr const char* kTwo = "dgx-h100-superpod-ndr-two-buildings";

TEST(TwoBuildings, DataParallelAcrossTheBuildingsIsSlowerAndNamesTheDci) {
  // tp-cp-ep-pp-dp: DP outermost, its groups (2,048 ranks 16 apart) span both buildings.
  const auto one = plan_json(kOne, "tp-cp-ep-pp-dp");
  const auto two = plan_json(kTwo, "tp-cp-ep-pp-dp");
  EXPECT_EQ(two["placement"]["rank_order"], "tp-cp-ep-pp-dp");
  EXPECT_EQ(two["placement"]["data"]["stride"], 16);
  EXPECT_EQ(two["placement"]["data"]["tiers_crossed"].back(), "dci");
  EXPECT_EQ(one["placement"]["data"]["tiers_crossed"].back(), "core");
  EXPECT_GT(two["breakdown"]["dp_comm_s"].get<double>(), one["breakdown"]["dp_comm_s"].get<double>());
  EXPECT_GT(two["step_time_s"].get<double>(), one["step_time_s"].get<double>());
}

TEST(TwoBuildings, EitherOrderLosesMillisecondsAndTheDataAcrossTheDciLosesLessThanThePipeline) {
  const double one_dp_outer = plan_json(kOne, "tp-cp-ep-pp-dp")["step_time_s"].get<double>();
  const double two_dp_outer = plan_json(kTwo, "tp-cp-ep-pp-dp")["step_time_s"].get<double>();
  const auto one = plan_json(kOne, "tp-cp-ep-dp-pp");
  const auto two = plan_json(kTwo, "tp-cp-ep-dp-pp");
  // DP (2,048 ranks 8 apart) fills exactly one building; the pipeline pairs (16,384 apart) cross.
  EXPECT_EQ(two["placement"]["data"]["tiers_crossed"].back(), "core");
  EXPECT_EQ(two["placement"]["pipeline"]["tiers_crossed"].back(), "dci");
  const double loss_dp_outer = two_dp_outer - one_dp_outer;
  const double loss_default = two["step_time_s"].get<double>() - one["step_time_s"].get<double>();
  ASSERT_GT(loss_dp_outer, 0.0);
  ASSERT_GT(loss_default, 0.0);
  // The DP rings leave each building twice per pass (ring_hops.hpp), so the 4:1 DCI is barely loaded
  // and its 500 us is paid about twice per pass; every pipeline pair crosses, all of them at 4:1.
  // Both lose milliseconds of a 2.2 s step; the pipeline across the DCI loses more.
  EXPECT_LT(loss_dp_outer, 0.01 * one_dp_outer);
  EXPECT_LT(loss_default, 0.01 * one_dp_outer);
  EXPECT_LT(loss_dp_outer, loss_default);
}

// docs/network-model.md's worked example, ZeRO-1: reduce-scatter and all-gather run as rings across
// the 2,048 nodes of a rail. Each pass pays the DCI's 500 us on the two hops that cross it, not on
// each of its 2,047 steps (which would be about 1 s per collective).
TEST(TwoBuildings, ZeroOneRingsAcrossTheDciPayTheDciOnTheirTwoCrossingHops) {
  const auto step = [](const nlohmann::json& j) { return j["step_time_s"].get<double>(); };
  const auto one = plan_json(kOne, "tp-cp-ep-pp-dp", "1");
  const auto two = plan_json(kTwo, "tp-cp-ep-pp-dp", "1");
  EXPECT_EQ(two["placement"]["data"]["tiers_crossed"].back(), "dci");
  const double loss_zero1 = step(two) - step(one);
  // At least the two collectives' DCI hops: 2 collectives x 2 hops x 500 us.
  EXPECT_GT(loss_zero1, 2 * 2 * 500e-6);
  // Far below one collective charged 2,047 DCI hops.
  EXPECT_LT(loss_zero1, 0.1 * 2047 * 500e-6);
  EXPECT_GT(two["breakdown"]["dp_comm_s"].get<double>(), one["breakdown"]["dp_comm_s"].get<double>());
}

// ZeRO-3 gathers each layer's parameters before its forward and backward and reduce-scatters its
// gradients after the backward: 40 layers x 3 collectives x 2 micro-batches per step, each a ring
// across the data-parallel group. With DP outermost every one of them crosses the DCI and pays its
// 500 us on the two crossing hops: the step loses about a quarter of a second, all of it in
// data-parallel communication. The default order keeps each DP group inside one building and sends
// only the pipeline pairs across, which recovers nearly all of it.
TEST(TwoBuildings, ZeroThreeAcrossTheDciLosesTenthsOfASecondAndKeepingDataInsideRecoversMostOfIt) {
  const auto step = [](const nlohmann::json& j) { return j["step_time_s"].get<double>(); };
  const auto dp_comm = [](const nlohmann::json& j) { return j["breakdown"]["dp_comm_s"].get<double>(); };
  const auto one_outer = plan_json(kOne, "tp-cp-ep-pp-dp", "3");
  const auto two_outer = plan_json(kTwo, "tp-cp-ep-pp-dp", "3");
  const auto one_inner = plan_json(kOne, "tp-cp-ep-dp-pp", "3");
  const auto two_inner = plan_json(kTwo, "tp-cp-ep-dp-pp", "3");
  EXPECT_EQ(two_outer["placement"]["data"]["tiers_crossed"].back(), "dci");
  EXPECT_EQ(two_inner["placement"]["data"]["tiers_crossed"].back(), "core");
  EXPECT_EQ(two_inner["placement"]["pipeline"]["tiers_crossed"].back(), "dci");
  const double loss_outer = step(two_outer) - step(one_outer);
  // 240 collectives x 2 crossing hops x 500 us = 0.24 s at least.
  EXPECT_GT(loss_outer, 240 * 2 * 500e-6 * 0.95);
  // The loss is the DP collectives' own.
  EXPECT_NEAR(dp_comm(two_outer) - dp_comm(one_outer), loss_outer, 0.1 * loss_outer);
  const double loss_inner = step(two_inner) - step(one_outer);
  EXPECT_GT(loss_inner, 0.0);
  // Keeping DP inside a building recovers most of the loss (here over 90%).
  EXPECT_LT(loss_inner, 0.1 * loss_outer);
}

TEST(TwoBuildings, ThePlanTableNamesTheTiersEachGroupCrosses) {
  const testing::CliRun r = testing::run({"plan", "--model", "llama3-70b", "--gpus", "32768", "--tp", "8", "--pp", "2",
                                          "--global-batch", "4096", "--seq-len", "8192", "--topology", kTwo,
                                          "--rank-order", "tp-cp-ep-pp-dp"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("placement, rank order tp-cp-ep-pp-dp"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("data          2048 ranks, stride 16, from rank 0: nvlink > leaf > spine > core > dci"), std::string::npos)
      << r.out;
}

TEST(TwoBuildings, CompareShowsOneBuildingAgainstTwo) {
  const testing::CliRun r = testing::run({"compare", "--model", "llama3-70b", "--gpus", "32768", "--tp", "8", "--pp", "2",
                                          "--global-batch", "4096", "--seq-len", "8192", "--rank-order", "tp-cp-ep-pp-dp",
                                          "--topologies", kOne, kTwo, "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find(kTwo), std::string::npos);
  EXPECT_NE(r.out.find(std::string("\"") + kOne + "\""), std::string::npos);
}

TEST(TwoBuildings, TopoReportsTheDci) {
  const testing::CliRun r = testing::run({"topo", "--topology", kTwo, "--gpus", "32768", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sites"]["count"], 2);
  EXPECT_EQ(j["sites"]["links"], 8192);                   // a quarter of the 32,768 NIC links (4:1)
  EXPECT_DOUBLE_EQ(j["sites"]["gb_s_per_site"].get<double>(), 4096 * 50.0);
  EXPECT_TRUE(j["sites"]["cost_usd"].is_null());          // no price bundled
  // One building's job does not reach the DCI.
  const testing::CliRun one = testing::run({"topo", "--topology", kTwo, "--gpus", "16384", "--format", "json"});
  EXPECT_FALSE(nlohmann::json::parse(one.out).contains("sites"));
}

}  // namespace
}  // namespace trainplan
