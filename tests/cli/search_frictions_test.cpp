// The search, size and sweep outputs as a capacity planner reads them: the columns of the plan
// table, the reason when no layout exists, the uneven-pipeline hint, flag names in errors and the
// help's searched/fixed knobs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "planner/io/number_text.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

// The whitespace-separated words of a line.
std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// The lines of a text.
std::vector<std::string> lines_of(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}
}  // namespace

// A MoE plan's expert all-to-all is its own column, not folded into "other".
TEST(SearchTable, ShowsTheExpertAllToAllAsItsOwnColumn) {
  const std::vector<std::string> args = {"search", "--model", "mixtral-8x7b", "--gpus", "64", "--global-batch", "256", "--ep", "8",
                                         "--tp", "1", "--pp", "1", "--cp", "1", "--top", "1", "--seq-len", "4096"};
  const CliRun table = run(args);
  ASSERT_EQ(table.status, 0) << table.err;
  const CliRun json = run(with(args, {"--format", "json"}));
  ASSERT_EQ(json.status, 0) << json.err;
  const nlohmann::json breakdown = nlohmann::json::parse(json.out)["plans"][0]["breakdown"];
  const double ep_comm = breakdown["ep_comm_s"].get<double>();
  ASSERT_GT(ep_comm, 0.001) << "ep 8 moves tokens between GPUs";

  // The header row holds "ep comm" (two words): find the rank-1 row and read its cells by index.
  const std::vector<std::string> all = lines_of(table.out);
  std::size_t header = all.size();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (all[i].rfind("rank", 0) == 0) header = i;
  ASSERT_LT(header + 1, all.size()) << table.out;
  EXPECT_NE(all[header].find("ep comm"), std::string::npos) << all[header];
  // Join two-word labels so the header and the row have the same cell count.
  std::string joined = all[header];
  for (const char* label : {"step s", "tp comm", "ep comm", "pp comm", "dp comm", "cost $M"}) {
    const std::string from = label, to = std::string(label).replace(std::string(label).find(' '), 1, "_");
    const auto at = joined.find(from);
    if (at != std::string::npos) joined.replace(at, from.size(), to);
  }
  const std::vector<std::string> labels = words(joined), cells = words(all[header + 1]);
  ASSERT_EQ(labels.size(), cells.size()) << joined << "\n" << all[header + 1];
  std::size_t ep_column = labels.size(), other_column = labels.size();
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] == "ep_comm") ep_column = i;
    if (labels[i] == "other") other_column = i;
  }
  ASSERT_LT(ep_column, labels.size());
  ASSERT_LT(other_column, labels.size());
  EXPECT_EQ(cells[ep_column], fixed_decimals(ep_comm, 3));
  const double other = breakdown["cp_comm_s"].get<double>() + breakdown["optimizer_s"].get<double>() +
                       breakdown["straggler_s"].get<double>();
  EXPECT_EQ(cells[other_column], fixed_decimals(other, 3)) << "other no longer holds the expert all-to-all";
}

}  // namespace trainplan
