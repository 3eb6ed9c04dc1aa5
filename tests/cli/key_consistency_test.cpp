// One meaning per key in every command and format: the same plan run through plan, search, size,
// sweep and compare, in JSON and CSV, gives the same `time_to_train_days` (wall-clock with failures,
// checkpoints and restarts) and `time_to_train_days_failure_free`.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "fixed_llama_plan.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::vector<std::string>& kPlan = testing::kFixedLlama8b;

struct Days {
  double with_failures = 0, failure_free = 0;
};

nlohmann::json json_of(const std::vector<std::string>& args) {
  const CliRun r = run(with(args, {"--format", "json"}));
  EXPECT_EQ(r.status, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

// The first data row of a CSV (no quoted fields in these rows), by header.
std::map<std::string, std::string> csv_row(const std::vector<std::string>& args) {
  const CliRun r = run(with(args, {"--format", "csv"}));
  EXPECT_EQ(r.status, 0) << r.err;
  std::istringstream in(r.out);
  std::string header, row;
  std::getline(in, header);
  std::getline(in, row);
  std::map<std::string, std::string> cells;
  std::istringstream h(header), v(row);
  for (std::string key, value; std::getline(h, key, ',') && std::getline(v, value, ',');) cells[key] = value;
  return cells;
}

Days from_json(const nlohmann::json& j) {
  return {j.at("time_to_train_days").get<double>(), j.at("time_to_train_days_failure_free").get<double>()};
}

Days from_csv(const std::map<std::string, std::string>& row) {
  return {std::stod(row.at("time_to_train_days")), std::stod(row.at("time_to_train_days_failure_free"))};
}

void expect_same(const Days& a, const Days& b, const std::string& where) {
  EXPECT_NEAR(a.with_failures, b.with_failures, 1e-9 * a.with_failures) << where;
  EXPECT_NEAR(a.failure_free, b.failure_free, 1e-9 * a.failure_free) << where;
}

}  // namespace

TEST(KeyConsistency, TimeToTrainMeansTheSameInEveryCommandAndFormat) {
  const std::vector<std::string> plan = with(with({"plan"}, kPlan), {"--gpus", "64", "--uncertainty-samples", "0"});
  const Days reference = from_json(json_of(plan));
  ASSERT_GT(reference.with_failures, reference.failure_free);  // failures cost time
  expect_same(reference, from_csv(csv_row(plan)), "plan csv");

  const std::vector<std::string> search = with(with({"search"}, kPlan), {"--gpus", "64", "--top", "1", "--uncertainty-samples", "0"});
  expect_same(reference, from_json(json_of(search)["plans"][0]), "search json");
  expect_same(reference, from_csv(csv_row(search)), "search csv");

  const std::vector<std::string> size = with(with({"size"}, kPlan), {"--gpus", "64"});
  const nlohmann::json size_json = json_of(size);
  expect_same(reference, from_json(size_json), "size json");
  expect_same(reference, from_json(size_json["searched"][0]), "size json searched[0]");
  EXPECT_FALSE(size_json["plan"].contains("time_to_train_days"));  // the plan object is failure-free only
  expect_same(reference, {reference.with_failures, size_json["plan"]["time_to_train_days_failure_free"].get<double>()}, "size plan");
  expect_same(reference, from_csv(csv_row(size)), "size csv");

  const std::vector<std::string> sweep = with(with({"sweep"}, kPlan), {"--gpus", "64"});
  expect_same(reference, from_json(json_of(sweep)["points"][0]), "sweep json");
  expect_same(reference, from_csv(csv_row(sweep)), "sweep csv");

  const std::vector<std::string> compare = with(with({"compare"}, kPlan), {"--gpus", "64", "--variant", "fabric.nic_gbit_s=200"});
  const nlohmann::json variant = json_of(compare)["variants"][0];
  expect_same(reference, from_json(variant["economics"]), "compare json economics");
  EXPECT_NEAR(variant["plan"]["time_to_train_days_failure_free"].get<double>(), reference.failure_free, 1e-9 * reference.failure_free);
  expect_same(reference, from_csv(csv_row(compare)), "compare csv");
}

// size --deadline-days holds the count to the wall-clock days with failures: the answer meets the
// deadline with failures, and the count below it (on the grid) does not; --deadline-basis
// failure-free sizes on the other measure and needs no more GPUs.
TEST(KeyConsistency, SizeHoldsTheDeadlineToDaysWithFailures) {
  const std::vector<std::string> base = with(with({"size"}, kPlan), {"--granularity", "8", "--max-gpus", "512"});
  const nlohmann::json at64 = json_of(with(with({"plan"}, kPlan), {"--gpus", "64", "--uncertainty-samples", "0"}));
  // A deadline between the failure-free and the with-failures days of 64 GPUs.
  const double deadline = 0.5 * (at64["time_to_train_days"].get<double>() + at64["time_to_train_days_failure_free"].get<double>());
  const std::string d = std::to_string(deadline);
  const nlohmann::json wall = json_of(with(base, {"--deadline-days", d}));
  const nlohmann::json free = json_of(with(base, {"--deadline-days", d, "--deadline-basis", "failure-free"}));
  ASSERT_TRUE(wall["found"].get<bool>());
  ASSERT_TRUE(free["found"].get<bool>());
  EXPECT_EQ(wall["deadline_basis"], "with-failures");
  EXPECT_EQ(free["deadline_basis"], "failure-free");
  EXPECT_LE(wall["time_to_train_days"].get<double>(), deadline);
  EXPECT_LE(free["time_to_train_days_failure_free"].get<double>(), deadline);
  EXPECT_LE(free["gpus"].get<int>(), 64);  // 64 GPUs meet it failure-free
  EXPECT_GT(wall["gpus"].get<int>(), 64);  // but not with failures
  EXPECT_GE(wall["gpus"].get<int>(), free["gpus"].get<int>());
  for (const auto& o : wall["searched"]) {
    if (o["found"].get<bool>() && o["gpus"].get<int>() < wall["gpus"].get<int>()) {
      EXPECT_GT(o["time_to_train_days"].get<double>(), deadline) << o["gpus"];
    }
  }
  EXPECT_EQ(run(with(base, {"--deadline-days", d, "--deadline-basis", "calendar"})).status, 2);
}

// The ranges of one plan (same samples, same seed) read the same in plan, search, size, sweep and
// compare, in JSON and in CSV: time_to_train_days_p10/_p50/_p90, cost_usd_p10/_p50/_p90.
TEST(KeyConsistency, TheRangesOfOnePlanAgreeInEveryCommandAndFormat) {
  const std::vector<std::string> samples = {"--uncertainty-samples", "32"};
  const nlohmann::json reference = json_of(with(with(with({"plan"}, kPlan), {"--gpus", "64"}), samples));
  const std::vector<std::string> keys = {"time_to_train_days_p10", "time_to_train_days_p50", "time_to_train_days_p90",
                                         "cost_usd_p10", "cost_usd_p50", "cost_usd_p90"};
  const auto expect_json = [&](const nlohmann::json& j, const std::string& where) {
    for (const std::string& key : keys) {
      ASSERT_TRUE(j.contains(key) && j[key].is_number()) << where << ": " << key;
      EXPECT_NEAR(j[key].get<double>(), reference[key].get<double>(), 1e-9 * reference[key].get<double>()) << where << ": " << key;
    }
  };
  const auto expect_csv = [&](const std::map<std::string, std::string>& row, const std::string& where) {
    for (const std::string& key : keys) {
      ASSERT_TRUE(row.count(key)) << where << ": " << key;
      EXPECT_NEAR(std::stod(row.at(key)), reference[key].get<double>(), 1e-9 * reference[key].get<double>()) << where << ": " << key;
    }
  };
  ASSERT_LT(reference["time_to_train_days_p10"].get<double>(), reference["time_to_train_days_p90"].get<double>());
  const auto search = with(with(with({"search"}, kPlan), {"--gpus", "64", "--top", "1"}), samples);
  expect_json(json_of(search)["plans"][0], "search json");
  const auto size = with(with(with({"size"}, kPlan), {"--gpus", "64"}), samples);
  expect_json(json_of(size), "size json");
  expect_csv(csv_row(size), "size csv");
  const auto sweep = with(with(with({"sweep"}, kPlan), {"--gpus", "64"}), samples);
  expect_json(json_of(sweep)["points"][0], "sweep json");
  expect_csv(csv_row(sweep), "sweep csv");
  const auto compare = with(with(with({"compare"}, kPlan), {"--gpus", "64", "--variant", "fabric.nic_gbit_s=200"}), samples);
  const nlohmann::json compared = json_of(compare)["variants"][0];
  expect_json(compared, "compare json");
  expect_csv(csv_row(compare), "compare csv");
  // Every knob is fixed, so nothing is re-searched: the answers' ranges are the plan's, and say so.
  const nlohmann::json searched = json_of(search);
  expect_json(searched["answer_uncertainty"], "search json answer_uncertainty");
  EXPECT_NE(searched["answer_uncertainty"]["uncertainty"]["sampling"].get<std::string>().find("layout fixed by flags"), std::string::npos);
  EXPECT_EQ(json_of(size)["ranges_sampling"]["layout"], "fixed by flags");
  EXPECT_EQ(json_of(sweep)["points"][0]["ranges_sampling"]["layout"], "fixed by flags");
  EXPECT_EQ(compared["ranges_sampling"]["layout"], "fixed by flags");
  const CliRun compare_table = run(compare);
  EXPECT_NE(compare_table.out.find("p10-p50-p90: layout fixed by flags"), std::string::npos) << compare_table.out;
  const CliRun sweep_table = run(sweep);
  EXPECT_NE(sweep_table.out.find("p10-p50-p90: layout fixed by flags"), std::string::npos) << sweep_table.out;
}

// With knobs left to search, search's answer, size and sweep re-search the layout per sample over
// the same space at the same count: their ranges agree with each other, JSON and CSV. They are not
// compared with `plan` or with search's per-plan ranges (plans[i]): those keep one layout under every
// sample, the re-searched range takes each sample's best plan (never slower, see
// tests/core/researched_uncertainty_test.cpp). compare runs one given plan and never re-searches
// (its ranges_sampling says "kept").
TEST(KeyConsistency, TheReSearchedRangesAgreeInSearchSizeAndSweep) {
  const std::vector<std::string> base = {"--model", "llama3-8b", "--seq-len", "4096", "--tokens", "1T", "--global-batch", "128",
                                         "--pp", "1", "--cp", "1", "--vp", "1", "--uncertainty-samples", "32", "--gpus", "64"};
  const std::vector<std::string> keys = {"time_to_train_days_p10", "time_to_train_days_p50", "time_to_train_days_p90",
                                         "time_to_train_days_failure_free_p10", "time_to_train_days_failure_free_p50",
                                         "time_to_train_days_failure_free_p90", "cost_usd_p10", "cost_usd_p50", "cost_usd_p90"};
  const nlohmann::json search = json_of(with(with({"search"}, base), {"--top", "1"}));
  const nlohmann::json reference = search["answer_uncertainty"];
  ASSERT_TRUE(reference.contains("time_to_train_days_p50"));
  const nlohmann::json& failure_free = reference["uncertainty"];
  const auto value = [&](const std::string& key) {
    return key.find("failure_free") != std::string::npos ? failure_free[key].get<double>() : reference[key].get<double>();
  };
  ASSERT_LT(value("time_to_train_days_p10"), value("time_to_train_days_p90"));
  const auto expect_json = [&](const nlohmann::json& j, const std::string& where) {
    for (const std::string& key : keys) {
      ASSERT_TRUE(j.contains(key) && j[key].is_number()) << where << ": " << key;
      EXPECT_NEAR(j[key].get<double>(), value(key), 1e-9 * value(key)) << where << ": " << key;
    }
    EXPECT_EQ(j["ranges_sampling"]["layout"], "re-searched") << where;
  };
  const auto expect_csv = [&](const std::map<std::string, std::string>& row, const std::string& where) {
    for (const std::string& key : keys) {
      ASSERT_TRUE(row.count(key)) << where << ": " << key;
      EXPECT_NEAR(std::stod(row.at(key)), value(key), 1e-9 * value(key)) << where << ": " << key;
    }
  };
  const std::vector<std::string> size = with({"size"}, base);
  expect_json(json_of(size), "size json");
  expect_csv(csv_row(size), "size csv");
  const std::vector<std::string> sweep = with({"sweep"}, base);
  expect_json(json_of(sweep)["points"][0], "sweep json");
  expect_csv(csv_row(sweep), "sweep csv");
  // compare keeps its one plan (search's rank 1 here): its ranges are that plan's layout kept.
  const nlohmann::json best = search["plans"][0];
  const nlohmann::json compare = json_of(with(with({"compare"}, base), {"--tp", std::to_string(best["settings"]["tp"].get<int>()), "--variant",
                                                                         "fabric.nic_gbit_s=400"}))["variants"][0];
  EXPECT_EQ(compare["ranges_sampling"]["layout"], "kept");
  const CliRun size_table = run(size);
  EXPECT_NE(size_table.out.find("ranges sampled          per sample the whole space re-searched"), std::string::npos) << size_table.out;
}

}  // namespace trainplan
