// The output frictions of the CLI: topo as CSV, token-batch suffixes, plan without --tokens, the
// default sequence length, progress off a terminal.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "planner/cli/cli_notes.hpp"
#include "planner/cli/search_options.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;

// The CSV's rows split into cells (no quoted commas in these outputs but the topology name's).
std::vector<std::vector<std::string>> csv_lines(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) { cells.push_back(cell); cell.clear(); }
      else cell += c;
    }
    cells.push_back(cell);
    rows.push_back(cells);
  }
  return rows;
}
}  // namespace

TEST(TopoCsv, OneRowPerTierWithTheJsonKeysAsHeaders) {
  const CliRun json = run({"topo", "--topology", "dgx-h100-superpod-ndr", "--gpus", "16384", "--format", "json"});
  const CliRun csv = run({"topo", "--topology", "dgx-h100-superpod-ndr", "--gpus", "16384", "--format", "csv"});
  ASSERT_EQ(csv.status, 0) << csv.err;
  const auto j = nlohmann::json::parse(json.out);
  const auto rows = csv_lines(csv.out);
  ASSERT_EQ(rows.size(), 1 + j["tiers"].size());
  const std::vector<std::string>& header = rows[0];
  for (const auto& row : rows) ASSERT_EQ(row.size(), header.size()) << csv.out;
  const auto column = [&](const std::string& key) {
    const auto it = std::find(header.begin(), header.end(), key);
    EXPECT_NE(it, header.end()) << key;
    return static_cast<std::size_t>(it - header.begin());
  };
  for (std::size_t t = 0; t < j["tiers"].size(); ++t) {
    const auto& row = rows[t + 1];
    EXPECT_EQ(row[column("tiers.name")], j["tiers"][t]["name"].get<std::string>());
    EXPECT_EQ(row[column("tiers.switches")], j["tiers"][t]["switches"].dump());
    EXPECT_EQ(row[column("gpus")], "16384");
    EXPECT_EQ(row[column("total_switches")], j["total_switches"].dump());
  }
}


// ---- token batches (docs/formats.md, "Token batches") ----

namespace {
const std::vector<std::string> kPlan8b = {"plan", "--model", "llama3-8b", "--gpus", "8", "--tp", "8", "--seq-len", "8192",
                                          "--tokens", "1T", "--format", "json"};
}  // namespace

