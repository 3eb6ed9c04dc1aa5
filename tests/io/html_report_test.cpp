#include "planner/io/html_report.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <memory>
#include <regex>
#include <string>

#include "../core/test_models.hpp"

namespace trainplan {

namespace {

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// A plan evaluated on the in-code scenario, with economics filled by hand (the writer only renders).
ReportPlan sample_plan(const Scenario& sc, const std::string& label) {
  ParallelPlan plan;
  plan.tp = 8;
  plan.pp = 2;
  plan.global_batch = 512;
  plan.seq_len = 8192;
  ReportPlan p;
  p.label = label;
  p.fabric = sc.fabric.name;
  p.result = evaluate(sc, plan);
  p.has_economics = true;
  p.economics.time_to_train_days_failure_free = p.result.time_to_train_days;
  p.economics.time_to_train_days = 1.25 * p.result.time_to_train_days;
  p.economics.goodput = 0.8;
  p.economics.monte_carlo.runs = 1000;
  p.economics.monte_carlo.p10_days = 12.34;
  p.economics.monte_carlo.p90_days = 15.67;
  p.economics.cost_usd = 12.5e6;
  p.economics.cost_usd_low = 10e6;
  p.economics.cost_usd_high = 14e6;
  return p;
}

DecisionReport sample_report() {
  DecisionReport r;
  r.command = "report";
  r.command_line = "trainplan report --model 'a<b>' --gpus 256";
  r.scenario = testing::scenario(testing::llama3_8b(), 256);
  r.scenario.job.training_tokens = 1e12;
  r.scenario.gpu.provenance = {"published", "NVIDIA H100 datasheet (test)"};
  r.scenario.model.name = "model <&> \"quoted\"";
  r.plans = {sample_plan(r.scenario, "1"), sample_plan(r.scenario, "2")};
  r.deadline_days = 20;
  ReportSweepCurve curve{"fabric-x", {}};
  for (int gpus : {64, 96, 128, 256}) {
    ReportSweepPoint point;
    point.outcome.gpus = gpus;
    if (gpus == 96) {
      point.problem = "no layout";
    } else {
      point.outcome.found = true;
      point.outcome.best = r.plans.front().result;
      point.outcome.best.time_to_train_days = 2560.0 / gpus;
      point.has_economics = true;
      point.economics.time_to_train_days = 3000.0 / gpus;
      point.economics.monte_carlo.runs = 100;
      point.economics.monte_carlo.p10_days = 2900.0 / gpus;
      point.economics.monte_carlo.p90_days = 3100.0 / gpus;
      point.economics.cost_usd = 1e6 * gpus / 64;
    }
    curve.points.push_back(point);
  }
  r.sweep = {curve};
  r.has_validation = true;
  r.validation.timing = {58, 7.3, 21.0, "group/worst-row"};
  r.validation.groups = {{"megatron-2021", 10, 5.5, -2.25}};
  return r;
}

}  // namespace

TEST(HtmlReport, IsOneSelfContainedPage) {
  ASSERT_TRUE(sample_report().plans.front().result.valid) << sample_report().plans.front().result.problems.front();
  const std::string page = html_report(sample_report());
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(page.find("</html>"), std::string::npos);
  // Nothing is fetched: no external scripts, styles, images, fonts or frames.
  for (const char* needle : {"<link", "src=", "@import", "url(", "<iframe", "<img", "https:"}) EXPECT_EQ(page.find(needle), std::string::npos) << needle;
  // The only "http:" is the SVG namespace name (an identifier, never fetched).
  EXPECT_EQ(occurrences(page, "http:"), occurrences(page, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(page.find("Content-Security-Policy\" content=\"default-src 'none'"), std::string::npos);
  // The error trap comes before any other script; the layout check is the last one.
  EXPECT_LT(page.find("window.reportErrors = []"), page.find("<style>"));
  EXPECT_LT(page.find("<main>"), page.find("getBoundingClientRect"));
}

TEST(HtmlReport, HasEverySectionADecisionNeeds) {
  const std::string page = html_report(sample_report());
  for (const char* id : {"answer", "layouts", "step", "sweep", "fabric", "cost", "failures", "assumptions", "provenance", "validation",
                         "model-uncertainty", "self-check"})
    EXPECT_NE(page.find("id=\"" + std::string(id) + "\""), std::string::npos) << id;
  EXPECT_NE(page.find("Model uncertainty: not sampled for this report."), std::string::npos);
  EXPECT_NE(page.find("mean |error| 7.3% over 58 timing rows"), std::string::npos);
}

TEST(HtmlReport, TheAnswerCarriesTheMonteCarloRangeOfTheBestPlan) {
  const DecisionReport r = sample_report();
  const std::string page = html_report(r);
  const std::size_t answer = page.find("<p class=\"answer\">");
  ASSERT_NE(answer, std::string::npos);
  const std::string text = page.substr(answer, page.find("</p>", answer) - answer);
  EXPECT_NE(text.find("p10–p90 12.3–15.7 days over 1,000 simulated runs"), std::string::npos) << text;
  char with_failures[32];
  std::snprintf(with_failures, sizeof with_failures, "<b>%.1f days</b>", r.plans.front().economics.time_to_train_days);
  EXPECT_NE(text.find(with_failures), std::string::npos) << text;
  EXPECT_NE(text.find("<b>$12.5M</b>"), std::string::npos) << text;
  EXPECT_NE(text.find("$10.0M–$14.0M"), std::string::npos) << text;
}

// The answer's band: the p10 / p50 / p90 of the uncertainty samples and the tornado, in place of the
// note that nothing was sampled.
TEST(HtmlReport, TheAnswerCarriesTheUncertaintyBand) {
  DecisionReport r = sample_report();
  r.has_uncertainty = true;
  r.uncertainty_source = "bundled uncertainty <test>";
  UncertaintySummary& u = r.uncertainty;
  u.samples = 64;
  u.valid_samples = 60;
  u.seed = 7;
  u.days = {56.94, 67.71, 100.04};
  u.days_failure_free = {40.0, 45.5, 60.25};
  u.cost_usd = {100.6e6, 121.2e6, 175.8e6};
  u.model_error_input = UncertainInput::model_error_moe;
  TornadoBar bar;
  bar.input = UncertainInput::failure_rate;
  bar.multiplier_p10 = 0.5;
  bar.multiplier_p90 = 2;
  bar.days_at_p10 = 60;
  bar.days_at_p90 = 75.5;
  bar.cost_at_p10 = 110e6;
  bar.cost_at_p90 = 130e6;
  u.tornado = {bar};
  const std::string page = html_report(r);
  const std::size_t band = page.find("<div class=\"band\" id=\"model-uncertainty\">");
  ASSERT_NE(band, std::string::npos);
  const std::string text = page.substr(band, page.find("</div>\n</section>", band) - band);
  EXPECT_NE(text.find("<td>days with failures</td><td>56.9</td><td>67.7</td><td>100.0</td>"), std::string::npos) << text;
  EXPECT_NE(text.find("<td>days failure-free</td><td>40.0</td><td>45.5</td><td>60.2</td>"), std::string::npos) << text;
  EXPECT_NE(text.find("<td>cost</td><td>$100.6M</td><td>$121.2M</td><td>$175.8M</td>"), std::string::npos) << text;
  EXPECT_NE(text.find("64 Latin hypercube samples, seed 7"), std::string::npos) << text;
  EXPECT_NE(text.find("impossible in 4 of 64 samples"), std::string::npos) << text;
  EXPECT_NE(text.find("<td>failure_rate</td><td>×0.50 → ×2.00</td><td>60.0 → 75.5</td><td>$110.0M → $130.0M</td>"), std::string::npos)
      << text;
  EXPECT_NE(text.find("bundled uncertainty &lt;test&gt;"), std::string::npos) << text;
  EXPECT_EQ(page.find("not sampled for this report"), std::string::npos);
  EXPECT_NE(page.find("<b>p10–p90 56.9–100.0 days</b> with failures, $100.6M–$175.8M."), std::string::npos);
}

TEST(HtmlReport, EscapesEverythingItQuotes) {
  const std::string page = html_report(sample_report());
  EXPECT_EQ(page.find("model <&>"), std::string::npos);
  EXPECT_NE(page.find("model &lt;&amp;&gt; &quot;quoted&quot;"), std::string::npos);
  EXPECT_NE(page.find("--model &apos;a&lt;b&gt;&apos;"), std::string::npos);
  EXPECT_NE(page.find("NVIDIA H100 datasheet (test)"), std::string::npos);  // the GPU figures' source
}

TEST(HtmlReport, TheCurveShowsBothLinesTheBandTheDeadlineAndWhyAPointIsMissing) {
  const DecisionReport r = sample_report();
  const svg::LineChart chart = sweep_chart(r.sweep, "t", r.deadline_days);
  ASSERT_GE(chart.panels.size(), 2u);
  const svg::Panel& time = chart.panels[0];
  ASSERT_EQ(time.series.size(), 2u);
  EXPECT_EQ(time.series[0].name, "fabric-x, failure-free");
  EXPECT_EQ(time.series[1].name, "fabric-x, with failures");
  EXPECT_TRUE(time.series[1].dashed);
  EXPECT_EQ(time.series[1].y[0], 3000.0 / 64);
  EXPECT_TRUE(std::isnan(time.series[1].y[1]));  // 96 GPUs: no layout
  EXPECT_EQ(time.series[1].y_low[2], 2900.0 / 128);
  EXPECT_EQ(time.series[1].y_high[3], 3100.0 / 256);
  ASSERT_EQ(time.lines.size(), 1u);
  EXPECT_EQ(time.lines[0].y, 20);
  EXPECT_TRUE(chart.log2_x);
  const svg::ChartLayout layout = svg::layout_line_chart(chart);
  ASSERT_EQ(layout.note_lines.size(), 1u);
  EXPECT_EQ(layout.note_lines[0], "\u00d7 at 96 (fabric-x): no layout");
  const std::string page = html_report(r);
  EXPECT_NE(page.find(">deadline 20 days</text>"), std::string::npos);
  EXPECT_NE(page.find(">fabric-x, failures p10–p90</text>"), std::string::npos);
  EXPECT_EQ(page.find("<?xml"), std::string::npos);  // inline SVG without the prolog
}

// With the uncertainty model's range at each point, the curve's band is that range (model error and
// inputs), not the Monte-Carlo spread of failures, and the band's name and the table say so.
TEST(HtmlReport, TheCurveBandIsTheUncertaintyRangeWhenSampled) {
  DecisionReport r = sample_report();
  for (ReportSweepPoint& p : r.sweep[0].points)
    if (p.outcome.found) {
      p.has_range = true;
      p.days_range = {2800.0 / p.outcome.gpus, 3300.0 / p.outcome.gpus, 4000.0 / p.outcome.gpus};
    }
  const svg::LineChart chart = sweep_chart(r.sweep, "t", r.deadline_days);
  const svg::Series& failing = chart.panels[0].series[1];
  EXPECT_EQ(failing.y_low[2], 2800.0 / 128);
  EXPECT_EQ(failing.y_high[3], 4000.0 / 256);
  EXPECT_EQ(failing.band_name, "fabric-x, p10–p90 (model error and inputs)");
  const std::string page = html_report(r);
  EXPECT_NE(page.find("with the model's own error and the uncertain inputs sampled"), std::string::npos);
  EXPECT_NE(page.find("<td>43.8–62.5</td>"), std::string::npos);  // 2800/64 .. 4000/64 at 64 GPUs
}

// The step section splits its compute line by kind of work, the parts summing to it.
TEST(HtmlReport, TheStepSectionSaysWhatTheComputeIsMadeOf) {
  DecisionReport r = sample_report();
  ASSERT_TRUE(r.plans.front().result.valid);
  const ComputeParts& c = r.plans.front().result.breakdown.compute_parts;
  ASSERT_GT(c.gemm_s, 0);
  const std::string page = html_report(r);
  const std::size_t section = page.find("<h3>Compute by kind of work</h3>");
  ASSERT_NE(section, std::string::npos);
  EXPECT_LT(page.find("id=\"step\""), section);
  for (const char* row : {"GEMMs (projections, MLP or experts, router)", "attention core", "memory-bound kernels",
                          "fp8 operand casts", "output head and MTP"})
    EXPECT_NE(page.find(row, section), std::string::npos) << row;
}

TEST(HtmlReport, TheStepBarSplitsItsWidthByTime) {
  StepBreakdown b;
  b.compute_s = 3;
  b.dp_comm_s = 1;
  b.optimizer_s = 1e-4;  // 0.0025%: no sliver, no legend entry
  const std::string bar = step_breakdown_svg(b);
  // Bar width 728 px: compute 3/4.0001, data-parallel comm 1/4.0001; parts without time get no rect nor legend.
  EXPECT_NE(bar.find("class=\"part\" x=\"16.00\" y=\"10\" width=\"545.99\""), std::string::npos) << bar;
  EXPECT_NE(bar.find("class=\"part\" x=\"561.99\" y=\"10\" width=\"182.00\""), std::string::npos) << bar;
  EXPECT_EQ(occurrences(bar, "class=\"part\""), 2u);
  EXPECT_NE(bar.find(">compute 3.000 s (75.0%)</text>"), std::string::npos);
  EXPECT_EQ(bar.find("pipeline bubble"), std::string::npos);
  EXPECT_EQ(bar.find("optimizer"), std::string::npos);
}

TEST(HtmlReport, WithoutAPlanItSaysWhy) {
  DecisionReport r = sample_report();
  r.plans = {sample_plan(r.scenario, "1")};
  r.plans[0].result.valid = false;
  r.plans[0].result.problems = {"tp*pp*cp (24) does not divide the GPUs (256)"};
  r.plans[0].has_economics = false;
  r.sweep.clear();
  const std::string page = html_report(r);
  EXPECT_NE(page.find("No plan answers it."), std::string::npos);
  EXPECT_NE(page.find("<li>tp*pp*cp (24) does not divide the GPUs (256)</li>"), std::string::npos);
  EXPECT_NE(page.find("No sweep in this report"), std::string::npos);
  EXPECT_NE(page.find("id=\"model-uncertainty\""), std::string::npos);
}

TEST(HtmlReport, TheQuestionFollowsTheCommand) {
  DecisionReport r = sample_report();
  r.scenario.model.name = "m";
  r.command = "size";
  EXPECT_EQ(default_question(r), "How many H100-SXM5-80GB GPUs does m need to train on 1.00T tokens within 20 days, and what does the run cost?");
  r.command = "plan";
  EXPECT_EQ(default_question(r).rfind("How long does m take to train on 1.00T tokens with 256 × ", 0), 0u) << default_question(r);
  r.question = "Can we finish by June?";
  EXPECT_NE(html_report(r).find("Can we finish by June?"), std::string::npos);
}

}  // namespace trainplan

namespace trainplan {

namespace {

// The cost section's breakdown table, from its heading to the end of its table.
std::string cost_breakdown_of(const std::string& page) {
  const std::size_t at = page.find("<h3>Cost breakdown</h3>");
  if (at == std::string::npos) return "";
  return page.substr(at, page.find("</table>", at) - at);
}

// Every part of the cost with its price and source, and whether the basis counts it.
DecisionReport costed_report(CostBasis basis) {
  DecisionReport r = sample_report();
  RunEconomics& e = r.plans.front().economics;
  e.basis = basis;
  e.inventory.gpus = 256;
  e.prices.buy.gpu_usd = {25000, 30000, 40000};
  e.prices.rent.usd_per_gpu_hour = {2, 3, 4};
  e.capital.gpus_usd = 256 * 30000.0;
  e.rent_usd = 4.5e6;
  e.energy_usd = 0.25e6;
  e.reliability.process.work_s = 86400;  // a timed run: share, energy and rent have amounts
  e.sources = std::make_shared<const std::map<std::string, Provenance>>(std::map<std::string, Provenance>{
      {"cost.gpu_usd", {"published", "a price list <2025>"}}, {"cost.rent_usd_per_gpu_hour", {"user", ""}}});
  return r;
}

}  // namespace

TEST(HtmlReport, TheCostSectionBreaksTheCostDownWithSources) {
  const std::string buy = cost_breakdown_of(html_report(costed_report(CostBasis::buy)));
  ASSERT_FALSE(buy.empty());
  EXPECT_NE(buy.find("<td>GPUs</td><td>256 × $30.0K (range $25.0K–$40.0K)</td><td>$7.68M</td><td>as its share</td>"
                     "<td>published: a price list &lt;2025&gt; <code>cost.gpu_usd</code></td>"),
            std::string::npos)
      << buy;
  EXPECT_NE(buy.find("<td>rent</td>"), std::string::npos) << buy;
  EXPECT_NE(buy.find("<td>$4.50M</td><td>no</td><td>user: set by the user</td>"), std::string::npos) << buy;
  EXPECT_NE(buy.find("<td>$250.0K</td><td>yes</td>"), std::string::npos) << buy;  // energy counts under buy
  EXPECT_NE(buy.find("<td>servers</td>"), std::string::npos) << buy;
  EXPECT_NE(buy.find("<td>storage</td>"), std::string::npos) << buy;
  EXPECT_NE(buy.find("<td>amortised share</td>"), std::string::npos) << buy;

  const std::string rent = cost_breakdown_of(html_report(costed_report(CostBasis::rent)));
  EXPECT_NE(rent.find("<td>$7.68M</td><td>no (the rent includes it)</td>"), std::string::npos) << rent;
  EXPECT_NE(rent.find("<td>$4.50M</td><td>yes</td>"), std::string::npos) << rent;
  EXPECT_NE(rent.find("<td>$250.0K</td><td>no (in the rent)</td>"), std::string::npos) << rent;
}

}  // namespace trainplan
