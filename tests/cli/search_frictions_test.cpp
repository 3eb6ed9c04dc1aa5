// The search, size and sweep outputs as a capacity planner reads them: the columns of the plan
// table, the reason when no layout exists, the uneven-pipeline hint, flag names in errors and the
// help's searched/fixed knobs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "planner/io/layout_shortfall_text.hpp"
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

// Runs of whitespace as one space (Boost wraps the help's lines).
std::string squeezed(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    if (space && !out.empty() && out.back() == ' ') continue;
    out += space ? ' ' : c;
  }
  return out;
}

// Llama 3 8B (32 layers, tp from 1-8, cp powers of 2) and a batch of 2^8 sequences: dp must be a
// power of 2, so 200 = 2^3 x 5^2 GPUs has no layout; 128 and 256 are the nearest that do.
const std::vector<std::string> no_layout_job = {"--model", "llama3-8b", "--seq-len", "2048", "--global-batch", "256",
                                                "--tokens", "1T", "--threads", "2"};
}  // namespace

TEST(PrimeFactorsText, WritesPowersAscending) {
  EXPECT_EQ(prime_factors_text(25000), "2^3 x 5^5");
  EXPECT_EQ(prime_factors_text(32768), "2^15");
  EXPECT_EQ(prime_factors_text(24576), "2^13 x 3");
  EXPECT_EQ(prime_factors_text(25013), "25013");
  EXPECT_EQ(prime_factors_text(1), "1");
}

TEST(NoLayout, SearchSaysNoLayoutDividesTheCountAndNamesTheNearestCounts) {
  const CliRun r = run(with({"search", "--gpus", "200"}, no_layout_job));
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("no layout for 200 GPUs (2^3 x 5^2)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("none divides the global batch of 256 sequences (2^8)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nearest GPU counts with a plan that fits: 128 below, 256 above (multiples of 8)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("fits in memory\n  no plan"), std::string::npos) << "not blamed on memory: " << r.out;

  const CliRun json = run(with({"search", "--gpus", "200", "--format", "json"}, no_layout_job));
  EXPECT_EQ(json.status, 1) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  EXPECT_NE(j["problem"].get<std::string>().find("no layout for 200 GPUs"), std::string::npos);
  EXPECT_EQ(j["nearest_gpus"]["below"], 128);
  EXPECT_EQ(j["nearest_gpus"]["above"], 256);
}

