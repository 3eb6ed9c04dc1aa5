// Fixed knobs that the search must honour or explain: sequence parallelism at tp 1 (nothing to
// split: off, with a note) and size's count before it searches (it must hold every fixed group).
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::vector<std::string> kLlama = {"--model", "llama3-8b", "--seq-len", "4096", "--tokens", "1T", "--pp", "1", "--cp", "1",
                                         "--vp", "1", "--micro-batch", "1", "--zero", "1", "--recompute", "full", "--global-batch", "128",
                                         "--uncertainty-samples", "0"};
}  // namespace

TEST(FixedKnobsCli, SequenceParallelAtTp1IsOffWithANote) {
  const CliRun r = run(with(with({"search"}, kLlama), {"--gpus", "8", "--tp", "1", "--sequence-parallel", "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_FALSE(j["plans"].empty()) << r.out;
  EXPECT_EQ(j["plans"][0]["settings"]["sequence_parallel"], false);
  EXPECT_NE(r.err.find("--tp 1 with --sequence-parallel"), std::string::npos) << r.err;
  // The same plan as without the flag.
  const CliRun plain = run(with(with({"search"}, kLlama), {"--gpus", "8", "--tp", "1", "--format", "json"}));
  ASSERT_EQ(plain.status, 0) << plain.err;
  EXPECT_EQ(nlohmann::json::parse(plain.out)["plans"][0]["step_time_s"], j["plans"][0]["step_time_s"]);
  // --tp-max 1 is the same.
  const CliRun capped = run(with(with({"search"}, kLlama), {"--gpus", "8", "--tp-max", "1", "--sequence-parallel", "--format", "json"}));
  ASSERT_EQ(capped.status, 0) << capped.err;
  EXPECT_FALSE(nlohmann::json::parse(capped.out)["plans"].empty());
}

TEST(FixedKnobsCli, SizeHoldsTheFixedGroupsBeforeItSearches) {
  // --pp 16 and --tp 2 on 8-GPU nodes: a 32-GPU group, more than one node.
  const CliRun r = run(with(with({"size"}, {"--model", "llama3-70b", "--seq-len", "4096", "--tokens", "1T", "--pp", "16", "--tp", "2",
                                            "--global-batch", "512", "--deadline-days", "3650", "--uncertainty-samples", "0"}),
                            {"--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_TRUE(j["found"].get<bool>());
  EXPECT_EQ(j["gpus"].get<int>() % 32, 0) << j["gpus"];
}

// plan keeps the setting as given (its JSON and CSV round-trip it) but costs nothing for it at tp 1:
// the table's sp column says what is costed.
TEST(FixedKnobsCli, PlanTableShowsSequenceParallelOffAtTp1) {
  const auto sp_cell = [](const std::string& out) {
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream header(line);
      std::vector<std::string> names;
      for (std::string w; header >> w;) names.push_back(w);
      const auto sp = std::find(names.begin(), names.end(), "sp");
      if (names.empty() || names[0] != "tp" || sp == names.end() || !std::getline(lines, line)) continue;
      std::istringstream row(line);
      std::vector<std::string> cells;
      for (std::string w; row >> w;) cells.push_back(w);
      const auto at = static_cast<std::size_t>(sp - names.begin());
      return at < cells.size() ? cells[at] : std::string("(no cell)");
    }
    return std::string("(no layout row)");
  };
  const std::vector<std::string> plan = with({"plan", "--gpus", "8"}, kLlama);
  const CliRun tp1 = run(with(plan, {"--tp", "1", "--sequence-parallel"}));
  ASSERT_EQ(tp1.status, 0) << tp1.err;
  EXPECT_EQ(sp_cell(tp1.out), "no") << tp1.out;
  const CliRun tp2 = run(with(plan, {"--tp", "2", "--sequence-parallel"}));
  ASSERT_EQ(tp2.status, 0) << tp2.err;
  EXPECT_EQ(sp_cell(tp2.out), "yes") << tp2.out;
  // What is costed: the same step as without the flag.
  const CliRun on = run(with(plan, {"--tp", "1", "--sequence-parallel", "--format", "json"}));
  const CliRun off = run(with(plan, {"--tp", "1", "--format", "json"}));
  ASSERT_EQ(on.status, 0) << on.err;
  ASSERT_EQ(off.status, 0) << off.err;
  EXPECT_EQ(nlohmann::json::parse(on.out)["step_time_s"], nlohmann::json::parse(off.out)["step_time_s"]);
}

}  // namespace trainplan
