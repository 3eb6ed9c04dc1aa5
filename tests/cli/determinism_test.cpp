// Identical inputs give byte-identical output: plan (with seeded Monte-Carlo), search and sweep at
// any thread count, and compare. A report that varies run to run cannot be diffed or cached.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {
namespace {

using testing::CliRun;
using testing::run;
using testing::with;

// The output without what describes the run rather than its result: search and sweep report the
// wall time they took ("seconds") and the threads they used ("threads"). Everything else, every
// plan and figure, must be byte for byte the same.
std::string result_of(const CliRun& r) {
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j.is_object());
  j.erase("seconds");
  j.erase("threads");
  return j.dump(2);
}

// Runs `args` twice, and once with each of `variants` appended, and expects the same bytes each time.
void expect_same_output(const std::vector<std::string>& args, const std::vector<std::vector<std::string>>& variants = {}) {
  const CliRun first = run(args);
  ASSERT_EQ(first.status, 0) << first.err;
  const std::string expected = result_of(first);
  ASSERT_GT(expected.size(), 100u);
  EXPECT_EQ(result_of(run(args)), expected) << "second run of the same command differs";
  for (const auto& more : variants) EXPECT_EQ(result_of(run(with(args, more))), expected) << more.back();
}
// search and sweep use every core unless told: the runs above without --threads, these with.
const std::vector<std::vector<std::string>> kThreadCounts = {{"--threads", "1"}, {"--threads", "2"}, {"--threads", "5"}};

TEST(Determinism, PlanWithSeededMonteCarloIsByteIdentical) {
  expect_same_output({"plan", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--global-batch", "1024",
                      "--seq-len", "8192", "--tokens", "15T", "--runs", "300", "--seed", "7", "--format", "json"});
}

TEST(Determinism, SeedChangesTheSimulationOnly) {
  const std::vector<std::string> base = {"plan", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "64", "--tokens", "1T",
                                         "--runs", "200", "--format", "json"};
  const CliRun a = run(with(base, {"--seed", "1"})), b = run(with(base, {"--seed", "2"}));
  ASSERT_EQ(a.status, 0) << a.err;
  EXPECT_NE(a.out, b.out);  // the pin above would pass for an unseeded constant too; a seed must matter
}

TEST(Determinism, SearchIsByteIdenticalAtAnyThreadCount) {
  expect_same_output({"search", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "256", "--top", "10", "--format", "json"},
                     kThreadCounts);
}

TEST(Determinism, SweepIsByteIdenticalAtAnyThreadCount) {
  expect_same_output({"sweep", "--model", "llama3-8b", "--gpus", "64:128", "--global-batch", "256", "--tokens", "1T", "--format",
                      "json"},
                     kThreadCounts);
}

TEST(Determinism, CompareIsByteIdentical) {
  expect_same_output({"compare", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--global-batch", "1024",
                      "--seq-len", "8192", "--tokens", "15T", "--format", "json", "--topologies", "dgx-h100-superpod-ndr",
                      "meta-roce-24k"});
}

}  // namespace
}  // namespace trainplan
