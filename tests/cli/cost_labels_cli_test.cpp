// Cost a finance reader can check: every price flag used under the basis or refused, the purchase
// lines with their sources in the table and JSON, network capital following the NIC speed and the
// switch count.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;

const std::vector<std::string> kPlan = {"plan", "--model", "llama3-8b", "--gpus", "1024", "--tp", "8", "--seq-len", "8192",
                                        "--global-batch", "1024", "--tokens", "1T", "--uncertainty-samples", "0"};

int lines_of(const std::string& text) { return static_cast<int>(std::count(text.begin(), text.end(), '\n')); }
}  // namespace

TEST(CostLabels, APriceTheBasisDoesNotUseIsRefusedNamingTheFlag) {
  struct Case {
    std::vector<std::string> args;
    const char* flag;
    const char* why;
  };
  for (const Case& c : {Case{{"--rent-price", "2.5"}, "--rent-price", "applies with --cost-basis rent"},
                        Case{{"--cost-basis", "rent", "--gpu-price", "30000"}, "--gpu-price", "applies with --cost-basis buy"},
                        Case{{"--cost-basis", "rent", "--amortization-years", "5"}, "--amortization-years", "applies with --cost-basis buy"},
                        Case{{"--cost-basis", "rent", "--electricity-price", "0.1"}, "--electricity-price", "applies with --cost-basis buy"},
                        Case{{"--cost-basis", "rent", "--set", "economics.cost.switch_usd=30000"}, "--set", "applies with --cost-basis buy"},
                        Case{{"--set", "economics.cost.rent_usd_per_gpu_hour=2"}, "--set", "applies with --cost-basis rent"}}) {
    SCOPED_TRACE(c.flag);
    const CliRun r = run(testing::with(kPlan, c.args));
    EXPECT_EQ(r.status, 2) << r.out;
    EXPECT_EQ(lines_of(r.err), 1) << r.err;
    EXPECT_NE(r.err.find(c.flag), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.why), std::string::npos) << r.err;
  }
  // Used under their basis: each moves the cost.
  const auto cost = [](const std::vector<std::string>& more) {
    const CliRun r = run(testing::with(testing::with(kPlan, {"--format", "json"}), more));
    EXPECT_EQ(r.status, 0) << r.err;
    return r.status == 0 ? nlohmann::json::parse(r.out)["cost_usd"].get<double>() : 0.0;
  };
  const double buy = cost({});
  EXPECT_NE(cost({"--gpu-price", "30000"}), buy);
  EXPECT_NE(cost({"--amortization-years", "5"}), buy);
  EXPECT_NE(cost({"--electricity-price", "0.2"}), buy);
  EXPECT_NE(cost({"--pue", "1.5"}), buy);
  const double rent = cost({"--cost-basis", "rent"});
  EXPECT_NE(cost({"--cost-basis", "rent", "--rent-price", "2.5"}), rent);
}

TEST(CostLabels, NetworkCapitalFollowsTheNicSpeed) {
  const auto network = [](const char* nic) {
    const CliRun r = run(testing::with(kPlan, {"--format", "json", "--set", std::string("fabric.nic_gbit_s=") + nic}));
    EXPECT_EQ(r.status, 0) << r.err;
    return r.status == 0 ? nlohmann::json::parse(r.out)["capital_usd"]["network"].get<double>() : 0.0;
  };
  const double at_400 = network("400"), at_800 = network("800");
  EXPECT_GT(at_400, 0);
  EXPECT_NEAR(at_800 / at_400, 1.8, 1e-9);  // the same counts at the 800G row (the 400G row x 1.8)
}

TEST(CostLabels, TableAndJsonShowThePurchaseLinesWithSources) {
  const CliRun table = run(kPlan);
  ASSERT_EQ(table.status, 0) << table.err;
  for (const char* text : {"purchase", "GPUs", "servers", "switch leaf", "link leaf", "nic", "storage", "amortised share", "energy",
                           "rent (not in the cost)", "gpus.llm-utils.org", "planner/data/economics.yaml cost.network_by_speed.400"})
    EXPECT_NE(table.out.find(text), std::string::npos) << text << "\n" << table.out;
  const CliRun json = run(testing::with(kPlan, {"--format", "json"}));
  ASSERT_EQ(json.status, 0) << json.err;
  const auto j = nlohmann::json::parse(json.out);
  const auto& b = j["cost_breakdown"];
  EXPECT_EQ(b["basis"], "buy");
  EXPECT_NEAR(b["purchase"]["total_usd"].get<double>(), j["capital_usd"]["total"].get<double>(), 1e-6);
  double lines = 0;
  for (const auto& line : b["purchase"]["network"]["lines"]) {
    EXPECT_NEAR(line["usd"].get<double>(), line["count"].get<double>() * line["unit_usd"].get<double>(), 1e-6);
    EXPECT_FALSE(line["source"].is_null());
    lines += line["usd"].get<double>();
  }
  EXPECT_NEAR(lines, j["capital_usd"]["network"].get<double>(), 1e-3);
  // buy = the run's share of the purchase + energy.
  EXPECT_NEAR(j["buy_usd"].get<double>(), b["amortization"]["usd"].get<double>() + b["energy"]["usd"].get<double>(), 1e-3);
  EXPECT_EQ(b["purchase"]["gpus"]["source"]["kind"], "published");
}

TEST(CostLabels, OneRentPriceSaysItIsOneValue) {
  const CliRun r = run(testing::with(kPlan, {"--cost-basis", "rent", "--rent-price", "2.5"}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("one value: the rent was given as one price"), std::string::npos) << r.out;
  const CliRun ranged = run(testing::with(kPlan, {"--cost-basis", "rent"}));
  ASSERT_EQ(ranged.status, 0) << ranged.err;
  EXPECT_NE(ranged.out.find("rent low-high"), std::string::npos) << ranged.out;
}

}  // namespace trainplan

namespace trainplan {

TEST(CostLabels, WithoutTokensThePurchaseAndTheHourlyPartsAreShown) {
  const CliRun r = testing::run({"plan", "--model", "llama3-8b", "--gpus", "64", "--tp", "8", "--seq-len", "8192", "--global-batch", "64",
                                 "--uncertainty-samples", "0"});
  ASSERT_EQ(r.status, 0) << r.err;
  for (const char* text : {"purchase", "switch leaf", "write-off per hour", "energy per hour", "rent per hour (not in the cost)"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text << "\n" << r.out;
  EXPECT_EQ(r.out.find("MWh x"), std::string::npos) << r.out;  // no run energy without a run
}

}  // namespace trainplan
