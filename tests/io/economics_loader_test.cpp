#include "planner/io/economics_loader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <numeric>
#include <string>

#include "planner/cli/plan_options.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {
LoadedEconomics with_sets(std::initializer_list<const char*> sets) {
  std::vector<Override> overrides;
  for (const char* s : sets) overrides.push_back(parse_override(s));
  return load_economics("", overrides);
}

// The message of the InputError that loading with these --set flags throws ("" if none).
std::string set_error(std::initializer_list<const char*> sets) {
  try {
    with_sets(sets);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

std::string temp_file(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("trainplan-economics-test-" + name);
  std::ofstream(path) << text;
  return path.string();
}
}  // namespace

TEST(EconomicsLoader, BundledDefaultsLoad) {
  const LoadedEconomics l = load_economics("", {});
  const EconomicsModel& m = l.model;
  EXPECT_EQ(l.failure_rate_name, "llama3");
  EXPECT_DOUBLE_EQ(m.reliability.failures.unexpected_per_gpu_day, 4.7e-4);
  EXPECT_NEAR(m.reliability.failures.planned_per_day, 47.0 / 54, 0.001);
  EXPECT_DOUBLE_EQ(m.reliability.failures.hardware_share, 0.78);
  EXPECT_DOUBLE_EQ(m.reliability.checkpoint.bytes_per_param(), 14);
  EXPECT_EQ(m.reliability.checkpoint.interval_s, 0);  // optimal
  EXPECT_DOUBLE_EQ(m.reliability.recovery.restart_s, 600);
  EXPECT_DOUBLE_EQ(m.cost.buy.gpu_usd.typical, 35000);
  EXPECT_DOUBLE_EQ(m.cost.buy.gpu_usd.low, 25000);
  EXPECT_DOUBLE_EQ(m.cost.buy.gpu_usd.high, 40000);
  EXPECT_EQ(m.cost.rent.year, 2025);
  EXPECT_DOUBLE_EQ(m.cost.power.server_overhead_w_per_gpu + 700, 1275);
  EXPECT_DOUBLE_EQ(m.cost.power.pue, 1.1);
  EXPECT_EQ(m.cost.storage_tb, 0);  // auto
  EXPECT_EQ(m.monte_carlo.runs, 0);
  // Llama 3's causes, normalised.
  ASSERT_EQ(m.reliability.failures.causes.size(), 10u);
  double shares = 0;
  for (const auto& c : m.reliability.failures.causes) shares += c.share;
  EXPECT_NEAR(shares, 1, 1e-12);
  EXPECT_NEAR(m.reliability.failures.causes.front().share, 148.0 / 397, 1e-12);
}

TEST(EconomicsLoader, EveryDefaultNumberHasProvenance) {
  const LoadedEconomics l = load_economics("", {});
  for (const char* path :
       {"failures.per_gpu_day", "failures.published_rates.meta_research_clusters", "failures.per_node_day",
        "failures.per_switch_day", "failures.planned_per_day", "failures.hardware_share", "failures.causes",
        "checkpoint.weights_bytes_per_param", "checkpoint.master_bytes_per_param", "checkpoint.optimizer_bytes_per_param",
        "checkpoint.storage_gb_s", "checkpoint.node_storage_gb_s", "checkpoint.host_copy_gb_s_per_gpu",
        "recovery.restart_minutes", "recovery.spare_wait_minutes", "recovery.node_repair_hours", "cost.gpu_usd",
        "cost.server_usd_per_gpu", "cost.network_by_speed.400", "cost.network_by_speed.800", "cost.storage_usd_per_tb",
        "cost.checkpoints_kept", "cost.amortization_years", "cost.rent_usd_per_gpu_hour", "energy.gpu_utilization",
        "energy.gpu_idle_fraction_of_tdp", "energy.server_overhead_w_per_gpu", "energy.network_storage_share", "energy.pue",
        "energy.electricity_usd_per_kwh"}) {
    SCOPED_TRACE(path);
    const auto it = l.provenance.find(path);
    ASSERT_NE(it, l.provenance.end());
    EXPECT_TRUE(it->second.kind == "published" || it->second.kind == "assumption") << it->second.kind;
    EXPECT_FALSE(it->second.source.empty());
    EXPECT_NE(it->second.kind, "measured");  // nothing in the bundled file is measured
  }
  EXPECT_NE(l.provenance.at("failures.per_gpu_day").source.find("Llama 3"), std::string::npos);
}

TEST(EconomicsLoader, SetOverridesNumbersAndMarksThemUser) {
  const LoadedEconomics l = with_sets({"economics.failures.per_gpu_day=6e-4", "economics.recovery.restart_minutes=20",
                                       "economics.checkpoint.interval_minutes=30", "economics.cost.gpu_usd.low=20000",
                                       "economics.cost.basis=buy", "economics.monte_carlo.runs=1K", "model.layers=3"});
  EXPECT_DOUBLE_EQ(l.model.reliability.failures.unexpected_per_gpu_day, 6e-4);
  EXPECT_TRUE(l.failure_rate_name.empty());
  EXPECT_DOUBLE_EQ(l.model.reliability.recovery.restart_s, 1200);
  EXPECT_DOUBLE_EQ(l.model.reliability.checkpoint.interval_s, 1800);
  EXPECT_DOUBLE_EQ(l.model.cost.buy.gpu_usd.low, 20000);
  EXPECT_DOUBLE_EQ(l.model.cost.buy.gpu_usd.typical, 35000);
  EXPECT_EQ(l.model.cost.basis, CostBasis::buy);  // a purchase price applies with buy (refused with rent: CostLabels.*)
  EXPECT_EQ(l.model.monte_carlo.runs, 1000);
  EXPECT_EQ(l.provenance.at("failures.per_gpu_day").kind, "user");
  EXPECT_EQ(l.provenance.at("failures.per_gpu_day").source, "--set economics.failures.per_gpu_day=6e-4");
  EXPECT_EQ(l.provenance.at("cost.gpu_usd").kind, "user");
  EXPECT_EQ(l.provenance.at("energy.pue").kind, "published");  // untouched
}

TEST(EconomicsLoader, PublishedRatesByName) {
  const LoadedEconomics l = with_sets({"economics.failures.per_gpu_day=meta_research_clusters"});
  EXPECT_DOUBLE_EQ(l.model.reliability.failures.unexpected_per_gpu_day, 8.14e-4);
  EXPECT_EQ(l.failure_rate_name, "meta_research_clusters");
  const std::string error = set_error({"economics.failures.per_gpu_day=llama4"});
  EXPECT_NE(error.find("failures.per_gpu_day"), std::string::npos) << error;
  EXPECT_NE(error.find("llama3, meta_research_clusters"), std::string::npos) << error;
}

TEST(EconomicsLoader, BadValuesNameTheFlagTheFieldAndWhatWasExpected) {
  struct Case {
    const char* set;
    const char* field;
    const char* expected;
  };
  for (const Case& c : {Case{"economics.failures.per_gpu_day=-1e-4", "failures.per_gpu_day", "a number >= 0"},
                        Case{"economics.failures.hardware_share=1.5", "failures.hardware_share", "between 0 and 1"},
                        Case{"economics.energy.pue=0.9", "energy.pue", ">= 1"},
                        Case{"economics.checkpoint.interval_minutes=often", "checkpoint.interval_minutes", "'optimal'"},
                        Case{"economics.checkpoint.interval_minutes=0", "checkpoint.interval_minutes", "positive"},
                        Case{"economics.checkpoint.storage_gb_s=fast", "checkpoint.storage_gb_s", "a positive number"},
                        Case{"economics.cost.basis=lease", "cost.basis", "buy or rent"},
                        Case{"economics.cost.gpu_usd.low=50000", "cost.gpu_usd", "low <= typical <= high"},
                        Case{"economics.cost.rent_usd_per_gpu_hour.year=1999", "year", "a year"},
                        Case{"economics.recovery.hot_spare_nodes=2.5", "recovery.hot_spare_nodes", "whole number"},
                        Case{"economics.monte_carlo.seed=-3", "monte_carlo.seed", ">= 0"},
                        Case{"economics.checkpoint.in_memory_first_stage=maybe", "in_memory_first_stage", "true or false"},
                        Case{"economics.energy.network_storage_share=1", "network_storage_share", "below 1"}}) {
    SCOPED_TRACE(c.set);
    const std::string error = set_error({c.set});
    ASSERT_FALSE(error.empty());
    EXPECT_NE(error.find(std::string("--set ") + c.set), std::string::npos) << error;
    EXPECT_NE(error.find(c.field), std::string::npos) << error;
    EXPECT_NE(error.find(c.expected), std::string::npos) << error;
  }
}

TEST(EconomicsLoader, UnknownKeysAreErrors) {
  std::string error = set_error({"economics.cost.gpu_price=30000"});
  EXPECT_NE(error.find("cost.gpu_price"), std::string::npos) << error;
  EXPECT_NE(error.find("unknown key"), std::string::npos) << error;
  EXPECT_NE(error.find("gpu_usd"), std::string::npos) << error;  // lists what is allowed
  error = set_error({"economics.failure.per_gpu_day=1e-4"});
  EXPECT_NE(error.find("unknown key"), std::string::npos) << error;
  error = set_error({"economics.energy.pue.value.x=1"});
  EXPECT_FALSE(error.empty());
}

TEST(EconomicsLoader, UserFileIsLaidOverTheDefaults) {
  const std::string path = temp_file("over.yaml",
                                     "failures:\n  per_gpu_day: 3e-4\n"
                                     "checkpoint:\n  storage_gb_s: {value: 500, kind: measured, source: \"ior on our cluster\"}\n"
                                     "cost:\n  gpu_usd: 30000\n");
  const LoadedEconomics l = load_economics(path, {});
  EXPECT_DOUBLE_EQ(l.model.reliability.failures.unexpected_per_gpu_day, 3e-4);
  EXPECT_DOUBLE_EQ(l.model.reliability.checkpoint.storage_gb_s, 500);
  EXPECT_DOUBLE_EQ(l.model.cost.buy.gpu_usd.low, 30000);   // a plain number: no range
  EXPECT_DOUBLE_EQ(l.model.cost.buy.gpu_usd.high, 30000);
  EXPECT_DOUBLE_EQ(l.model.reliability.recovery.restart_s, 600);  // untouched default
  EXPECT_EQ(l.provenance.at("checkpoint.storage_gb_s").kind, "user");
  EXPECT_EQ(l.provenance.at("checkpoint.storage_gb_s").source, path);
  EXPECT_NE(l.source.find(path), std::string::npos);

  const std::string bad = temp_file("bad.yaml", "energy:\n  pue: 0.5\n");
  try {
    load_economics(bad, {});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("energy.pue"), std::string::npos) << e.what();
  }
  EXPECT_THROW(load_economics("/nonexistent/economics.yaml", {}), InputError);
  std::filesystem::remove(path);
  std::filesystem::remove(bad);
}

