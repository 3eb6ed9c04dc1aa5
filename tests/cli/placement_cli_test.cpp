// Plan JSON's "placement": per group kind, the instance costed (the slowest) and the tiers it crosses.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {

TEST(PlacementCli, PlanJsonNamesTheStraddlingDataParallelInstance) {
  // 6,144 GPUs on the DGX H100 SuperPOD, tp 8 x pp 32 x dp 24: DP groups of 24 ranks 8 apart fill
  // 192-rank blocks. Rank 0's (ranks 0..184) stays under one leaf; the block 960..1151 holds the
  // spine-group boundary at 1,024, so the instance from rank 967 is costed, through the core.
  const testing::CliRun r = testing::run({"plan", "--model", "llama3-8b", "--gpus", "6144", "--tp", "8", "--pp", "32",
                                          "--global-batch", "768", "--seq-len", "4096", "--tokens", "1T", "--topology",
                                          "dgx-h100-superpod-ndr", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("placement"));
  const auto& dp = j["placement"]["data"];
  EXPECT_EQ(dp["size"], 24);
  EXPECT_EQ(dp["stride"], 8);
  EXPECT_EQ(dp["instance_first_rank"], 967);
  EXPECT_EQ(dp["rank0_top_tier"], "leaf");
  EXPECT_EQ(dp["tiers_crossed"], nlohmann::json({"nvlink", "leaf", "spine", "core"}));
  EXPECT_EQ(dp["one_stride"], true);
  // TP 8 stays in the node; no context or expert groups of one rank are listed.
  EXPECT_EQ(j["placement"]["tensor"]["tiers_crossed"], nlohmann::json({"nvlink"}));
  EXPECT_FALSE(j["placement"].contains("context"));
}

// Under tp-cp-pp-dp with cp > 1 the data-parallel group (dp x cp) is no one strided set: the table
// and JSON say so beside the stride it is costed at (the strided group of the same span).
TEST(PlacementCli, ADataGroupThatIsNoOneStrideIsSaidToBeSo) {
  const std::vector<std::string> args = {"plan", "--model", "llama3-8b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--cp", "2",
                                         "--rank-order", "tp-cp-pp-dp", "--global-batch", "256", "--seq-len", "8192"};
  const testing::CliRun text = testing::run(args);
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("data          32 ranks, not one stride (costed as stride "), std::string::npos) << text.out;
  std::vector<std::string> json_args = args;
  json_args.insert(json_args.end(), {"--format", "json"});
  const testing::CliRun json = testing::run(json_args);
  ASSERT_EQ(json.status, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["placement"]["data"]["one_stride"], false);
  EXPECT_EQ(j["placement"]["data"]["size"], 32);
  EXPECT_EQ(j["placement"]["context"]["one_stride"], true);
}

}  // namespace trainplan
