#pragma once
// The report of `trainplan sweep`: one row per GPU count and fabric (table, JSON, CSV), and its
// chart (time-to-train and MFU against GPUs).
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "html_report.hpp"
#include "layout_shortfall_text.hpp"  // ---- no layout ----
#include "plan_report.hpp"
#include "ranges_sampling.hpp"
#include "planner/core/search/sweep.hpp"
#include "svg_chart.hpp"

#include "planner/core/economics/uncertainty.hpp"

namespace trainplan {

struct SweepReport {
  std::string model, gpu;
  std::size_t counts = 0;          // GPU counts per series
  std::vector<SweepSeries> series;
  double seconds = 0;
  // ---- per series and point: why a count has no layout (and, for the first few, the nearest counts) ----
  std::vector<std::vector<std::optional<NoLayoutNote>>> no_layout;
  // ---- per series and point: p10/p50/p90 of its best plan under the uncertainty model (empty: not sampled) ----
  std::vector<std::vector<std::optional<UncertaintySummary>>> ranges;
  // ---- per series and point: how they were sampled (the layout re-searched per sample, or fixed by flags) ----
  std::vector<std::vector<std::optional<RangesSampling>>> ranges_sampling;
};

// "the fabric NAME reaches at most N GPUs": why a count beyond the reach is not planned.
std::string beyond_reach_reason(const std::string& fabric_name, int reach_gpus);

// Why a point has no plan: the fabric's reach, "no layout" or "none fits" ("" when it has one).
std::string point_problem_text(const SweepSeries& s, const CountOutcome& p);

// The curves as the chart and the decision report draw them (failure-free and with-failures days,
// cost): each point's economics from `economics_of(series index, point index)`, or the series' own.
using PointEconomics = std::function<std::optional<RunEconomics>(std::size_t series, std::size_t point)>;
std::vector<ReportSweepCurve> sweep_curves(const std::vector<SweepSeries>& series, const PointEconomics& economics_of);
std::vector<ReportSweepCurve> sweep_curves(const std::vector<SweepSeries>& series);

void write_sweep_report(const SweepReport& report, ReportFormat format, std::ostream& out);

}  // namespace trainplan
