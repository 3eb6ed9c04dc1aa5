// Sites and the search: on a fabric with a DCI tier and no --rank-order, search tries Megatron-Core's
// two rank orders and keeps the faster; elsewhere (or with --rank-order) it enumerates the plan's
// order alone (docs/search.md, "Rank order").
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

TEST(SiteSearch, TwoBuildingsTriesBothOrdersAndKeepsTheFaster) {
  const auto j = search_json(kTwo);
  EXPECT_EQ(j["layouts"], 2);  // one layout, in each of the two orders
  ASSERT_EQ(j["plans"].size(), 2u);
  // tp-cp-ep-dp-pp keeps DP (2,048 ranks 8 apart) in one building and sends every pipeline pair
  // across the DCI at 4:1; tp-cp-ep-pp-dp sends the DP rings across, which leave each building
  // twice per pass (the DCI barely loaded, its 500 us paid twice per pass): on this layout the
  // second is faster, by milliseconds.
  EXPECT_EQ(j["plans"][0]["settings"]["rank_order"], "tp-cp-ep-pp-dp");
  EXPECT_EQ(j["plans"][1]["settings"]["rank_order"], "tp-cp-ep-dp-pp");
  EXPECT_GT(j["plans"][0]["breakdown"]["dp_comm_s"].get<double>(), j["plans"][1]["breakdown"]["dp_comm_s"].get<double>());
  EXPECT_LT(j["plans"][0]["breakdown"]["pp_comm_s"].get<double>(), j["plans"][1]["breakdown"]["pp_comm_s"].get<double>());
  EXPECT_LT(j["plans"][0]["step_time_s"].get<double>(), j["plans"][1]["step_time_s"].get<double>());
}

// With ZeRO-3 every layer's gather and reduce-scatter is a DP ring: across the DCI each pays its
// 500 us twice, 240 times a step, so the search keeps the order that holds DP inside a building.
TEST(SiteSearch, WithZeroThreeTheOrderThatKeepsDataInsideABuildingWins) {
  std::vector<std::string> args{"search", "--model", "llama3-70b", "--gpus", "32768", "--tp", "8", "--pp", "2", "--cp", "1",
                                "--vp", "1", "--zero", "3", "--recompute", "selective", "--sequence-parallel", "--micro-batch",
                                "1", "--global-batch", "4096", "--seq-len", "8192", "--topology", kTwo, "--format", "json",
                                "--threads", "1"};
  const testing::CliRun r = testing::run(args);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["plans"].size(), 2u);
  EXPECT_EQ(j["plans"][0]["settings"]["rank_order"], "tp-cp-ep-dp-pp");
  EXPECT_EQ(j["plans"][1]["settings"]["rank_order"], "tp-cp-ep-pp-dp");
  EXPECT_LT(j["plans"][0]["breakdown"]["dp_comm_s"].get<double>(), j["plans"][1]["breakdown"]["dp_comm_s"].get<double>());
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

// size and sweep print each row's rank order where it matters: a fabric with sites, or an order
// other than the default; their JSON and CSV always carry it.
std::vector<std::string> fixed_knobs(const std::string& topology) {
  return {"--model", "llama3-70b", "--tp", "8", "--pp", "2", "--cp", "1", "--vp", "1", "--zero", "1", "--recompute",
          "selective", "--sequence-parallel", "--micro-batch", "1", "--global-batch", "4096", "--seq-len", "8192",
          "--tokens", "15T", "--topology", topology, "--threads", "1"};
}

testing::CliRun run_with(std::vector<std::string> args, const std::vector<std::string>& extra) {
  args.insert(args.end(), extra.begin(), extra.end());
  return testing::run(args);
}

TEST(SiteSearch, SizeAndSweepTablesShowTheRankOrderOnAFabricWithSites) {
  for (const char* command : {"size", "sweep"}) {
    std::vector<std::string> args{command, "--gpus", "32768"};
    const testing::CliRun two = run_with(args, fixed_knobs(kTwo));
    ASSERT_EQ(two.status, 0) << command << ": " << two.err;
    EXPECT_NE(two.out.find("rank order"), std::string::npos) << command << ":\n" << two.out;
    EXPECT_NE(two.out.find("tp-cp-ep-pp-dp"), std::string::npos) << command << ":\n" << two.out;  // the faster here
    // One building, the default order: nothing to tell, no column.
    const testing::CliRun one = run_with(args, fixed_knobs(kOne));
    ASSERT_EQ(one.status, 0) << command << ": " << one.err;
    EXPECT_EQ(one.out.find("rank order"), std::string::npos) << command << ":\n" << one.out;
    // One building, an order given: shown.
    std::vector<std::string> ordered = fixed_knobs(kOne);
    ordered.insert(ordered.end(), {"--rank-order", "tp-cp-ep-pp-dp"});
    const testing::CliRun given = run_with(args, ordered);
    ASSERT_EQ(given.status, 0) << command << ": " << given.err;
    EXPECT_NE(given.out.find("rank order"), std::string::npos) << command << ":\n" << given.out;
    EXPECT_NE(given.out.find("tp-cp-ep-pp-dp"), std::string::npos) << command << ":\n" << given.out;
  }
}

}  // namespace
}  // namespace trainplan
