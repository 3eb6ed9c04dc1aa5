#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

// A fresh directory per test for the pages written.
struct TempDir {
  std::filesystem::path path;
  explicit TempDir(const std::string& name) {
    path = std::filesystem::temp_directory_path() / ("trainplan-report-test-" + name + "-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const std::vector<std::string> small_job = {"--model", "llama3-8b", "--gpus", "256", "--global-batch", "512", "--seq-len", "8192",
                                            "--tokens", "1T"};
}  // namespace

TEST(ReportCli, WritesThePageWithTheCurveAroundTheCount) {
  const TempDir dir("report");
  const std::string page_path = dir.file("r.html");
  const CliRun r = run(with(with({"report"}, small_job), {"--deadline-days", "8", "--top", "3", "-o", page_path}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NE(r.out.find("trainplan report: wrote " + page_path), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("days with failures (p10-p90 "), std::string::npos) << r.out;
  const std::string page = read(page_path);
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  // Default curve: gpus/4, gpus/2, gpus, 2 x gpus.
  for (const char* count : {">64</td>", ">128</td>", ">256</td>", ">512</td>"}) EXPECT_NE(page.find(count), std::string::npos) << count;
  EXPECT_NE(page.find(">deadline 8 days</text>"), std::string::npos);
  EXPECT_NE(page.find("simulated runs (seed 1) that the report ran"), std::string::npos);
  EXPECT_NE(page.find("The best 3 of "), std::string::npos);
  EXPECT_NE(page.find("</b> published timing rows the model's mean |error| is <b>"), std::string::npos);  // validation ran
  EXPECT_NE(page.find("trainplan report --model llama3-8b --gpus 256"), std::string::npos);
}

TEST(ReportCli, CurveCountsAndNoCurve) {
  const TempDir dir("counts");
  const std::string page_path = dir.file("r.html");
  ASSERT_EQ(run(with(with({"report"}, small_job), {"--sweep-gpus", "none", "-o", page_path})).status, 0);
  EXPECT_NE(read(page_path).find("No sweep in this report"), std::string::npos);
  const CliRun bad = run(with(with({"report"}, small_job), {"--sweep-gpus", "12x", "-o", page_path}));
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("--sweep-gpus"), std::string::npos) << bad.err;
}

// The page's notes of the estimate carry how its best plan was costed, as `plan` says it (here the
// ZeRO-2 note: 1,024 / (8 x 4) = 32 replicas of one sequence, 32 micro-batches); ZeRO-1 has none.
TEST(ReportCli, NotesHowItsBestPlanWasCostedAsPlanDoes) {
  const TempDir dir("notes");
  const std::string page_path = dir.file("r.html");
  const std::vector<std::string> job = {"report", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--cp", "1",
                                        "--micro-batch", "1", "--global-batch", "1024", "--seq-len", "8192", "--tokens", "1T",
                                        "--sweep-gpus", "none", "--top", "1", "-o", page_path};
  const CliRun zero2 = run(with(job, {"--zero", "2"}));
  ASSERT_EQ(zero2.status, 0) << zero2.err;
  const std::string page = read(page_path);
  EXPECT_NE(page.find("<h3>Notes of the estimate</h3>"), std::string::npos);
  EXPECT_NE(page.find("<li>ZeRO-2 keeps only a shard of the gradients, so each of the 32 micro-batches"), std::string::npos);
  const CliRun zero1 = run(with(job, {"--zero", "1"}));
  ASSERT_EQ(zero1.status, 0) << zero1.err;
  EXPECT_EQ(read(page_path).find("ZeRO-2 keeps"), std::string::npos);
}

TEST(ReportCli, NeedsTokensAndAWritableFile) {
  const CliRun no_tokens = run({"report", "--model", "llama3-8b", "--gpus", "256", "--global-batch", "512"});
  EXPECT_EQ(no_tokens.status, 2);
  EXPECT_NE(no_tokens.err.find("--tokens"), std::string::npos) << no_tokens.err;
  const CliRun unwritable = run(with(with({"report"}, small_job), {"-o", "/nonexistent-dir/r.html"}));
  EXPECT_EQ(unwritable.status, 2);
  EXPECT_NE(unwritable.err.find("--output /nonexistent-dir/r.html"), std::string::npos) << unwritable.err;
  const CliRun help = run({"report", "--help"});
  EXPECT_EQ(help.status, 0);
  for (const char* flag : {"--output", "--deadline-days", "--sweep-gpus", "--top", "--runs"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  EXPECT_NE(run({"--help"}).out.find("report"), std::string::npos);
}

TEST(ReportCli, EveryPlanningCommandTakesReportWithoutChangingItsOutput) {
  const TempDir dir("flag");
  const std::vector<std::string> plan_flags = {"--model", "llama3-8b", "--gpus", "256", "--tp", "2", "--global-batch", "512",
                                               "--seq-len", "8192", "--tokens", "1T"};
  const std::vector<std::vector<std::string>> commands = {
      with({"plan"}, plan_flags),
      with({"search"}, with(small_job, {"--top", "2"})),
      {"size", "--model", "llama3-8b", "--tokens", "1T", "--global-batch", "512", "--seq-len", "8192", "--deadline-days", "10",
       "--max-gpus", "1024"},
      {"sweep", "--model", "llama3-8b", "--gpus", "128:512", "--global-batch", "512", "--seq-len", "8192", "--tokens", "1T"},
      with({"compare"}, with(plan_flags, {"--topologies", "dgx-h100-superpod-ndr", "meta-roce-24k"}))};
  for (const auto& command : commands) {
    const CliRun plain = run(command);
    const std::string page_path = dir.file(command.front() + ".html");
    const CliRun with_report = run(with(command, {"--report", page_path}));
    EXPECT_EQ(with_report.status, plain.status) << command.front() << ": " << with_report.err;
    if (command.front() != "search" && command.front() != "sweep") {  // their tables print the search's wall time
      EXPECT_EQ(with_report.out, plain.out) << command.front();
    }
    const std::string page = read(page_path);
    EXPECT_NE(page.find("Written by <code>trainplan " + command.front() + "</code>"), std::string::npos) << command.front();
    EXPECT_NE(page.find("id=\"validation\""), std::string::npos) << command.front();
    EXPECT_NE(page.find("p10–p90"), std::string::npos) << command.front();
  }
  const CliRun unwritable = run(with(with({"plan"}, plan_flags), {"--report", "/nonexistent-dir/p.html"}));
  EXPECT_EQ(unwritable.status, 2);
  EXPECT_NE(unwritable.err.find("--report /nonexistent-dir/p.html"), std::string::npos) << unwritable.err;
  const CliRun empty = run(with(with({"plan"}, plan_flags), {"--report", ""}));  // never silently no page
  EXPECT_EQ(empty.status, 2);
  EXPECT_NE(empty.err.find("--report: expects a file name"), std::string::npos) << empty.err;
}

// Without --tokens the page gives what does not depend on them (step time, MFU, cost per hour, MTBF,
// checkpoint) and says what --tokens would add, never a block of zero days and zero dollars.
TEST(ReportCli, WithoutTokensThePageShowsNoZeroDaysOrDollars) {
  const TempDir dir("no-tokens");
  const std::string page_path = dir.file("p.html");
  const CliRun r = run({"plan", "--model", "llama3-8b", "--gpus", "256", "--tp", "2", "--global-batch", "512", "--seq-len", "8192",
                        "--report", page_path});
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string page = read(page_path);
  EXPECT_NE(page.find("s per step</b>"), std::string::npos);
  EXPECT_NE(page.find("per hour</b>"), std::string::npos);
  EXPECT_NE(page.find("Give --tokens for the time to train"), std::string::npos);
  EXPECT_NE(page.find("job MTBF"), std::string::npos);
  for (const char* zero : {"0.0 days", "$0.00"}) EXPECT_EQ(page.find(zero), std::string::npos) << zero;
}

}  // namespace trainplan
