// size --power-cap-mw: no answer draws more power at the meter than the site can feed. Closed cases
// on one fixed plan: the cap just above a count's draw keeps it, just below refuses it naming both.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "fixed_llama_plan.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::vector<std::string>& kPlan = testing::kFixedLlama8b;

nlohmann::json plan_json(int gpus) {
  const CliRun r = run(with(with({"plan"}, kPlan), {"--gpus", std::to_string(gpus), "--uncertainty-samples", "0", "--format", "json"}));
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(r.out);
}
}  // namespace

TEST(SizePowerCap, ACountIsKeptUnderTheCapAndRefusedOverIt) {
  const double power64 = plan_json(64)["power_mw"].get<double>();
  ASSERT_GT(power64, 0);
  const auto size_at = [&](double cap) {
    return run(with(with({"size"}, kPlan), {"--gpus", "64", "--power-cap-mw", std::to_string(cap), "--format", "json"}));
  };
  const CliRun under = size_at(1.01 * power64);
  ASSERT_EQ(under.status, 0) << under.err;
  EXPECT_EQ(nlohmann::json::parse(under.out)["gpus"], 64);
  const CliRun over = size_at(0.99 * power64);
  EXPECT_EQ(over.status, 1);
  const auto j = nlohmann::json::parse(over.out);
  EXPECT_FALSE(j["found"].get<bool>());
  EXPECT_NE(j["problem"].get<std::string>().find("more than the power cap"), std::string::npos) << j["problem"];
}

// A deadline that 64 GPUs miss with failures needs more GPUs, which draw more than 64 do: a cap
// just above 64 GPUs' draw leaves no answer; without the cap there is one.
TEST(SizePowerCap, TheDeadlineCannotBeBoughtWithPowerTheSiteLacks) {
  const nlohmann::json at64 = plan_json(64);
  const double deadline = 0.5 * (at64["time_to_train_days"].get<double>() + at64["time_to_train_days_failure_free"].get<double>());
  const std::vector<std::string> size = with(with({"size"}, kPlan), {"--granularity", "8", "--max-gpus", "512", "--deadline-days",
                                                                     std::to_string(deadline), "--format", "json"});
  const CliRun free = run(size);
  ASSERT_EQ(free.status, 0) << free.err;
  EXPECT_GT(nlohmann::json::parse(free.out)["gpus"].get<int>(), 64);
  const CliRun capped = run(with(size, {"--power-cap-mw", std::to_string(1.01 * at64["power_mw"].get<double>())}));
  EXPECT_EQ(capped.status, 1);
  EXPECT_NE(nlohmann::json::parse(capped.out)["problem"].get<std::string>().find("the deadline needs"), std::string::npos);
  EXPECT_EQ(run(with(size, {"--power-cap-mw", "-3"})).status, 2);
  EXPECT_EQ(run(with(size, {"--power-cap-mw", "1e9"})).status, 2);
}

}  // namespace trainplan
