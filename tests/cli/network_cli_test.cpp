// trainplan topo and trainplan compare, end to end through the command table.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
}  // namespace

TEST(TopoCli, JsonHasTheContractKeysAndTheSuperPodTable) {
  const CliRun r = run({"topo", "--topology", "dgx-h100-superpod-ndr", "--gpus", "16384", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"gpus", "tiers", "total_switches", "total_cables", "bisection_gb_s", "max_gpus"})
    EXPECT_TRUE(j.contains(key)) << key;
  ASSERT_EQ(j["tiers"].size(), 3u);
  for (const char* key : {"name", "switches", "cables", "gb_s_per_gpu"}) EXPECT_TRUE(j["tiers"][0].contains(key)) << key;
  EXPECT_EQ(j["tiers"][0]["switches"], 512);  // 64 SUs: 512 leaf, 512 spine, 256 core
  EXPECT_EQ(j["tiers"][1]["switches"], 512);
  EXPECT_EQ(j["tiers"][2]["switches"], 256);
  EXPECT_EQ(j["gpus"], 16384);
}

TEST(TopoCli, SetIsAWhatIfAndUnreachableCountsAreErrors) {
  const CliRun full = run({"topo", "--gpus", "8192", "--format", "json"});
  const CliRun half = run({"topo", "--gpus", "8192", "--format", "json", "--set", "fabric.tiers.spine.oversubscription=2"});
  ASSERT_EQ(full.status, 0) << full.err;
  ASSERT_EQ(half.status, 0) << half.err;
  EXPECT_LT(nlohmann::json::parse(half.out)["bisection_gb_s"].get<double>(),
            nlohmann::json::parse(full.out)["bisection_gb_s"].get<double>());
  const CliRun too_many = run({"topo", "--topology", "rail-only-ndr", "--gpus", "1024"});
  EXPECT_EQ(too_many.status, 2);
  EXPECT_NE(too_many.err.find("at most 512 GPUs"), std::string::npos) << too_many.err;
  const CliRun bad_key = run({"topo", "--gpus", "64", "--set", "fabric.tiers.spine.speed=3"});
  EXPECT_NE(bad_key.err.find("unknown key"), std::string::npos) << bad_key.err;
  const CliRun help = run({"topo", "--help"});
  for (const char* flag : {"--topology", "--gpus", "--slurm", "--set", "--format"}) EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
}

TEST(TopoCli, TableNamesEveryTier) {
  const CliRun r = run({"topo", "--topology", "meta-roce-24k", "--gpus", "24576"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* tier : {"rtsw", "ctsw", "atsw", "total switches", "bisection"}) EXPECT_NE(r.out.find(tier), std::string::npos) << tier;
}

}  // namespace trainplan

namespace trainplan {

TEST(CompareCli, OnePlanOverSeveralFabricsSideBySide) {
  const std::vector<std::string> plan = {"compare", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4",
                                         "--global-batch", "1024", "--seq-len", "8192", "--tokens", "15T", "--format", "json"};
  std::vector<std::string> args = plan;
  for (const char* t : {"--topologies", "dgx-h100-superpod-ndr", "meta-roce-24k", "rail-only-ndr"}) args.push_back(t);
  const CliRun r = testing::run(args);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out)["variants"];
  ASSERT_EQ(j.size(), 3u);
  EXPECT_TRUE(j[0]["plan"]["valid"].get<bool>());
  EXPECT_GT(j[0]["total_switches"].get<int>(), 0);
  // Rail-only reaches 512 GPUs (64-port rail switches, 8 rails): not this job.
  EXPECT_FALSE(j[2]["plan"]["valid"].get<bool>());
  // A what-if on the base fabric: a slower NIC never makes the plan faster.
  args = plan;
  for (const char* v : {"--variant", "fabric.nic_gbit_s=100"}) args.push_back(v);
  const auto w = nlohmann::json::parse(testing::run(args).out)["variants"];
  ASSERT_EQ(w.size(), 2u);
  EXPECT_GT(w[1]["plan"]["step_time_s"].get<double>(), w[0]["plan"]["step_time_s"].get<double>());
}

TEST(CompareCli, AVariantThatDoesNotFitIsSaidUnderTheTable) {
  // Llama 3 70B at tp 4, pp 2 without ZeRO on H100: about 220 GiB per GPU. The table shows the row
  // (compare runs the plan given) and says under it that it does not fit; one that fits is not named.
  const std::vector<std::string> plan = {"compare", "--model", "llama3-70b", "--gpus", "576", "--global-batch", "1152",
                                         "--seq-len", "8192", "--tokens", "15T", "--uncertainty-samples", "0",
                                         "--topologies", "dgx-h100-superpod-ndr", "meta-roce-24k"};
  std::vector<std::string> args = plan;
  for (const char* a : {"--tp", "4", "--pp", "2"}) args.push_back(a);
  const CliRun large = testing::run(args);
  ASSERT_EQ(large.status, 0) << large.err;
  EXPECT_NE(large.out.find("dgx-h100-superpod-ndr: does not fit in memory: "), std::string::npos) << large.out;
  EXPECT_NE(large.out.find("meta-roce-24k: does not fit in memory: "), std::string::npos) << large.out;
  args = plan;
  for (const char* a : {"--tp", "8", "--pp", "4", "--zero", "1"}) args.push_back(a);
  const CliRun fits = testing::run(args);
  ASSERT_EQ(fits.status, 0) << fits.err;
  EXPECT_EQ(fits.out.find("does not fit"), std::string::npos) << fits.out;
  EXPECT_EQ(fits.out.find("impossible"), std::string::npos) << fits.out;
}

}  // namespace trainplan
