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
  EXPECT_NE(r.err.find("global_batch_tokens"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("half a sequence"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(TokenBatchCli, MaxGlobalBatchTokens50MAt8kSearchesTheBatchOf6144Sequences) {
  PlanFlags flags;
  flags.model = "llama3-8b";
  flags.plan_values = {{"gpus", "64"}, {"seq_len", "8192"}};
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

}  // namespace trainplan
