// The decision report over calendar time (plan/size --schedule; docs/calendar.md): the finish date
// at the top, then tokens by date, the arrival phases and each stretch with the layout re-planned for it.
#include <ostream>

#include "html_blocks.hpp"
#include "number_text.hpp"
#include "html_sections.hpp"

namespace trainplan {

using namespace html;

namespace {

std::string stretch_layout(const ParallelPlan& p) {
  std::string text = "tp" + std::to_string(p.tp) + " pp" + std::to_string(p.pp) + " dp" + std::to_string(p.dp) + " cp" +
                     std::to_string(p.cp) + " ep" + std::to_string(p.ep);
  if (p.vp > 1) text += " vp" + std::to_string(p.vp);
  return text + " mb" + std::to_string(p.micro_batch);
}

}  // namespace

void write_calendar_answer(const DecisionReport& r, std::ostream& out) {
  const CalendarReport& c = r.calendar;
  const LoadedSchedule& sch = *c.schedule;
  out << "<p class=\"answer\">";
  if (!c.result.finished) {
    out << "<span class=\"problem\">The run does not finish on schedule " << esc(sch.name) << ": " << esc(c.result.problem)
        << "</span></p>\n";
    return;
  }
  out << "Training " << esc(tokens_text(c.training_tokens)) << " tokens as the GPUs arrive (schedule " << esc(sch.name)
      << ", from " << esc(format_iso_date(sch.start_date)) << ") finishes on <b>" << esc(calendar_date(sch, c.result.finish_day))
      << "</b> failure-free (" << fixed(c.result.finish_day, 1) << " days)";
  if (c.with_failures.finished)
    out << " and on <b>" << esc(calendar_date(sch, c.with_failures.finish_day)) << "</b> with failures, restarts and checkpoints ("
        << fixed(c.with_failures.finish_day, 1) << " days)";
  out << ".</p>\n";
}

void write_calendar_section(const DecisionReport& r, std::ostream& out) {
  const CalendarReport& c = r.calendar;
  const LoadedSchedule& sch = *c.schedule;
  const bool law_on = c.efficiency.critical_tokens > 0;
  out << "<section id=\"calendar\">\n<h2>Over calendar time</h2>\n<p class=\"caption\">Tokens trained by date as the GPUs of "
         "schedule "
      << esc(sch.name) << " (" << esc(sch.source) << ") arrive; a new stretch starts at every arrival and batch change, "
      << "with the layout searched again for it. Batch law: " << esc(to_string(c.efficiency.law.kind));
  if (law_on)
    out << " (critical batch " << esc(tokens_text(c.efficiency.critical_tokens)) << " tokens; the token count is stated at "
        << esc(tokens_text(c.efficiency.reference_batch_tokens)) << "-token batches)";
  out << ".</p>\n";
  out << strip_prolog(svg::line_chart_svg(calendar_chart(c)));
  out << "<h3>Arrivals</h3>\n";
  std::vector<std::vector<std::string>> phases{{"date", "GPUs", "spares", "segment"}};
  for (const ArrivalPhase& p : sch.schedule.phases)
    phases.push_back({esc(format_iso_date(sch.start_date + p.day)), grouped(p.gpus), grouped(p.spare_gpus), esc(p.segment)});
  table(out, phases);
  out << "<h3>Stretches</h3>\n";
  std::vector<std::vector<std::string>> rows{
      {"from", "to", "GPUs online", "GPUs used", "batch", "token efficiency", "tokens", "step s", "MFU", "layout"}};
  for (const CalendarSegment& s : c.result.segments) {
    std::vector<std::string> row{esc(calendar_date(sch, s.start_day)), esc(calendar_date(sch, s.end_day)), grouped(s.gpus_online),
                                 grouped(s.gpus_used), grouped(s.global_batch), fixed(s.efficiency, 2),
                                 esc(tokens_text(s.tokens_start) + "–" + tokens_text(s.tokens_end))};
    if (s.gpus_used > 0) {
      row.push_back(fixed(s.plan.step_time_s, 2));
      row.push_back(pct(s.plan.mfu));
      row.push_back(esc(stretch_layout(s.plan.plan)));
    } else {
      row.insert(row.end(), {"", "", "<span class=\"problem\">idle: no plan fits</span>"});
    }
    rows.push_back(row);
  }
  table(out, rows, "wide");
  out << "<p class=\"note\">JSON (<code>--format json</code>) has every date in <code>tokens_by_date</code>; the layouts, cost and "
         "failures below are those of the last stretch's GPU count.</p>\n</section>\n";
}

}  // namespace trainplan
