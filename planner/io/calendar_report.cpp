// Table, JSON, CSV and SVG of a run over calendar time.
#include "calendar_report.hpp"

#include "token_batch.hpp"  // grouped_digits
#include "number_text.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

namespace trainplan {

namespace {


std::string layout_text(const ParallelPlan& p) {
  std::string text = "tp " + std::to_string(p.tp) + ", pp " + std::to_string(p.pp) + ", cp " + std::to_string(p.cp) + ", dp " +
                     std::to_string(p.dp) + ", ep " + std::to_string(p.ep);
  if (p.routed_expert_tp() != p.tp) text += ", etp " + std::to_string(p.routed_expert_tp());
  if (p.vp > 1) text += ", vp " + std::to_string(p.vp);
  text += ", mb " + std::to_string(p.micro_batch) + ", ZeRO-" + std::to_string(p.zero_stage);
  if (p.sequence_parallel && p.tp > 1) text += ", SP";  // as costed: nothing to split at tp 1
  if (p.recompute != Recompute::none) text += std::string(", recompute ") + to_string(p.recompute);
  if (p.precision != Precision::bf16) text += std::string(", ") + to_string(p.precision);
  return text;
}

std::string segment_label(const CalendarReport& r, const CalendarSegment& s) {
  return r.schedule->schedule.phases[s.phase].segment;
}

bool law_on(const CalendarReport& r) { return r.efficiency.critical_tokens > 0; }

}  // namespace

std::string calendar_date(const LoadedSchedule& schedule, double day) {
  return format_iso_date(schedule.start_date + static_cast<std::int64_t>(std::floor(day + 1e-9)));
}

nlohmann::json calendar_json(const CalendarReport& r) {
  const LoadedSchedule& sch = *r.schedule;
  const CalendarResult& res = r.result;
  nlohmann::json phases = nlohmann::json::array();
  for (const ArrivalPhase& p : sch.schedule.phases)
    phases.push_back({{"date", format_iso_date(sch.start_date + p.day)}, {"gpus", p.gpus}, {"spare_gpus", p.spare_gpus}, {"segment", p.segment}});
  nlohmann::json ramp = nlohmann::json::array();
  for (const BatchStage& s : sch.schedule.batch_ramp)
    ramp.push_back({{"from_tokens", s.from_tokens}, {"global_batch", s.global_batch}, {"global_batch_tokens", static_cast<double>(s.global_batch) * r.seq_len}});
  nlohmann::json segments = nlohmann::json::array();
  for (const CalendarSegment& s : res.segments) {
    nlohmann::json j = {{"start_date", calendar_date(sch, s.start_day)},
                        {"end_date", calendar_date(sch, s.end_day)},
                        {"start_day", s.start_day},
                        {"end_day", s.end_day},
                        {"segment", segment_label(r, s)},
                        {"gpus_online", s.gpus_online},
                        {"gpus_used", s.gpus_used},
                        {"global_batch", s.global_batch},
                        {"token_efficiency", s.efficiency},
                        {"tokens_start", s.tokens_start},
                        {"tokens_end", s.tokens_end},
                        {"effective_tokens_end", s.effective_end},
                        {"tokens_per_second", s.tokens_per_second},
                        {"goodput", s.goodput}};
    if (s.gpus_used > 0) {
      j["plan"] = plan_settings_json(s.plan.plan);
      j["step_time_s"] = s.plan.step_time_s;
      j["mfu"] = s.plan.mfu;
      j["memory_per_gpu_gib"] = s.plan.memory_per_gpu_gib;
    } else {
      j["plan"] = nullptr;
    }
    segments.push_back(j);
  }
  nlohmann::json by_date = nlohmann::json::array();
  for (const CalendarPoint& p : tokens_by_whole_day(res)) {
    nlohmann::json point = {{"date", calendar_date(sch, p.day)}, {"tokens", p.tokens}};
    if (law_on(r)) point["effective_tokens"] = p.effective_tokens;
    by_date.push_back(point);
  }
  nlohmann::json j = {{"model", r.model},
                      {"gpu", r.gpu},
                      {"fabric", r.fabric},
                      {"schedule", sch.name},
                      {"schedule_source", sch.source},
                      {"start_date", format_iso_date(sch.start_date)},
                      {"training_tokens", r.training_tokens},
                      {"finished", res.finished},
                      {"finish_date", res.finished ? nlohmann::json(calendar_date(sch, res.finish_day)) : nlohmann::json(nullptr)},
                      {"finish_days", res.finished ? nlohmann::json(res.finish_day) : nlohmann::json(nullptr)},
                      {"finish_date_with_failures",
                       r.with_failures.finished ? nlohmann::json(calendar_date(sch, r.with_failures.finish_day)) : nlohmann::json(nullptr)},
                      {"finish_days_with_failures", r.with_failures.finished ? nlohmann::json(r.with_failures.finish_day) : nlohmann::json(nullptr)},
                      {"trained_tokens", res.tokens_by_day.empty() ? 0.0 : res.tokens_by_day.back().tokens},
                      {"batch_law",
                       {{"law", to_string(r.efficiency.law.kind)},
                        {"critical_batch_tokens", r.efficiency.critical_tokens},
                        {"reference_batch_tokens", r.efficiency.reference_batch_tokens},
                        {"source", sch.batch_law.source}}},
                      {"granularity_gpus", sch.schedule.granularity_gpus},
                      {"elastic_shrink", sch.schedule.elastic_shrink},
                      {"phases", phases},
                      {"batch_ramp", ramp},
                      {"segments", segments},
                      {"tokens_by_date", by_date}};
  if (!res.finished) j["problem"] = res.problem;
  return j;
}

void write_calendar_report(const CalendarReport& r, ReportFormat format, std::ostream& out) {
  const LoadedSchedule& sch = *r.schedule;
  const CalendarResult& res = r.result;
  if (format == ReportFormat::json) {
    out << calendar_json(r).dump(2) << "\n";
    return;
  }
  const std::vector<CalendarPoint> daily = tokens_by_whole_day(res);
  if (format == ReportFormat::csv) {
    out << "date,tokens" << (law_on(r) ? ",effective_tokens" : "") << ",gpus_used,global_batch\n";
    std::size_t seg = 0;
    for (const CalendarPoint& p : daily) {
      // The stretch running at the end of that date.
      const double t = std::min(p.day + 1, res.tokens_by_day.empty() ? 0.0 : res.tokens_by_day.back().day);
      while (seg + 1 < res.segments.size() && res.segments[seg].end_day < t) ++seg;
      const CalendarSegment* s = res.segments.empty() ? nullptr : &res.segments[seg];
      out << calendar_date(sch, p.day) << "," << fixed_decimals(p.tokens, 0);
      if (law_on(r)) out << "," << fixed_decimals(p.effective_tokens, 0);
      out << "," << (s ? s->gpus_used : 0) << "," << (s ? s->global_batch : 0) << "\n";
    }
    return;
  }
  out << "trainplan " << r.command << " --schedule: " << r.model << ", " << tokens_text(r.training_tokens) << " tokens on " << r.gpu << " (" << r.fabric
      << "), schedule " << sch.name << "\n";
  out << "  batch law               " << to_string(r.efficiency.law.kind);
  if (law_on(r))
    out << ": critical batch " << grouped_digits(std::llround(r.efficiency.critical_tokens)) << " tokens; the token count is stated at "
        << tokens_text(r.efficiency.reference_batch_tokens) << "-token batches";
  out << "\n";
  if (res.finished)
    out << "  finish date             " << calendar_date(sch, res.finish_day) << " (" << fixed_decimals(res.finish_day, 1) << " days after "
        << format_iso_date(sch.start_date) << ", failure-free)\n";
  else
    out << "  does not finish         " << res.problem << "\n";
  if (res.finished && r.with_failures.finished)
    out << "  with failures           " << calendar_date(sch, r.with_failures.finish_day) << " (" << fixed_decimals(r.with_failures.finish_day, 1)
        << " days: each stretch at its goodput, failures, restarts and checkpoints as plan reports them)\n";
  out << "  stretches (a new one at every arrival and batch change; the layout re-planned for each)\n";
  out << "    from        to          segment          online   used   batch  eff.  tokens           step     MFU    layout\n";
  for (const CalendarSegment& s : res.segments) {
    char line[512];
    std::snprintf(line, sizeof line, "    %-10s  %-10s  %-15s %7d %6d %7lld  %4.2f  %-15s", calendar_date(sch, s.start_day).c_str(),
                  calendar_date(sch, s.end_day).c_str(), segment_label(r, s).substr(0, 15).c_str(), s.gpus_online, s.gpus_used,
                  static_cast<long long>(s.global_batch), s.efficiency,
                  (tokens_text(s.tokens_start) + "-" + tokens_text(s.tokens_end)).c_str());
    out << line;
    if (s.gpus_used > 0) {
      std::snprintf(line, sizeof line, "  %6.2f s  %5.1f%%  ", s.plan.step_time_s, 100 * s.plan.mfu);
      out << line << layout_text(s.plan.plan) << "\n";
    } else {
      out << "  idle: no plan fits\n";
    }
  }
  out << "  tokens by date (trained by the end of the date" << (law_on(r) ? "; at the reference batch in brackets" : "") << ")\n";
  // Every 7th date and the last, to keep the table short (JSON and CSV have every date).
  for (std::size_t i = 0; i < daily.size(); ++i) {
    if (i % 7 != 6 && i + 1 != daily.size()) continue;
    out << "    " << calendar_date(sch, daily[i].day) << "  " << tokens_text(daily[i].tokens);
    if (law_on(r)) out << " (" << tokens_text(daily[i].effective_tokens) << ")";
    out << "\n";
  }
}

svg::LineChart calendar_chart(const CalendarReport& r) {
  const LoadedSchedule& sch = *r.schedule;
  svg::LineChart chart;
  chart.title = r.model + " on " + r.gpu + ", schedule " + sch.name +
                (r.result.finished ? ": finishes " + calendar_date(sch, r.result.finish_day) : ": does not finish");
  chart.x_label = "days after " + format_iso_date(sch.start_date);
  svg::Panel tokens{"tokens trained (trillions)", {}, true};
  svg::Series trained{"trained", {}, {}}, effective{"at the reference batch", {}, {}};
  for (const CalendarPoint& p : r.result.tokens_by_day) {
    trained.x.push_back(p.day);
    trained.y.push_back(p.tokens / 1e12);
    effective.x.push_back(p.day);
    effective.y.push_back(p.effective_tokens / 1e12);
  }
  tokens.series.push_back(trained);
  if (r.with_failures.finished) {
    svg::Series failures{"trained, with failures", {}, {}};
    for (const CalendarPoint& p : r.with_failures.tokens_by_day) {
      failures.x.push_back(p.day);
      failures.y.push_back(p.tokens / 1e12);
    }
    tokens.series.push_back(failures);
  }
  if (law_on(r)) tokens.series.push_back(effective);
  svg::Panel gpus{"GPUs in the job", {}, true};
  svg::Series used{"GPUs used", {}, {}};
  for (const CalendarSegment& s : r.result.segments) {
    used.x.push_back(s.start_day);
    used.y.push_back(s.gpus_used);
    used.x.push_back(s.end_day);
    used.y.push_back(s.gpus_used);
  }
  gpus.series.push_back(used);
  chart.panels = {tokens, gpus};
  return chart;
}

}  // namespace trainplan