// The planning commands' flags become economics overrides; they beat --set and name themselves.
TEST(EconomicsLoader, PlanFlagsBecomeOverrides) {
  PlanFlags f;
  f.failure_rate = "meta_research_clusters";
  f.restart_minutes = "20";
  f.checkpoint_interval = "optimal";
  f.storage_gb_s = "500";
  f.runs = "100";
  f.seed = "9";
  f.cost_basis = "rent";
  f.pue = "1.3";
  const LoadedEconomics l = load_plan_economics(f, {parse_override("economics.recovery.restart_minutes=5")});
  EXPECT_DOUBLE_EQ(l.model.reliability.failures.unexpected_per_gpu_day, 8.14e-4);
  EXPECT_DOUBLE_EQ(l.model.reliability.recovery.restart_s, 1200);  // the flag wins over --set
  EXPECT_EQ(l.model.reliability.checkpoint.interval_s, 0);
  EXPECT_DOUBLE_EQ(l.model.reliability.checkpoint.storage_gb_s, 500);
  EXPECT_EQ(l.model.monte_carlo.runs, 100);
  EXPECT_EQ(l.model.monte_carlo.seed, 9u);
  EXPECT_EQ(l.model.cost.basis, CostBasis::rent);
  EXPECT_DOUBLE_EQ(l.model.cost.power.pue, 1.3);
  EXPECT_EQ(l.provenance.at("recovery.restart_minutes").source, "--restart-minutes 20");

  f.restart_minutes = "-5";
  try {
    load_plan_economics(f, {});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--restart-minutes -5: recovery.restart_minutes"), std::string::npos) << e.what();
  }
}

}  // namespace trainplan
