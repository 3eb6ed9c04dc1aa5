// size --memory-headroom-gib: a count is answered only with a plan that leaves the headroom free.
// One fixed plan: a headroom just inside its slack keeps the count, just outside refuses it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "fixed_llama_plan.hpp"

namespace trainplan {

TEST(SizeMemoryHeadroom, ACountIsKeptInsideTheSlackAndRefusedBeyondIt) {
  using testing::CliRun;
  using testing::run;
  using testing::with;
  const std::vector<std::string>& plan = testing::kFixedLlama8b;
  const CliRun fixed = run(with(with({"plan"}, plan), {"--gpus", "64", "--uncertainty-samples", "0", "--format", "json"}));
  ASSERT_EQ(fixed.status, 0) << fixed.err;
  const auto j = nlohmann::json::parse(fixed.out);
  const double slack = j["memory_capacity_gib"].get<double>() - j["memory_per_gpu_gib"].get<double>();
  ASSERT_GT(slack, 1.0);
  const auto size_with = [&](double headroom) {
    return run(with(with({"size"}, plan), {"--gpus", "64", "--memory-headroom-gib", std::to_string(headroom), "--format", "json"}));
  };
  const CliRun inside = size_with(slack - 0.5);
  ASSERT_EQ(inside.status, 0) << inside.err;
  EXPECT_EQ(nlohmann::json::parse(inside.out)["gpus"], 64);
  const CliRun beyond = size_with(slack + 0.5);
  EXPECT_EQ(beyond.status, 1) << beyond.out;
  EXPECT_FALSE(nlohmann::json::parse(beyond.out)["found"].get<bool>());
}

}  // namespace trainplan
