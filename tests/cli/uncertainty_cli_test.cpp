#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;
const std::vector<std::string> gpt5_plan = {"plan", "--model", "gpt5-class", "--global-batch", "6144", "--seq-len", "8192", "--tokens",
                                            "30T", "--gpus", "49152", "--tp", "2", "--pp", "8", "--cp", "8", "--ep", "64", "--vp",
                                            "15", "--zero", "2"};
}  // namespace

TEST(UncertaintyCli, PlanJsonHasTheRangesBesideThePointEstimates) {
  const CliRun r = run(with(gpt5_plan, {"--format", "json", "--uncertainty-samples", "32"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"time_to_train_days", "cost_usd"}) {
    const std::string k = key;
    ASSERT_TRUE(j.contains(k + "_p10")) << k;
    EXPECT_LE(j[k + "_p10"].get<double>(), j[k + "_p50"].get<double>()) << k;
    EXPECT_LE(j[k + "_p50"].get<double>(), j[k + "_p90"].get<double>()) << k;
    EXPECT_LT(j[k + "_p10"].get<double>(), j[k + "_p90"].get<double>()) << k;
    EXPECT_TRUE(j.contains(k)) << k;
  }
  const auto& u = j["uncertainty"];
  EXPECT_EQ(u["samples"], 32);
  EXPECT_EQ(u["model_error_input"], "model_error_moe");  // gpt5-class is a mixture of experts
  EXPECT_LE(u["time_to_train_days_failure_free_p90"].get<double>(), j["time_to_train_days_p90"].get<double>());
  ASSERT_EQ(u["tornado"].size(), 3u);
  for (const auto& bar : u["tornado"]) EXPECT_NE(bar["input"], "model_error_dense");
  EXPECT_FALSE(u["inputs"]["failure_rate"]["source"].get<std::string>().empty());

  // Same seed, same ranges; the table shows them.
  const CliRun again = run(with(gpt5_plan, {"--format", "json", "--uncertainty-samples", "32"}));
  EXPECT_EQ(nlohmann::json::parse(again.out)["time_to_train_days_p90"], j["time_to_train_days_p90"]);
  const CliRun table = run(with(gpt5_plan, {"--uncertainty-samples", "32"}));
  EXPECT_NE(table.out.find("uncertainty (p10 / p50 / p90"), std::string::npos);
  EXPECT_NE(table.out.find("what moves it most"), std::string::npos);
}

TEST(UncertaintyCli, ZeroSamplesTurnsTheRangesOffAndBadFlagsAreRefused) {
  const CliRun off = run(with(gpt5_plan, {"--format", "json", "--uncertainty-samples", "0"}));
  ASSERT_EQ(off.status, 0) << off.err;
  EXPECT_FALSE(nlohmann::json::parse(off.out).contains("time_to_train_days_p50"));

  const CliRun bad = run(with(gpt5_plan, {"--uncertainty-samples", "lots"}));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--uncertainty-samples"), std::string::npos) << bad.err;
  const CliRun missing = run(with(gpt5_plan, {"--uncertainty", "/nonexistent/ranges.yaml"}));
  EXPECT_EQ(missing.status, 2);
  EXPECT_NE(missing.err.find("/nonexistent/ranges.yaml"), std::string::npos) << missing.err;
}

TEST(UncertaintyCli, SearchJsonHasTheRangesOfEachTopPlan) {
  const CliRun search = run({"search", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "512", "--seq-len", "8192", "--tokens",
                             "1T", "--top", "2", "--threads", "1", "--format", "json", "--uncertainty-samples", "16"});
  ASSERT_EQ(search.status, 0) << search.err;
  const auto plans = nlohmann::json::parse(search.out)["plans"];
  ASSERT_EQ(plans.size(), 2u);
  for (const auto& p : plans)
    for (const char* key : {"time_to_train_days_p10", "time_to_train_days_p50", "time_to_train_days_p90", "cost_usd_p10", "cost_usd_p50",
                            "cost_usd_p90"})
      EXPECT_TRUE(p.contains(key)) << key;
  EXPECT_LE(plans[0]["time_to_train_days_p10"].get<double>(), plans[0]["time_to_train_days_p90"].get<double>());
  // The answer's range, re-searched per sample: JSON answer_uncertainty and a block of the table
  // (the plans' own ranges stay JSON only).
  const auto answer = nlohmann::json::parse(search.out)["answer_uncertainty"];
  EXPECT_TRUE(answer.contains("time_to_train_days_p50"));
  EXPECT_EQ(answer["uncertainty"]["samples"].get<int>(), 16);
  EXPECT_LE(answer["uncertainty"]["time_to_train_days_failure_free_p50"].get<double>(),
            plans[0]["uncertainty"]["time_to_train_days_failure_free_p50"].get<double>())
      << "re-searched per sample: never slower than rank 1 with its layout kept";
  const CliRun table = run({"search", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "512", "--seq-len", "8192", "--tokens",
                            "1T", "--top", "2", "--threads", "1", "--uncertainty-samples", "16"});
  EXPECT_NE(table.out.find("p10 / p50 / p90, 16 Latin hypercube samples"), std::string::npos);
  EXPECT_NE(table.out.find("whole space re-searched"), std::string::npos);
}

}  // namespace trainplan
