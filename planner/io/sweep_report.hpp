#pragma once
// The report of `trainplan sweep`: one row per GPU count and fabric (table, JSON, CSV), and its
// chart (time-to-train and MFU against GPUs).
#include <iosfwd>
#include <string>
#include <vector>

#include "plan_report.hpp"
#include "planner/core/sweep.hpp"
#include "svg_chart.hpp"

namespace trainplan {

struct SweepReport {
  std::string model, gpu;
  std::size_t counts = 0;          // GPU counts per series
  std::vector<SweepSeries> series;
  double seconds = 0;
};

// "the fabric NAME reaches at most N GPUs": why a count beyond the reach is not planned.
std::string beyond_reach_reason(const std::string& fabric_name, int reach_gpus);

svg::LineChart scaling_chart(const std::vector<SweepSeries>& series, const std::string& title);

void write_sweep_report(const SweepReport& report, ReportFormat format, std::ostream& out);

}  // namespace trainplan
