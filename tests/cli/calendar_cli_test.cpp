// plan --schedule and size --schedule: finish date, tokens by date, the closed cases end to end.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "fixed_llama_plan.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::vector<std::string>& llama = testing::kFixedLlama8b;

std::string write_schedule(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

std::size_t lines(const std::string& text) {
  std::size_t n = 0;
  for (char c : text) n += c == '\n';
  return n;
}
}  // namespace

TEST(CalendarCli, OnePhaseEqualsTodaysPlan) {
  const std::string path = write_schedule("calendar_one_phase.yaml", "name: one\nphases:\n  - {date: 2026-01-05, gpus: 64}\n");
  const CliRun planned = run(with(with({"plan"}, llama), {"--gpus", "64", "--format", "json"}));
  ASSERT_EQ(planned.status, 0) << planned.err;
  const double days = nlohmann::json::parse(planned.out)["time_to_train_days_failure_free"].get<double>();
  const CliRun r = run(with(with({"plan"}, llama), {"--schedule", path, "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_NEAR(j["finish_days"].get<double>(), days, 1e-9 * days);
  // The finish date is the start plus the whole days, and tokens_by_date ends there with every token.
  const int whole_days = static_cast<int>(days);
  ASSERT_TRUE(j["finish_date"].is_string());
  const auto& by_date = j["tokens_by_date"];
  ASSERT_EQ(by_date.size(), static_cast<std::size_t>(whole_days + 1));
  EXPECT_EQ(by_date[0]["date"], "2026-01-05");
  EXPECT_EQ(by_date.back()["date"], j["finish_date"]);
  EXPECT_NEAR(by_date.back()["tokens"].get<double>(), 1e12, 1.0);
  for (std::size_t i = 1; i < by_date.size(); ++i) EXPECT_GT(by_date[i]["tokens"].get<double>(), by_date[i - 1]["tokens"].get<double>());
  EXPECT_EQ(j["segments"][0]["plan"]["dp"], 64);
  // With failures the run ends later (goodput below 1), never sooner.
  EXPECT_GT(j["finish_days_with_failures"].get<double>(), j["finish_days"].get<double>());
  EXPECT_LT(j["segments"][0]["goodput"].get<double>(), 1.0);
  std::remove(path.c_str());
}

TEST(CalendarCli, TwoEqualPhasesAtHalfTheGpusGiveTheExpectedSum) {
  const std::string path =
      write_schedule("calendar_two_phases.yaml", "name: two\nphases:\n  - {date: 2026-01-05, gpus: 32}\n  - {date: 2026-01-25, gpus: 32}\n");
  const auto days_at = [](const char* gpus) {
    const CliRun r = run(with(with({"plan"}, llama), {"--gpus", gpus, "--format", "json"}));
    EXPECT_EQ(r.status, 0) << r.err;
    return nlohmann::json::parse(r.out)["time_to_train_days_failure_free"].get<double>();
  };
  const double half = days_at("32"), full = days_at("64");
  // 20 days at half the GPUs train 20/half of the tokens; the rest takes (1 - 20/half) x full.
  const double expected = 20 + (1 - 20 / half) * full;
  const CliRun r = run(with(with({"plan"}, llama), {"--schedule", path, "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_NEAR(nlohmann::json::parse(r.out)["finish_days"].get<double>(), expected, 1e-9 * expected);
  std::remove(path.c_str());
}

TEST(CalendarCli, TableCsvAndSvg) {
  const std::string path =
      write_schedule("calendar_ramp.yaml",
                     "name: ramp\nbatch_law: mccandlish\ncritical_batch_tokens: 1M\nphases:\n  - {date: 2026-01-05, gpus: 32, segment: hall A}\n"
                     "  - {date: 2026-01-25, gpus: 32, segment: hall B}\nbatch_ramp:\n  - {global_batch: 64}\n  - {from_tokens: 100B, global_batch: 128}\n");
  const std::string svg_path = ::testing::TempDir() + "trainplan_calendar_test.svg";
  const CliRun table = run(with(with({"plan"}, llama), {"--schedule", path, "--svg", svg_path}));
  ASSERT_EQ(table.status, 0) << table.err;
  for (const char* text : {"finish date", "hall B", "mccandlish", "critical batch 1,048,576 tokens"})
    EXPECT_NE(table.out.find(text), std::string::npos) << text << "\n" << table.out;
  std::ifstream file(svg_path);
  const std::string svg((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_NE(svg.find("tokens trained (trillions)"), std::string::npos);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  std::remove(svg_path.c_str());
  const CliRun csv = run(with(with({"plan"}, llama), {"--schedule", path, "--format", "csv"}));
  ASSERT_EQ(csv.status, 0) << csv.err;
  EXPECT_EQ(csv.out.rfind("date,tokens,effective_tokens,gpus_used,global_batch\n", 0), 0u);
  const auto j = nlohmann::json::parse(run(with(with({"plan"}, llama), {"--schedule", path, "--format", "json"})).out);
  EXPECT_EQ(lines(csv.out), 1 + j["tokens_by_date"].size());
  // Three stretches: batch 64 on 32 GPUs, then 64 GPUs from day 20 (batch 64 until 100B), then batch 128.
  ASSERT_EQ(j["segments"].size(), 3u);
  EXPECT_EQ(j["segments"][0]["global_batch"], 64);
  EXPECT_EQ(j["segments"][2]["global_batch"], 128);
  EXPECT_GT(j["segments"][0]["token_efficiency"].get<double>(), 1.0);
  std::remove(path.c_str());
}

TEST(CalendarCli, SizeFindsTheFewestGpusAndTheLatestArrival) {
  const std::string path =
      write_schedule("calendar_size.yaml", "name: s\nbatch_law: off\nphases:\n  - {date: 2026-01-05, gpus: 32}\n  - {date: 2026-01-25, gpus: 32}\n");
  const CliRun base = run(with(with({"plan"}, llama), {"--schedule", path, "--format", "json"}));
  ASSERT_EQ(base.status, 0) << base.err;
  const std::string finish = nlohmann::json::parse(base.out)["finish_date"];
  // By the plan's own finish date the second phase needs at most its 32 GPUs, and arrives no earlier.
  const CliRun gpus = run(with(with({"size"}, llama), {"--schedule", path, "--finish-by", finish, "--max-gpus", "256", "--format", "json"}));
  ASSERT_EQ(gpus.status, 0) << gpus.err;
  const auto g = nlohmann::json::parse(gpus.out);
  EXPECT_LE(g["size"]["phase_gpus"].get<int>(), 32);
  EXPECT_EQ(g["size"]["phase_gpus"].get<int>() % 8, 0);
  EXPECT_LE(g["finish_date"].get<std::string>(), finish);
  const CliRun arrival = run(with(with({"size"}, llama), {"--schedule", path, "--finish-by", finish, "--solve", "arrival", "--format", "json"}));
  ASSERT_EQ(arrival.status, 0) << arrival.err;
  const auto a = nlohmann::json::parse(arrival.out);
  EXPECT_GE(a["size"]["latest_arrival_date"].get<std::string>(), "2026-01-25");
  EXPECT_LE(a["finish_date"].get<std::string>(), finish);
  // A date before the run could ever finish: status 1 and a sentence.
  const CliRun never = run(with(with({"size"}, llama), {"--schedule", path, "--finish-by", "2026-01-06", "--max-gpus", "64"}));
  EXPECT_EQ(never.status, 1);
  EXPECT_NE(never.out.find("finishes by 2026-01-06"), std::string::npos) << never.out;
  std::remove(path.c_str());
}

TEST(CalendarCli, SizeSaysWhenTheRunFinishesWithoutThePhase) {
  // By the date the first phase alone finishes, the second phase need bring nothing: both solves say so
  // (not the least count or the last date they searched), and the report is the run without it.
  const std::string alone_path = write_schedule("calendar_alone.yaml", "name: a\nbatch_law: off\nphases:\n  - {date: 2026-01-05, gpus: 32}\n");
  const std::string path =
      write_schedule("calendar_unneeded.yaml", "name: s\nbatch_law: off\nphases:\n  - {date: 2026-01-05, gpus: 32}\n  - {date: 2026-01-25, gpus: 32}\n");
  const CliRun alone = run(with(with({"plan"}, llama), {"--schedule", alone_path, "--format", "json"}));
  ASSERT_EQ(alone.status, 0) << alone.err;
  const std::string finish = nlohmann::json::parse(alone.out)["finish_date"];
  const CliRun gpus = run(with(with({"size"}, llama), {"--schedule", path, "--finish-by", finish, "--max-gpus", "256", "--format", "json"}));
  ASSERT_EQ(gpus.status, 0) << gpus.err;
  const auto g = nlohmann::json::parse(gpus.out);
  EXPECT_EQ(g["size"]["phase_gpus"], 0);
  EXPECT_EQ(g["size"]["phase_needed"], false);
  EXPECT_EQ(g["finish_date"], finish);
  for (const auto& segment : g["segments"]) EXPECT_EQ(segment["gpus_online"], 32);
  const CliRun table = run(with(with({"size"}, llama), {"--schedule", path, "--finish-by", finish, "--max-gpus", "256"}));
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("without phase 2"), std::string::npos) << table.out;
  // A day earlier the phase is needed again, with a count above zero.
  const CliRun earlier = run(with(with({"size"}, llama), {"--schedule", path, "--finish-by", "2026-01-26", "--max-gpus", "4096", "--format", "json"}));
  if (earlier.status == 0) {
    const auto e = nlohmann::json::parse(earlier.out);
    EXPECT_EQ(e["size"]["phase_needed"], true);
    EXPECT_GT(e["size"]["phase_gpus"].get<int>(), 0);
  }
  std::remove(path.c_str());
  std::remove(alone_path.c_str());
}

TEST(CalendarCli, LargestUsefulListsEachCountsBestBatchUnderTheLaw) {
  const std::string path = write_schedule("calendar_useful.yaml", "name: u\nbatch_law: mccandlish\ncritical_batch_tokens: 500K\n"
                                                                  "phases:\n  - {date: 2026-01-05, gpus: 64}\n");
  const CliRun r = run(with(with({"size"}, llama), {"--schedule", path, "--largest-useful", "16:128", "--batches", "32,64,128,256", "--format", "json"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["points"].size(), 4u);
  const int largest = j["largest_useful_gpus"];
  EXPECT_TRUE(largest == 16 || largest == 32 || largest == 64 || largest == 128) << largest;
  // Every doubling up to the answer cut the time by more than a quarter; the next one (if any) did not.
  for (const auto& p : j["points"]) {
    if (p["gpus"].get<int>() > 16 && p["gpus"].get<int>() <= largest) {
      EXPECT_GT(p["cut"].get<double>(), 0.25);
    }
    if (p["gpus"].get<int>() == 2 * largest) {
      EXPECT_LE(p["cut"].get<double>(), 0.25);
    }
  }
  EXPECT_EQ(run(with(with({"size"}, llama), {"--schedule", path, "--largest-useful", "16,48"})).status, 2);
  std::remove(path.c_str());
}

TEST(CalendarCli, BadInputIsStatusTwoNamingTheFlagOrField) {
  const std::string path = write_schedule("calendar_bad.yaml", "name: b\nphases:\n  - {date: 2026-01-05, gpus: 64, spares: 2}\n");
  const CliRun bad_field = run(with(with({"plan"}, llama), {"--schedule", path}));
  EXPECT_EQ(bad_field.status, 2);
  EXPECT_NE(bad_field.err.find("phases[0].spares: unknown key"), std::string::npos) << bad_field.err;
  const std::string good = write_schedule("calendar_good.yaml", "name: g\nphases:\n  - {date: 2026-01-05, gpus: 64}\n");
  EXPECT_EQ(run(with(with({"plan"}, llama), {"--schedule", good, "--gpus", "64"})).status, 2);
  EXPECT_EQ(run(with(with({"plan"}, llama), {"--svg", "x.svg"})).status, 2);
  const CliRun ignored = run(with(with({"plan"}, llama), {"--schedule", good, "--runs", "10"}));
  EXPECT_EQ(ignored.status, 2);
  EXPECT_NE(ignored.err.find("--runs: not with --schedule"), std::string::npos) << ignored.err;
  const CliRun bad_date = run(with(with({"size"}, llama), {"--schedule", good, "--finish-by", "2026-02-30"}));
  EXPECT_EQ(bad_date.status, 2);
  EXPECT_NE(bad_date.err.find("--finish-by"), std::string::npos);
  EXPECT_EQ(run(with(with({"size"}, llama), {"--schedule", good, "--finish-by", "2026-03-01", "--solve", "arrival"})).status, 2);
  std::remove(path.c_str());
  std::remove(good.c_str());
}

}  // namespace trainplan

namespace trainplan {

namespace {
std::string read_file(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}
}  // namespace

// plan --schedule --report: the page answers with the finish dates the JSON gives and draws the
// calendar (tokens by date, arrivals, each stretch with its layout); the plan detailed is the last
// stretch's.
TEST(CalendarCli, TheDecisionReportAnswersWithTheFinishDates) {
  const std::string path = write_schedule("calendar_report.yaml",
                                          "name: two-phases\nphases:\n  - {date: 2026-01-05, gpus: 32}\n  - {date: 2026-01-20, gpus: 32}\n");
  const std::string html = ::testing::TempDir() + "calendar_report.html";
  const CliRun r = run(with(with({"plan"}, llama), {"--schedule", path, "--format", "json", "--report", html}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const std::string page = read_file(html);
  ASSERT_FALSE(page.empty());
  EXPECT_NE(page.find("id=\"calendar\""), std::string::npos);
  EXPECT_NE(page.find("href=\"#calendar\""), std::string::npos);
  EXPECT_NE(page.find("finishes on <b>" + j["finish_date"].get<std::string>() + "</b> failure-free"), std::string::npos);
  EXPECT_NE(page.find("<b>" + j["finish_date_with_failures"].get<std::string>() + "</b> with failures"), std::string::npos);
  // The chart, both arrivals and one table row per stretch.
  EXPECT_NE(page.find("tokens trained (trillions)"), std::string::npos);
  EXPECT_NE(page.find("<td>2026-01-20</td><td>32</td>"), std::string::npos);
  std::size_t layouts = 0;
  for (std::size_t at = page.find("<td>tp1 pp1 dp"); at != std::string::npos; at = page.find("<td>tp1 pp1 dp", at + 1)) ++layouts;
  EXPECT_EQ(layouts, j["segments"].size());
  EXPECT_NE(page.find("Last stretch: 64 ×"), std::string::npos);
  std::remove(path.c_str());
  std::remove(html.c_str());
}

TEST(CalendarCli, SizeWritesTheReportWithItsAnswer) {
  const std::string path = write_schedule("calendar_size_report.yaml",
                                          "name: two-phases\nphases:\n  - {date: 2026-01-05, gpus: 32}\n  - {date: 2026-01-20, gpus: 32}\n");
  const std::string html = ::testing::TempDir() + "calendar_size_report.html";
  const CliRun r = run(with(with({"size"}, llama), {"--schedule", path, "--finish-by", "2027-12-31", "--max-gpus", "256", "--report", html}));
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string page = read_file(html);
  EXPECT_NE(page.find("id=\"calendar\""), std::string::npos);
  EXPECT_NE(page.find("trainplan size --schedule: the run finishes by 2027-12-31 without phase 2"), std::string::npos);
  EXPECT_EQ(run(with(with({"size"}, llama), {"--schedule", path, "--largest-useful", "16:64", "--report", html})).status, 2);
  std::remove(path.c_str());
  std::remove(html.c_str());
}

}  // namespace trainplan
