#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "planner/cli/flag_values.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;
// Llama 3 8B, 8K sequences, 256 sequences per step: small, quick spaces.
const std::vector<std::string> llama = {"--model", "llama3-8b", "--seq-len", "8192", "--tokens", "1T", "--cp-max", "2",
                                        "--micro-batch-max", "2"};
std::vector<std::string> command(const char* name, const std::vector<std::string>& more) {
  return with(with({name}, llama), more);
}
std::size_t lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}
}  // namespace

TEST(SearchCli, JsonListsPlansWithSettingsAndCounts) {
  const CliRun r = run(command("search", {"--gpus", "64", "--global-batch", "256", "--top", "5", "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << "no progress bar when stderr is not a terminal";
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"plans", "evaluated", "feasible", "seconds", "space"}) EXPECT_TRUE(j.contains(key)) << key;
  ASSERT_EQ(j["plans"].size(), 5u);
  EXPECT_GE(j["evaluated"].get<long long>(), j["feasible"].get<long long>());
  double previous = 0;
  for (const auto& plan : j["plans"]) {
    for (const char* key : {"settings", "step_time_s", "mfu", "time_to_train_days", "breakdown", "memory_per_gpu_gib"})
      EXPECT_TRUE(plan.contains(key)) << key;
    EXPECT_TRUE(plan["fits_in_memory"].get<bool>());
    EXPECT_EQ(plan["settings"]["global_batch"], 256);
    EXPECT_GE(plan["time_to_train_days"].get<double>(), previous);
    previous = plan["time_to_train_days"].get<double>();
  }
  EXPECT_EQ(j["plans"][0]["rank"], 1);
}

TEST(SearchCli, GivenLayoutFlagsFixTheirKnobs) {
  const CliRun r = run(command("search", {"--gpus", "64", "--global-batch", "256", "--tp", "4", "--zero", "1", "--recompute",
                                          "full", "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);  // named: a temporary would die before the loop body
  for (const auto& plan : j["plans"]) {
    EXPECT_EQ(plan["settings"]["tp"], 4);
    EXPECT_EQ(plan["settings"]["zero"], 1);
    EXPECT_EQ(plan["settings"]["recompute"], "full");
  }
}

TEST(SearchCli, CsvHasAHeaderAndOneRowPerPlan) {
  const CliRun r = run(command("search", {"--gpus", "64", "--max-global-batch-tokens", "1M", "--top", "7", "--format", "csv"}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(lines(r.out), 8u);
  EXPECT_EQ(r.out.rfind("rank,tp,pp,dp,", 0), 0u);
}

TEST(SearchCli, TableNamesTheCounts) {
  const CliRun r = run(command("search", {"--gpus", "64", "--global-batch", "256", "--top", "3"}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("plans evaluated"), std::string::npos);
  EXPECT_NE(r.out.find("rank"), std::string::npos);
}

TEST(SearchCli, BadInputIsStatusTwo) {
  EXPECT_EQ(run(command("search", {"--gpus", "64"})).status, 2);  // no batch
  EXPECT_EQ(run(command("search", {"--gpus", "64", "--global-batch", "256", "--max-global-batch", "512"})).status, 2);
  EXPECT_EQ(run(command("search", {"--gpus", "64", "--global-batch", "256", "--zero-stages", "0,5"})).status, 2);
  EXPECT_EQ(run(command("search", {"--gpus", "64", "--global-batch", "256", "--objective", "cost"})).status, 2);
  EXPECT_EQ(run(command("search", {"--global-batch", "256"})).status, 2);  // no --gpus
}

TEST(SearchCli, NothingFitsIsStatusOne) {
  const CliRun r = run({"search", "--model", "llama3-405b", "--gpus", "8", "--global-batch", "8", "--seq-len", "8192"});
  EXPECT_EQ(r.status, 1) << r.err;
}

TEST(SizeCli, DeadlineGivesGpusTimeAndPlanAndALongerDeadlineNeverNeedsMore) {
  int previous = 1 << 30;
  for (const char* deadline : {"40", "80", "160"}) {
    const CliRun r = run(command("size", {"--deadline-days", deadline, "--global-batch", "256", "--max-gpus", "4096", "--format", "json"}));
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    for (const char* key : {"gpus", "time_to_train_days", "plan", "cost_usd", "searched"}) EXPECT_TRUE(j.contains(key)) << key;
    EXPECT_LE(j["time_to_train_days"].get<double>(), std::stod(deadline));
    EXPECT_EQ(j["gpus"].get<int>() % 8, 0);
    EXPECT_EQ(j["plan"]["gpus"], j["gpus"]);
    EXPECT_LE(j["gpus"].get<int>(), previous) << deadline;
    previous = j["gpus"].get<int>();
  }
}

TEST(SizeCli, GpusGivesTheTimeForThatCount) {
  const CliRun r = run(command("size", {"--gpus", "128", "--global-batch", "256", "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["gpus"], 128);
  EXPECT_GT(j["time_to_train_days"].get<double>(), 0);
  EXPECT_GT(j["cost_usd"].get<double>(), 0);
}

TEST(SizeCli, GranularityAndImpossibleDeadlines) {
  const CliRun pod = run(command("size", {"--deadline-days", "60", "--global-batch", "256", "--granularity", "64", "--format", "json"}));
  ASSERT_EQ(pod.status, 0) << pod.err;
  EXPECT_EQ(nlohmann::json::parse(pod.out)["gpus"].get<int>() % 64, 0);
  const CliRun never = run(command("size", {"--deadline-days", "0.01", "--global-batch", "256", "--max-gpus", "256"}));
  EXPECT_EQ(never.status, 1);
  EXPECT_NE(never.out.find("meets the deadline"), std::string::npos);
  EXPECT_EQ(run(command("size", {"--deadline-days", "10", "--gpus", "64", "--global-batch", "256"})).status, 2);
  EXPECT_EQ(run(command("size", {"--global-batch", "256"})).status, 2);
}

TEST(SweepCli, JsonHasOnePointPerCount) {
  const CliRun r = run(command("sweep", {"--gpus", "64:256", "--global-batch", "256", "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["points"].size(), 3u);
  int expected = 64;
  for (const auto& p : j["points"]) {
    EXPECT_EQ(p["gpus"], expected);
    expected *= 2;
    for (const char* key : {"time_to_train_days", "mfu", "tokens_per_second", "gpu_days", "plan"}) EXPECT_TRUE(p.contains(key)) << key;
  }
}

TEST(SweepCli, CsvRowsAndSvgChart) {
  const std::string svg_path = ::testing::TempDir() + "trainplan_sweep_test.svg";
  const CliRun r = run(command("sweep", {"--gpus", "64,96,128:256:64", "--global-batch", "384", "--format", "csv", "--svg", svg_path}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(lines(r.out), 1u + 5u);  // header + 64, 96, 128, 192, 256
  EXPECT_EQ(r.out.rfind("topology,gpus,found,gpu_days,tp,", 0), 0u);
  std::ifstream file(svg_path);
  const std::string svg((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  EXPECT_NE(svg.find("MFU (%)"), std::string::npos);
  std::remove(svg_path.c_str());
}

TEST(SweepCli, MissingOrBadCountsAreStatusTwo) {
  EXPECT_EQ(run(command("sweep", {"--global-batch", "256"})).status, 2);
  EXPECT_EQ(run(command("sweep", {"--gpus", "256:64", "--global-batch", "256"})).status, 2);
  EXPECT_EQ(run(command("sweep", {"--gpus", "64", "--global-batch", "256", "--svg", "/nonexistent/dir/x.svg"})).status, 2);
}

TEST(GpuCounts, ParsesRangesStepsAndLists) {
  EXPECT_EQ(parse_gpu_counts("8192:65536", "--gpus"), (std::vector<int>{8192, 16384, 32768, 65536}));
  EXPECT_EQ(parse_gpu_counts("1000:3000", "--gpus"), (std::vector<int>{1000, 2000}));
  EXPECT_EQ(parse_gpu_counts("1024:4096:1024", "--gpus"), (std::vector<int>{1024, 2048, 3072, 4096}));
  EXPECT_EQ(parse_gpu_counts("8,16,24", "--gpus"), (std::vector<int>{8, 16, 24}));
  EXPECT_EQ(parse_gpu_counts("8,64:256", "--gpus"), (std::vector<int>{8, 64, 128, 256}));
  EXPECT_EQ(parse_gpu_counts("512", "--gpus"), (std::vector<int>{512}));
  for (const char* bad : {"", "0", "8:4", "x", "8,,16", "1:2:3:4", "1.5", "8:64:0"})
    EXPECT_THROW(parse_gpu_counts(bad, "--gpus"), InputError) << bad;
}

TEST(SearchCli, HelpListsTheSearchFlags) {
  for (const char* name : {"search", "size", "sweep"}) {
    const CliRun r = run({name, "--help"});
    EXPECT_EQ(r.status, 0);
    for (const char* flag : {"--tp-max", "--max-global-batch-tokens", "--zero-stages", "--format", "--threads"})
      EXPECT_NE(r.out.find(flag), std::string::npos) << name << " " << flag;
  }
  EXPECT_NE(run({"size", "--help"}).out.find("--deadline-days"), std::string::npos);
  EXPECT_NE(run({"sweep", "--help"}).out.find("--svg"), std::string::npos);
}

}  // namespace trainplan

namespace trainplan {

TEST(SizeCli, MinimizingCostNeverCostsMoreThanTheFewestGpus) {
  const auto cost_of = [](const char* objective) {
    const CliRun r = run(command("size", {"--deadline-days", "80", "--global-batch", "256", "--max-gpus", "4096", "--minimize",
                                          objective, "--format", "json"}));
    EXPECT_EQ(r.status, 0) << r.err;
    return nlohmann::json::parse(r.out)["cost_usd"].get<double>();
  };
  EXPECT_LE(cost_of("cost"), cost_of("gpus"));
  EXPECT_EQ(run(command("size", {"--deadline-days", "80", "--global-batch", "256", "--minimize", "money"})).status, 2);
}

TEST(SearchCli, PlansCarryCostEnergyAndGoodput) {
  const CliRun r = run(command("search", {"--gpus", "64", "--global-batch", "256", "--top", "2", "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out);  // named: a temporary would die before the loop body
  for (const auto& plan : j["plans"])
    for (const char* key : {"cost_usd", "energy_mwh", "power_mw", "goodput", "time_to_train_days_failure_free"})
      EXPECT_TRUE(plan.contains(key)) << key;
}

}  // namespace trainplan

namespace trainplan {

TEST(SearchCli, MemoryHeadroomKeepsEveryPlanBelowCapacityLessTheHeadroom) {
  const auto search = [](std::vector<std::string> extra) {
    std::vector<std::string> args = {"--gpus", "64", "--global-batch", "256", "--top", "50", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    const CliRun r = run(command("search", args));
    EXPECT_EQ(r.status, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const auto plain = search({});
  const auto roomy = search({"--memory-headroom-gib", "30"});
  ASSERT_GT(roomy["plans"].size(), 0u);
  for (const auto& plan : roomy["plans"]) EXPECT_LE(plan["memory_per_gpu_gib"].get<double>(), 80.0 - 30.0);
  EXPECT_LT(roomy["feasible"].get<long long>(), plain["feasible"].get<long long>());
  const CliRun bad = run(command("search", {"--gpus", "64", "--global-batch", "256", "--memory-headroom-gib", "-1"}));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--memory-headroom-gib"), std::string::npos) << bad.err;
}

}  // namespace trainplan