TEST(TokenBatchCli, SixteenMIsLlama3sBatchOf2048SequencesWithANote) {
  const CliRun r = run(testing::with(kPlan8b, {"--global-batch-tokens", "16M"}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["settings"]["global_batch"], 2048);
  EXPECT_NE(r.err.find("trainplan plan: note: --global-batch-tokens 16M = 16,777,216 tokens"), std::string::npos) << r.err;
}

TEST(TokenBatchCli, ABatchThatIsNotWholeSequencesIsRoundedWithANoteAndAWholeOneHasNone) {
  const CliRun rounded = run(testing::with(kPlan8b, {"--global-batch-tokens", "16e6"}));
  ASSERT_EQ(rounded.status, 0) << rounded.err;
  EXPECT_EQ(nlohmann::json::parse(rounded.out)["settings"]["global_batch"], 1953);
  EXPECT_NE(rounded.err.find("rounded to the nearest whole batch, 1953 sequences"), std::string::npos) << rounded.err;
  const CliRun whole = run(testing::with(kPlan8b, {"--global-batch-tokens", "16777216"}));
  ASSERT_EQ(whole.status, 0) << whole.err;
  EXPECT_EQ(nlohmann::json::parse(whole.out)["settings"]["global_batch"], 2048);
  EXPECT_EQ(whole.err, "");
  const CliRun set = run(testing::with(kPlan8b, {"--set", "plan.global_batch_tokens=8M"}));
  ASSERT_EQ(set.status, 0) << set.err;
  EXPECT_EQ(nlohmann::json::parse(set.out)["settings"]["global_batch"], 1024);
  EXPECT_NE(set.err.find("note: plan.global_batch_tokens 8M"), std::string::npos) << set.err;
}

TEST(TokenBatchCli, LessThanHalfASequenceIsOneErrorLineNamingTheField) {
  const CliRun r = run(testing::with(kPlan8b, {"--global-batch-tokens", "4000"}));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--global-batch-tokens"), std::string::npos) << r.err;  // the flag typed
  EXPECT_NE(r.err.find("half a sequence of --seq-len 8192 tokens"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(TokenBatchCli, MaxGlobalBatchTokens50MAt8kSearchesTheBatchOf6144Sequences) {
  PlanFlags flags;
  flags.model = "llama3-8b";
  flags.plan_values = {{"gpus", "64"}, {"seq_len", "8192"}, {"tokens", "1T"}};
  SearchFlags search;
  search.max_global_batch_tokens = "50M";  // 52,428,800 tokens: 6400 sequences, so 6144 x 8192 (50.33M) is in
  take_cli_notes();
  EXPECT_EQ(build_search_setup(flags, search, true).space.max_global_batch, 6400);
  const std::vector<std::string> notes = take_cli_notes();
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("6400 sequences of 8192 tokens (the largest batch searched)"), std::string::npos) << notes[0];
  search.max_global_batch_tokens = "50000000";  // as written: 6103.5 sequences, the nearest whole 6104
  EXPECT_EQ(build_search_setup(flags, search, true).space.max_global_batch, 6104);
  EXPECT_NE(take_cli_notes().at(0).find("rounded to the nearest whole batch, 6104 sequences"), std::string::npos);
}

// ---- plan without --tokens (docs/formats.md, "Without --tokens") ----

namespace {
const std::vector<std::string> kNoTokens = {"plan", "--model", "llama3-8b", "--gpus", "64", "--tp", "8", "--seq-len", "8192",
                                            "--global-batch", "64"};
}  // namespace

TEST(PlanWithoutTokens, TheTableShowsWhatDoesNotDependOnTokensAndNoZeroBlock) {
  const CliRun r = run(kNoTokens);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("give --tokens for time-to-train and cost"), std::string::npos) << r.out;
  for (const char* zero : {"0.0 days", "job MTBF 0.00 h", "$0.00", "goodput 0.0%"})
    EXPECT_EQ(r.out.find(zero), std::string::npos) << zero << "\n" << r.out;
  for (const char* shown : {"step time", "job MTBF", "checkpoint", "cost per hour (buy)", "per day $", "MW at the meter"})
    EXPECT_NE(r.out.find(shown), std::string::npos) << shown << "\n" << r.out;
  const CliRun timed = run(testing::with(kNoTokens, {"--tokens", "1T"}));
  ASSERT_EQ(timed.status, 0) << timed.err;
  EXPECT_EQ(timed.out.find("give --tokens"), std::string::npos);
  EXPECT_NE(timed.out.find(" days (goodput "), std::string::npos) << timed.out;
}

TEST(PlanWithoutTokens, JsonHasNullsForTokenDependentKeysAndTheRatesStay) {
  const CliRun r = run(testing::with(kNoTokens, {"--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"time_to_train_days", "time_to_train_days_failure_free", "goodput", "cost_usd", "cost_usd_low",
                          "cost_usd_high", "energy_mwh", "gpu_hours", "buy_usd", "rent_usd"})
    EXPECT_TRUE(j.at(key).is_null()) << key;
  EXPECT_TRUE(j["reliability"]["expected_unexpected_interruptions"].is_null());
  EXPECT_FALSE(j.contains("monte_carlo"));
  EXPECT_GT(j["reliability"]["job_mtbf_hours"].get<double>(), 0);
  EXPECT_GT(j["reliability"]["checkpoint_bytes"].get<double>(), 0);
  EXPECT_GT(j["step_time_s"].get<double>(), 0);
  EXPECT_GT(j["power_mw"].get<double>(), 0);
  const double per_hour = j["cost_usd_per_hour"].get<double>();
  EXPECT_GT(per_hour, 0);
  EXPECT_LE(j["cost_usd_per_hour_low"].get<double>(), per_hour);
  EXPECT_GE(j["cost_usd_per_hour_high"].get<double>(), per_hour);

  // Rent: every GPU held x the hourly rate.
  const CliRun rent = run(testing::with(kNoTokens, {"--format", "json", "--cost-basis", "rent", "--rent-price", "2"}));
  ASSERT_EQ(rent.status, 0) << rent.err;
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(rent.out)["cost_usd_per_hour"].get<double>(), 64 * 2.0);

  // With tokens, a day of the run costs what 24 hours of the cluster do (rent: no other term).
  const CliRun timed = run(testing::with(kNoTokens, {"--format", "json", "--cost-basis", "rent", "--rent-price", "2", "--tokens", "1T"}));
  ASSERT_EQ(timed.status, 0) << timed.err;
  const auto t = nlohmann::json::parse(timed.out);
  EXPECT_NEAR(t["cost_usd"].get<double>(), t["time_to_train_days"].get<double>() * 24 * 64 * 2.0, 1e-6 * t["cost_usd"].get<double>());
}

TEST(PlanWithoutTokens, CsvCellsOfTheUnknownFiguresAreEmpty) {
  const CliRun r = run(testing::with(kNoTokens, {"--format", "csv"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto rows = csv_lines(r.out);
  ASSERT_EQ(rows.size(), 2u);
  const auto& header = rows[0];
  for (const char* key : {"time_to_train_days", "goodput", "cost_usd"}) {
    const auto it = std::find(header.begin(), header.end(), key);
    ASSERT_NE(it, header.end()) << key;
    EXPECT_EQ(rows[1][static_cast<std::size_t>(it - header.begin())], "") << key;
  }
}

TEST(PlanWithoutTokens, SearchAndSweepTablesShowADashNotZeroDaysAndSayWhy) {
  const CliRun search = run({"search", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "256", "--seq-len", "8192",
                             "--threads", "2", "--top", "2", "--tp", "1", "--pp", "1"});
  ASSERT_EQ(search.status, 0) << search.err;
  EXPECT_EQ(search.out.find(" 0.0 "), std::string::npos) << search.out;
  EXPECT_NE(search.out.find(" - "), std::string::npos) << search.out;
  EXPECT_NE(search.err.find("note: no --tokens: days, GPU-days and cost are shown as '-'"), std::string::npos) << search.err;
  const CliRun timed = run({"search", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "256", "--seq-len", "8192",
                            "--threads", "2", "--top", "2", "--tp", "1", "--pp", "1", "--tokens", "1T"});
  ASSERT_EQ(timed.status, 0) << timed.err;
  EXPECT_EQ(timed.err.find("no --tokens"), std::string::npos) << timed.err;
}

// ---- the default sequence length (docs/formats.md, "Sequence length") ----

namespace {
const std::vector<std::string> kNoSeqLen = {"plan", "--model", "llama3-8b", "--gpus", "8", "--tp", "8", "--global-batch", "64",
                                            "--tokens", "1T", "--format", "json"};
long long seq_len_of(const CliRun& r) { return nlohmann::json::parse(r.out)["settings"]["seq_len"].get<long long>(); }
}  // namespace

TEST(DefaultSeqLen, IsTheModelsTrainingSequenceLengthWithANote) {
  const CliRun r = run(kNoSeqLen);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(seq_len_of(r), 8192);
  EXPECT_NE(r.err.find("trainplan plan: note: --seq-len not given: 8192-token sequences, the length llama3-8b was pre-trained with"),
            std::string::npos)
      << r.err;
}

TEST(DefaultSeqLen, WithoutOneInTheModelFileIs2048WithANoteAndAGivenOneHasNoNote) {
  const CliRun none = run(testing::with(kNoSeqLen, {"--set", "model.training_seq_len=0"}));
  ASSERT_EQ(none.status, 0) << none.err;
  EXPECT_EQ(seq_len_of(none), 2048);
  EXPECT_NE(none.err.find("--seq-len not given: 2048-token sequences, the default"), std::string::npos) << none.err;
  const CliRun set = run(testing::with(kNoSeqLen, {"--set", "model.training_seq_len=4096"}));
  ASSERT_EQ(set.status, 0) << set.err;
  EXPECT_EQ(seq_len_of(set), 4096);
  const CliRun given = run(testing::with(kNoSeqLen, {"--seq-len", "1024"}));
  ASSERT_EQ(given.status, 0) << given.err;
  EXPECT_EQ(seq_len_of(given), 1024);
  EXPECT_EQ(given.err, "");
  // An exit 2 keeps its one error line: no notes after it.
  const CliRun bad = run({"plan", "--model", "llama3-8b", "--gpus", "8", "--tp", "3", "--global-batch", "64"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_EQ(std::count(bad.err.begin(), bad.err.end(), '\n'), 1) << bad.err;
}

}  // namespace trainplan
