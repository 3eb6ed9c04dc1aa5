// The output frictions of the CLI: topo as CSV, token-batch suffixes, plan without --tokens, the
// default sequence length, progress off a terminal.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"

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


}  // namespace trainplan
