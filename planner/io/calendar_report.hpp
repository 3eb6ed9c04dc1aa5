#pragma once
// Rendering a run over calendar time (training_schedule.hpp): a table for people, JSON and CSV for
// scripts (keys `finish_date`, an ISO date, and `tokens_by_date`, a list of {date, tokens}), and an
// SVG chart of tokens by date (svg_chart.hpp).
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "plan_report.hpp"
#include "schedule_loader.hpp"
#include "svg_chart.hpp"

namespace trainplan {

struct CalendarReport {
  std::string command = "plan";    // the table's title: trainplan COMMAND --schedule
  std::string model, gpu, fabric;
  double training_tokens = 0;          // at the reference batch
  int seq_len = 0;
  const LoadedSchedule* schedule = nullptr;
  BatchEfficiency efficiency;
  CalendarResult result;            // failure-free
  CalendarResult with_failures;     // each stretch at its goodput (reliability.hpp)
};

// The date of a (fractional) day of the run: the start date plus its whole days.
std::string calendar_date(const LoadedSchedule& schedule, double day);

nlohmann::json calendar_json(const CalendarReport& report);
// `format` table, json or csv (csv: one row per date).
void write_calendar_report(const CalendarReport& report, ReportFormat format, std::ostream& out);
// Tokens trained by date (trillions), and the GPUs the job uses, against days since the start.
svg::LineChart calendar_chart(const CalendarReport& report);

}  // namespace trainplan
