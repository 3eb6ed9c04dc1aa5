// Sites and the search: on a fabric with a DCI tier and no --rank-order, search tries Megatron-Core's
// two rank orders and picks the one that keeps data parallelism inside a building; elsewhere (or
// with --rank-order) it enumerates the plan's order alone (docs/search.md, "Rank order").
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {
namespace {

constexpr const char* kOne = "dgx-h100-superpod-ndr";
constexpr const char* kTwo = "dgx-h100-superpod-ndr-two-buildings";

// Llama 3 70B on 32,768 H100, tp 8 x pp 2 x dp 2,048, every other knob fixed: the search space is
// the rank order alone (and one micro-batch size).
nlohmann::json search_json(const std::string& topology, const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"search", "--model", "llama3-70b", "--gpus", "32768", "--tp", "8", "--pp", "2", "--cp", "1",
                                "--vp", "1", "--zero", "1", "--recompute", "selective", "--sequence-parallel", "--micro-batch",
                                "1", "--global-batch", "4096", "--seq-len", "8192", "--topology", topology, "--format", "json",
                                "--threads", "1"};
  args.insert(args.end(), extra.begin(), extra.end());
  const testing::CliRun r = testing::run(args);
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

TEST(SiteSearch, TwoBuildingsPicksTheOrderThatKeepsDataParallelInsideABuilding) {
  const auto j = search_json(kTwo);
  EXPECT_EQ(j["layouts"], 2);  // one layout, in each of the two orders
  ASSERT_EQ(j["plans"].size(), 2u);
  // tp-cp-ep-dp-pp: DP (2,048 ranks 8 apart) fills one building; DP outermost would cross the DCI.
  EXPECT_EQ(j["plans"][0]["settings"]["rank_order"], "tp-cp-ep-dp-pp");
  EXPECT_EQ(j["plans"][1]["settings"]["rank_order"], "tp-cp-ep-pp-dp");
  EXPECT_LT(j["plans"][0]["breakdown"]["dp_comm_s"].get<double>(), j["plans"][1]["breakdown"]["dp_comm_s"].get<double>());
  EXPECT_LT(j["plans"][0]["step_time_s"].get<double>(), j["plans"][1]["step_time_s"].get<double>());
}

TEST(SiteSearch, AGivenRankOrderIsKept) {
  const auto j = search_json(kTwo, {"--rank-order", "tp-cp-ep-pp-dp"});
  EXPECT_EQ(j["layouts"], 1);
  ASSERT_EQ(j["plans"].size(), 1u);
  EXPECT_EQ(j["plans"][0]["settings"]["rank_order"], "tp-cp-ep-pp-dp");
}

TEST(SiteSearch, WithoutSitesNoOtherOrderIsEnumerated) {
  const auto j = search_json(kOne);
  EXPECT_EQ(j["layouts"], 1);
  ASSERT_EQ(j["plans"].size(), 1u);
  EXPECT_EQ(j["plans"][0]["settings"]["rank_order"], "tp-cp-ep-dp-pp");
}

}  // namespace
}  // namespace trainplan