TEST(NoLayout, AMemoryFailureIsStillCalledOne) {
  // 405B on 8 GPUs: layouts exist, none fits in 80 GiB.
  const CliRun r = run({"search", "--model", "llama3-405b", "--gpus", "8", "--global-batch", "8", "--seq-len", "2048", "--threads", "2"});
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_NE(r.out.find("no plan of the space fits in memory"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("no layout"), std::string::npos) << r.out;
}

TEST(NoLayout, SizeAndSweepUseTheSameWords) {
  const CliRun size = run(with({"size", "--gpus", "200"}, no_layout_job));
  EXPECT_EQ(size.status, 1) << size.err;
  EXPECT_NE(size.out.find("no layout for 200 GPUs (2^3 x 5^2)"), std::string::npos) << size.out;
  EXPECT_NE(size.out.find("128 below, 256 above"), std::string::npos) << size.out;

  const CliRun sweep = run(with({"sweep", "--gpus", "128,200"}, no_layout_job));
  EXPECT_EQ(sweep.status, 0) << sweep.err;
  EXPECT_NE(sweep.out.find("no layout for 200 GPUs (2^3 x 5^2)"), std::string::npos) << sweep.out;
  const CliRun sweep_json = run(with({"sweep", "--gpus", "128,200", "--format", "json"}, no_layout_job));
  const nlohmann::json points = nlohmann::json::parse(sweep_json.out)["points"];
  ASSERT_EQ(points.size(), 2u);
  EXPECT_EQ(points[1]["problem"], "no layout");
  EXPECT_NE(points[1]["reason"].get<std::string>().find("none divides the global batch"), std::string::npos);
  EXPECT_EQ(points[1]["nearest_gpus"]["below"], 128);
  EXPECT_FALSE(points[0].contains("reason"));
}

// plan with a layout the count does not admit: the nearest counts where that plan is possible.
TEST(NoLayout, PlanNamesTheNearestCountsWhereItsLayoutIsValid) {
  const CliRun r = run({"plan", "--model", "llama3-8b", "--gpus", "100", "--tp", "8", "--pp", "2", "--global-batch", "64",
                        "--seq-len", "2048"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("gpus (100) is not a multiple of tp*pp*cp (16); nearest GPU counts where this plan is valid and fits: 64 below, "
                       "128 above (multiples of 8)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one line";
}

// Errors name what was typed: the flag, or the --set text; never the internal plan.KEY for a flag.
TEST(TypedErrors, AFlagsErrorNamesTheFlag) {
  const std::vector<std::string> plan = {"plan", "--model", "llama3-8b", "--gpus", "8", "--seq-len", "2048"};
  const CliRun both = run(with(plan, {"--global-batch", "8", "--global-batch-tokens", "16384"}));
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.err.find("command line: --global-batch-tokens: give either --global-batch (sequences) or --global-batch-tokens, not both"),
            std::string::npos)
      << both.err;
  EXPECT_EQ(both.err.find("plan.global_batch"), std::string::npos) << both.err;

  const CliRun pp = run(with(plan, {"--global-batch", "8", "--pp", "1000"}));
  EXPECT_EQ(pp.status, 2);
  EXPECT_NE(pp.err.find("command line: --pp: must not exceed --gpus (8), got 1000"), std::string::npos) << pp.err;

  const CliRun tokens = run(with(plan, {"--global-batch-tokens", "1000"}));
  EXPECT_EQ(tokens.status, 2);
  EXPECT_NE(tokens.err.find("command line: --global-batch-tokens: "), std::string::npos) << tokens.err;
}

TEST(TypedErrors, ASetErrorNamesTheSetText) {
  const CliRun r = run({"plan", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8", "--set", "plan.pp=1000"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--set plan.pp=1000: plan.pp: must not exceed --gpus (8), got 1000"), std::string::npos) << r.err;
  // --set is applied after the flags: its value is the one refused, so it is the one named.
  const CliRun both = run({"plan", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8", "--pp", "2", "--set", "plan.pp=1000"});
  EXPECT_NE(both.err.find("--set plan.pp=1000: plan.pp:"), std::string::npos) << both.err;
}

// search/size/sweep --help: the knobs searched (and how) apart from those that stay fixed.
TEST(SearchHelp, SaysWhichKnobsAreSearchedAndWhichFixed) {
  for (const char* command : {"search", "size", "sweep"}) {
    const CliRun r = run({command, "--help"});
    ASSERT_EQ(r.status, 0) << command;
    const std::string help = squeezed(r.out);
    const auto searched = help.find("Searched knobs"), fixed = help.find("Fixed knobs (not searched");
    ASSERT_NE(searched, std::string::npos) << command << help;
    ASSERT_NE(fixed, std::string::npos) << command << help;
    EXPECT_LT(searched, fixed);
    const auto at = [&](const char* flag) { return help.find(std::string(flag) + " arg"); };
    for (const char* flag : {"--tp", "--pp", "--cp", "--ep", "--vp", "--micro-batch", "--zero", "--recompute", "--precision"}) {
      EXPECT_GT(at(flag), searched) << command << " " << flag;
      EXPECT_LT(at(flag), fixed) << command << " " << flag;
    }
    EXPECT_NE(help.find("--tp arg tensor-parallel size (searched: divisors of the scale-up domain"), std::string::npos) << help;
    EXPECT_EQ(help.find("tensor-parallel size (default: 1)"), std::string::npos) << "a searched knob shows no default";
    EXPECT_GT(at("--seq-len"), fixed) << command;
    EXPECT_NE(help.find("--seq-len arg sequence length in tokens (default:"), std::string::npos) << help;
  }
}

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
                       breakdown["straggler_s"].get<double>() + breakdown["link_sharing_s"].get<double>();
  EXPECT_EQ(cells[other_column], fixed_decimals(other, 3)) << "other no longer holds the expert all-to-all";
}

}  // namespace trainplan

namespace trainplan {

// A 140-layer dense model (2^2 x 5 x 7 layers) on 8192 GPUs: even pipelines stop at pp 4; with more,
// uneven stages are faster, and the search says so with the figure --uneven-pipeline gives.
TEST(UnevenPipelineHint, NamesTheFasterUnevenPlanWithItsFigure) {
  const std::vector<std::string> args = {"search", "--model", "llama3-405b", "--set", "model.layers=140", "--gpus", "8192",
                                         "--global-batch", "1024", "--vp-max", "1", "--seq-len", "8192", "--tokens", "15T",
                                         "--threads", "2", "--top", "1"};
  const CliRun table = run(args);
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("hint: --uneven-pipeline finds pp 16"), std::string::npos) << table.out;

  const CliRun json = run(with(args, {"--format", "json"}));
  ASSERT_EQ(json.status, 0) << json.err;
  const nlohmann::json j = nlohmann::json::parse(json.out);
  ASSERT_TRUE(j.contains("uneven_pipeline_hint")) << json.out;
  const nlohmann::json& hint = j["uneven_pipeline_hint"];
  EXPECT_LE(j["plans"][0]["settings"]["pp"].get<int>(), 4);
  EXPECT_LT(hint["step_time_s"].get<double>(), j["plans"][0]["step_time_s"].get<double>());

  // The figure is what --uneven-pipeline gives, and then there is no hint.
  const CliRun uneven = run(with(args, {"--format", "json", "--uneven-pipeline"}));
  ASSERT_EQ(uneven.status, 0) << uneven.err;
  const nlohmann::json u = nlohmann::json::parse(uneven.out);
  EXPECT_FALSE(u.contains("uneven_pipeline_hint"));
  EXPECT_EQ(u["plans"][0]["settings"]["pp"], hint["pp"]);
  EXPECT_DOUBLE_EQ(u["plans"][0]["step_time_s"].get<double>(), hint["step_time_s"].get<double>());

  // The decision report carries the same hint under its answer.
  const std::string page = ::testing::TempDir() + "uneven_hint_report.html";
  const CliRun report = run(with(args, {"--report", page}));
  ASSERT_EQ(report.status, 0) << report.err;
  std::ifstream file(page);
  const std::string html((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_NE(html.find("--uneven-pipeline finds pp 16"), std::string::npos);
  std::remove(page.c_str());

  // A fixed pp asks no question.
  const CliRun fixed = run(with(args, {"--format", "json", "--pp", "4"}));
  ASSERT_EQ(fixed.status, 0) << fixed.err;
  EXPECT_FALSE(nlohmann::json::parse(fixed.out).contains("uneven_pipeline_hint"));
}

}  // namespace trainplan
