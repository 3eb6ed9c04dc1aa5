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
  // TP 8 stays in the node; no context or expert groups of one rank are listed.
  EXPECT_EQ(j["placement"]["tensor"]["tiers_crossed"], nlohmann::json({"nvlink"}));
  EXPECT_FALSE(j["placement"].contains("context"));
}

}  // namespace trainplan
