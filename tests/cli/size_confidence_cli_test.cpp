#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;
// No failures and no planned interruptions: days with failures = failure-free days (+ one sub-second checkpoint).
const std::vector<std::string> llama_size = {"size", "--model", "llama3-8b", "--tokens", "15T", "--global-batch", "1024", "--seq-len",
                                             "8192", "--set", "economics.failures.per_gpu_day=0", "--set",
                                             "economics.failures.planned_per_day=0", "--format", "json"};

int gpus_of(const CliRun& r) {
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(r.out)["gpus"].get<int>();
}
}  // namespace

TEST(SizeConfidenceCli, AFixedModelErrorScalesTheDeadlineExactly) {
  // Closed case: every input fixed, the dense model error at x1.25. Its p90 is 1.25 x the failure-free
  // days, so sizing for 40 days at 90% confidence must give the count that plain sizing gives for 32.
  const auto path = std::filesystem::temp_directory_path() / "size_confidence_fixed.yaml";
  std::ofstream(path) << "inputs:\n"
                         "  model_error_dense: {kind: fixed, value: 1.25, source: test}\n"
                         "  routing_efficiency: {kind: fixed, value: 1, source: test}\n"
                         "  failure_rate: {kind: fixed, value: 1, source: test}\n"
                         "  restart_time: {kind: fixed, value: 1, source: test}\n"
                         "  checkpoint_bandwidth: {kind: fixed, value: 1, source: test}\n";
  const CliRun confident = run(with(llama_size, {"--deadline-days", "40", "--confidence", "0.9", "--uncertainty", path.string(),
                                                 "--uncertainty-samples", "8"}));
  const CliRun plain = run(with(llama_size, {"--deadline-days", "32"}));
  EXPECT_EQ(gpus_of(confident), gpus_of(plain));
  const auto j = nlohmann::json::parse(confident.out);
  EXPECT_EQ(j["confidence"], 0.9);
  EXPECT_NEAR(j["time_to_train_days_at_confidence"].get<double>(), 1.25 * j["time_to_train_days"].get<double>(), 0.01);
  EXPECT_LE(j["time_to_train_days_at_confidence"].get<double>(), 40);
  // Every count the deadline sampled lists the days it was held to, 1.25 x its own.
  int sampled = 0;
  for (const auto& count : j["searched"]) {
    if (count["time_to_train_days_at_confidence"].is_null()) continue;
    ++sampled;
    EXPECT_NEAR(count["time_to_train_days_at_confidence"].get<double>(), 1.25 * count["time_to_train_days"].get<double>(), 0.01);
  }
  EXPECT_GE(sampled, 1);
  // A tighter confidence deadline than the plain one needs at least as many GPUs.
  const CliRun tighter = run(with(llama_size, {"--deadline-days", "32", "--confidence", "0.9", "--uncertainty", path.string(),
                                               "--uncertainty-samples", "8"}));
  EXPECT_GE(gpus_of(tighter), gpus_of(plain));
}

// With knobs left to search, the p90 test at each count uses the layout re-searched per sample: the
// answer's days at 90% confidence are the p90 of its re-searched range (the same samples).
TEST(SizeConfidenceCli, TheConfidentDaysAreThoseOfTheReSearchedRange) {
  const CliRun r = run(with(llama_size, {"--deadline-days", "30", "--confidence", "0.9", "--uncertainty-samples", "16"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ranges_sampling"]["layout"], "re-searched");
  EXPECT_EQ(j["ranges_sampling"]["samples"], 16);
  EXPECT_NEAR(j["time_to_train_days_at_confidence"].get<double>(), j["time_to_train_days_p90"].get<double>(),
              1e-9 * j["time_to_train_days_p90"].get<double>());
  EXPECT_LE(j["time_to_train_days_at_confidence"].get<double>(), 30);
}

// Past the fabric's reach, the sentence says the quantile the deadline was held to, not only the point
// (which alone can sit below the deadline and read as a contradiction).
TEST(SizeConfidenceCli, BeyondReachTheProblemNamesTheQuantileItFailed) {
  std::vector<std::string> args = llama_size;
  args.pop_back();
  args.pop_back();  // the table
  // The rail-only fabric reaches 512 GPUs, far short of a 5-day deadline.
  const CliRun r = run(with(args, {"--deadline-days", "5", "--confidence", "0.9", "--uncertainty-samples", "8", "--topology", "rail-only-ndr"}));
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("15.00T tokens"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("reaches at most 512 GPUs (best plan at 512 GPUs: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" d with failures, p90 "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("512: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" d (p90 "), std::string::npos) << r.out;  // each count searched, with its p90
}

TEST(SizeConfidenceCli, BadConfidenceIsRefused) {
  for (const std::vector<std::string>& extra :
       {std::vector<std::string>{"--deadline-days", "30", "--confidence", "1.5"},
        std::vector<std::string>{"--deadline-days", "30", "--confidence", "abc"},
        std::vector<std::string>{"--gpus", "512", "--confidence", "0.9"},
        std::vector<std::string>{"--deadline-days", "30", "--confidence", "0.9", "--minimize", "cost"}}) {
    const CliRun r = run(with(llama_size, extra));
    EXPECT_EQ(r.status, 2) << extra[1];
    EXPECT_NE(r.err.find("--confidence"), std::string::npos) << r.err;
  }
}

}  // namespace trainplan
