#include "sweep_report.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <ostream>

#include "number_text.hpp"
#include "plan_option_table.hpp"
#include "cost_table.hpp"  // ---- cost labelling ----
#include "labelled_notes_text.hpp"
#include "plan_row.hpp"
#include "row_writer.hpp"
#include "uncertainty_report.hpp"

namespace trainplan {

namespace {
// The ranges of point i of series si (nullptr: not sampled).
const UncertaintySummary* range_at(const SweepReport& r, std::size_t si, std::size_t i) {
  if (si >= r.ranges.size() || i >= r.ranges[si].size() || !r.ranges[si][i]) return nullptr;
  return &*r.ranges[si][i];
}

// How point i of series si was sampled (nullptr: not sampled).
const RangesSampling* sampling_at(const SweepReport& r, std::size_t si, std::size_t i) {
  if (si >= r.ranges_sampling.size() || i >= r.ranges_sampling[si].size() || !r.ranges_sampling[si][i]) return nullptr;
  return &*r.ranges_sampling[si][i];
}

// One line for the table: how the p10-p50-p90 column was sampled over every point.
std::string sampling_line(const SweepReport& r) {
  int points = 0, fixed = 0, samples = 0, other = 0;
  for (const auto& series : r.ranges_sampling)
    for (const auto& s : series) {
      if (!s) continue;
      ++points;
      if (s->layout != "re-searched") {
        ++fixed;
        continue;
      }
      samples += s->samples;
      other += s->samples_with_other_plan;
    }
  if (points == 0) return "";
  if (fixed == points) return "p10-p50-p90: layout fixed by flags, not re-searched";
  return "p10-p50-p90: layout re-searched per sample at each count (the space's best plan at the sample's routing efficiency); "
         "another plan than the count's best in " + std::to_string(other) + " of " + std::to_string(samples) + " samples" +
         (fixed > 0 ? "; " + std::to_string(fixed) + " counts fixed by flags" : "");
}
}  // namespace

std::string point_problem_text(const SweepSeries& s, const CountOutcome& p) {
  switch (point_problem(p)) {
    case PointProblem::none: return "";
    case PointProblem::beyond_reach: return beyond_reach_reason(s.fabric_name, s.reach_gpus);
    case PointProblem::no_layout: return "no layout";
    case PointProblem::none_fits: return "none fits";
  }
  return "";
}

std::string beyond_reach_reason(const std::string& fabric_name, int reach_gpus) {
  return "the fabric " + fabric_name + " reaches at most " + std::to_string(reach_gpus) + " GPUs";
}

std::vector<ReportSweepCurve> sweep_curves(const std::vector<SweepSeries>& series, const PointEconomics& economics_of) {
  std::vector<ReportSweepCurve> curves;
  for (std::size_t si = 0; si < series.size(); ++si) {
    const SweepSeries& s = series[si];
    ReportSweepCurve curve{s.fabric_name, {}};
    for (std::size_t i = 0; i < s.points.size(); ++i) {
      const CountOutcome& p = s.points[i];
      ReportSweepPoint point{p, false, {}, point_problem_text(s, p), false, {}};
      if (p.found) {
        const std::optional<RunEconomics> e = economics_of(si, i);
        if (e) {
          point.has_economics = true;
          point.economics = *e;
        }
      }
      curve.points.push_back(std::move(point));
    }
    curves.push_back(std::move(curve));
  }
  return curves;
}

std::vector<ReportSweepCurve> sweep_curves(const std::vector<SweepSeries>& series) {
  return sweep_curves(series, [&](std::size_t si, std::size_t i) { return series[si].economics[i]; });
}

namespace {
const NoLayoutNote* no_layout_at(const SweepReport& r, std::size_t series, std::size_t point) {
  if (series >= r.no_layout.size() || point >= r.no_layout[series].size() || !r.no_layout[series][point]) return nullptr;
  return &*r.no_layout[series][point];
}
}  // namespace

void write_sweep_report(const SweepReport& r, ReportFormat format, std::ostream& out) {
  const std::vector<SweepSeries>& series = r.series;
  const std::string& model_name = r.model;
  const std::string& gpu_name = r.gpu;
  const std::size_t counts = r.counts;
  const double seconds = r.seconds;
  const std::int64_t evaluated = sweep_totals(series).evaluated;
  switch (format) {
    case ReportFormat::json: {
      nlohmann::json points = nlohmann::json::array();
      for (std::size_t si = 0; si < series.size(); ++si)
        for (std::size_t i = 0; i < series[si].points.size(); ++i) {
          const SweepSeries& s = series[si];
          const CountOutcome& p = s.points[i];
          const auto value = [&](double v) { return p.found ? nlohmann::json(v) : nlohmann::json(nullptr); };
          points.push_back({{"topology", s.fabric_name},
                            {"gpus", p.gpus},
                            {"found", p.found},
                            {"reachable", p.reachable},
                            {"time_to_train_days_failure_free", value(p.best.time_to_train_days)},
                            {"mfu", value(p.best.mfu)},
                            {"tokens_per_second", value(p.best.tokens_per_second)},
                            {"step_time_s", value(p.best.step_time_s)},
                            {"gpu_days", value(p.gpu_days())},
                            {"evaluated", p.evaluated},
                            {"feasible", p.feasible},
                            {"plan", p.found ? plan_result_json(p.best) : nlohmann::json(nullptr)}});
          if (!p.found) points.back()["problem"] = point_problem_text(s, p);
          if (const NoLayoutNote* note = no_layout_at(r, si, i)) {  // ---- no layout: why, nearest counts ----
            points.back()["reason"] = note->reason;
            if (note->step > 0) {
              const auto count = [](int n) { return n > 0 ? nlohmann::json(n) : nlohmann::json(nullptr); };
              points.back()["nearest_gpus"] = {{"below", count(note->nearest.below)}, {"above", count(note->nearest.above)}};
            }
          }
          if (p.found) {
            const RunEconomics e = *s.economics[i];
            points.back()["economics"] = economics_json(e);
            points.back()["cost_usd"] = e.cost_usd;
            points.back()["energy_mwh"] = e.energy_mwh;
            points.back()["time_to_train_days"] = e.time_to_train_days;
          }
          points.back().update(range_keys_json(range_at(r, si, i)));  // ---- ranges ----
          if (const RangesSampling* how = sampling_at(r, si, i)) points.back()["ranges_sampling"] = ranges_sampling_json(how);
        }
      const nlohmann::json j = {{"model", model_name}, {"gpu", gpu_name},         {"points", points},
                                {"evaluated", evaluated}, {"seconds", seconds}};
      out << j.dump(2) << "\n";
      break;
    }
    case ReportFormat::csv: {
      TextRows rows;
      std::vector<std::string> header = plan_csv_header(true);
      header.insert(header.begin(), {"topology", "gpus", "found", "gpu_days"});
      header.push_back("problem");
      for (const std::string& key : range_csv_header()) header.push_back(key);
      rows.push_back(header);
      for (std::size_t si = 0; si < series.size(); ++si)
        for (std::size_t i = 0; i < series[si].points.size(); ++i) {
          const SweepSeries& s = series[si];
          const CountOutcome& p = s.points[i];
          const RunEconomics* e = p.found && s.economics[i] ? &*s.economics[i] : nullptr;
          std::vector<std::string> row = e ? plan_csv_cells(p.best, e) : plan_csv_empty_cells(true);
          row.insert(row.begin(), {s.fabric_name, std::to_string(p.gpus), p.found ? "true" : "false",
                                   p.found ? option_cell(p.gpu_days()) : ""});
          row.push_back(point_problem_text(s, p));
          for (const std::string& cell : range_csv_cells(range_at(r, si, i))) row.push_back(cell);
          rows.push_back(row);
        }
      write_rows(rows, true, out);
      break;
    }
    case ReportFormat::table: {
      out << "trainplan sweep: " << model_name << " on " << gpu_name << ", " << counts << " GPU counts x "
          << series.size() << " topologies, " << evaluated << " plans evaluated in " << fixed_decimals(seconds, 2) << " s\n\n";
      TextRows rows;
      std::vector<std::string> header = plan_table_header(true);
      header.insert(header.begin(), {"topology", "GPUs", "GPU-days"});
      const bool ranged = !r.ranges.empty();
      if (ranged) header.push_back("days+fail p10-p50-p90");
      // ---- sites: each row's rank order, where a fabric has sites or a plan a non-default order ----
      const bool ordered = std::any_of(series.begin(), series.end(), [](const SweepSeries& s) {
        return s.sites || std::any_of(s.points.begin(), s.points.end(),
                                      [](const CountOutcome& p) { return p.found && !(p.best.plan.rank_order == RankOrder{}); });
      });
      if (ordered) header.push_back("rank order");
      // ---- activation offloading: each row's, where some plan offloads ----
      const bool offloads = std::any_of(series.begin(), series.end(), [](const SweepSeries& s) {
        return std::any_of(s.points.begin(), s.points.end(),
                           [](const CountOutcome& p) { return p.found && p.best.plan.activation_offload_layers > 0; });
      });
      if (offloads) header.push_back("activation offload");
      rows.push_back(header);
      for (std::size_t si = 0; si < series.size(); ++si)
        for (std::size_t i = 0; i < series[si].points.size(); ++i) {
          const SweepSeries& s = series[si];
          const CountOutcome& p = s.points[i];
          std::vector<std::string> row = plan_table_empty_cells(true);
          if (p.found) {
            const RunEconomics e = *s.economics[i];
            row = plan_table_cells(p.best, &e);
          }
          // A point without a plan says why in its GPU-days cell.
          const std::string gpu_days = p.found ? (p.best.time_to_train_days > 0 ? fixed_decimals(p.gpu_days(), 0) : "-") : p.reachable ? point_problem_text(s, p) : "beyond reach";
          row.insert(row.begin(), {s.fabric_name, std::to_string(p.gpus), gpu_days});
          if (ranged) row.push_back(range_table_cell(range_at(r, si, i)));
          if (ordered) row.push_back(p.found ? to_string(p.best.plan.rank_order) : "");
          if (offloads) row.push_back(p.found ? activation_offload_cell(p.best) : "");
          rows.push_back(row);
        }
      write_rows(rows, false, out);
      {  // ---- how each count's best plan was costed (core/plan_notes.hpp) ----
        std::vector<std::pair<std::string, std::vector<std::string>>> noted;
        for (const SweepSeries& s : series)
          for (const CountOutcome& p : s.points)
            if (p.found) noted.emplace_back((series.size() > 1 ? s.fabric_name + " " : "") + std::to_string(p.gpus), p.best.notes);
        for (const auto& line : labelled_notes_lines(noted, "GPU counts")) out << line << "\n";
      }
      if (const std::string how = sampling_line(r); !how.empty()) out << how << "\n";  // ---- how the ranges were sampled ----
      for (const SweepSeries& s : series)  // ---- cost labelling: what the cost column holds ----
        if (const auto e = std::find_if(s.economics.begin(), s.economics.end(), [](const auto& x) { return x && has_time_to_train(*x); });
            e != s.economics.end()) {
          out << "cost: " << cost_basis_line(**e) << "\n";
          break;
        }
      for (const SweepSeries& s : series)
        if (std::any_of(s.points.begin(), s.points.end(), [](const CountOutcome& p) { return !p.reachable; }))
          out << "\nbeyond reach: " << beyond_reach_reason(s.fabric_name, s.reach_gpus) << " (those counts are not planned)\n";
      bool first_note = true;  // ---- no layout: why, and the nearest counts ----
      for (std::size_t si = 0; si < series.size(); ++si)
        for (std::size_t i = 0; i < series[si].points.size(); ++i)
          if (const NoLayoutNote* note = no_layout_at(r, si, i)) {
            out << (first_note ? "\n" : "") << series[si].fabric_name << ": " << note->text() << "\n";
            first_note = false;
          }
      break;
    }
  }
}

}  // namespace trainplan
