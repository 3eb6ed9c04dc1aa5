#include "size_report.hpp"

#include <ostream>

#include "number_text.hpp"
#include "plan_option_table.hpp"
#include "cost_table.hpp"  // ---- cost labelling ----
#include "plan_row.hpp"
#include "row_writer.hpp"
#include "uncertainty_report.hpp"

namespace trainplan {

namespace {

// Days with failures of the i-th count searched (0 when the caller did not give them).
double days_with_failures(const SizeReport& r, std::size_t i) {
  return i < r.searched_days_with_failures.size() ? r.searched_days_with_failures[i] : 0.0;
}

// With --confidence: the i-th count's days with failures at that quantile (0 when not sampled).
double days_at_confidence(const SizeReport& r, std::size_t i) {
  return i < r.searched_days_at_confidence.size() ? r.searched_days_at_confidence[i] : 0.0;
}

nlohmann::json searched_json(const SizeReport& r) {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t i = 0; i < r.result.searched.size(); ++i) {
    const CountOutcome& o = r.result.searched[i];
    const bool with = o.found && days_with_failures(r, i) > 0;
    list.push_back({{"gpus", o.gpus},
                    {"found", o.found},
                    {"time_to_train_days", with ? nlohmann::json(days_with_failures(r, i)) : nlohmann::json(nullptr)},
                    {"time_to_train_days_failure_free", o.found ? nlohmann::json(o.best.time_to_train_days) : nlohmann::json(nullptr)},
                    {"evaluated", o.evaluated}});
    if (r.confidence > 0)  // ---- size --confidence ----
      list.back()["time_to_train_days_at_confidence"] = days_at_confidence(r, i) > 0 ? nlohmann::json(days_at_confidence(r, i)) : nlohmann::json(nullptr);
  }
  return list;
}

// The days a count is held to, for people ("54.2 d with failures").
std::string count_days_text(const SizeReport& r, std::size_t i) {
  const CountOutcome& o = r.result.searched[i];
  if (!o.found) return o.evaluated == 0 ? "no layout" : "none fits";
  const double with = days_with_failures(r, i);
  if (r.deadline_basis == "failure-free" || with <= 0) return fixed_decimals(o.best.time_to_train_days, 1) + " d";
  // With --confidence the deadline held the count to a quantile of its days: show it beside the point.
  const double confident = days_at_confidence(r, i);
  if (confident > 0) return fixed_decimals(with, 1) + " d (p" + fixed_decimals(100 * r.confidence, 0) + " " + fixed_decimals(confident, 1) + " d)";
  return fixed_decimals(with, 1) + " d";
}

// The same, with what the days count: "46.4 d with failures", "46.4 d with failures, p90 96.5 d".
std::string count_days_with_basis_text(const SizeReport& r, std::size_t i) {
  const CountOutcome& o = r.result.searched[i];
  const double with = days_with_failures(r, i);
  if (r.deadline_basis == "failure-free" || with <= 0) return fixed_decimals(o.best.time_to_train_days, 1) + " d failure-free";
  const double confident = days_at_confidence(r, i);
  return fixed_decimals(with, 1) + " d with failures" +
         (confident > 0 ? ", p" + fixed_decimals(100 * r.confidence, 0) + " " + fixed_decimals(confident, 1) + " d" : "");
}

}  // namespace

std::string sizing_problem(const SizeReport& r) {
  if (!r.power_cap_problem.empty()) return r.power_cap_problem;
  const std::string reach = "the fabric " + r.fabric + " reaches at most " + std::to_string(r.reach_gpus) + " GPUs";
  switch (sizing_failure(r.result, r.by_deadline, r.grid)) {
    case SizingFailure::none: return "";
    case SizingFailure::beyond_reach_below_grid:
      return reach + ", fewer than the smallest count considered (" + std::to_string(r.grid.first()) + ")";
    case SizingFailure::needs_beyond_reach: {
      const int largest = r.result.reachable_last;
      std::string problem = "the deadline of " + fixed_decimals(r.deadline_days, 1) + " days needs more than " +
                            std::to_string(largest) + " GPUs, but " + reach;
      for (std::size_t i = 0; i < r.result.searched.size(); ++i)
        if (r.result.searched[i].gpus == largest)
          problem += r.result.searched[i].found
                         ? " (best plan at " + std::to_string(largest) + " GPUs: " + count_days_with_basis_text(r, i) + ")"
                         : " (no plan fits at " + std::to_string(largest) + " GPUs)";
      return problem;
    }
    case SizingFailure::no_count_meets:
      return "no GPU count from " + std::to_string(r.grid.first()) + " to " + std::to_string(r.grid.last()) + " (multiples of " +
             std::to_string(r.grid.step) + ") meets the deadline";
    case SizingFailure::nothing_fits:
      if (r.no_layout) return r.no_layout->text();  // ---- no layout ----
      return "no plan of the space fits in memory on " + std::to_string(r.gpus) + " GPUs";
  }
  return "";
}

void write_size_report(const SizeReport& r, ReportFormat format, std::ostream& out) {
  switch (format) {
    case ReportFormat::json: {
      nlohmann::json j = {{"model", r.model},
                          {"gpu", r.gpu},
                          {"fabric", r.fabric},
                          {"fabric_max_gpus", r.reach_gpus},
                          {"training_tokens", r.training_tokens},
                          {"mode", r.by_deadline ? "deadline" : "gpus"},
                          {"found", r.result.found},
                          {"gpus", r.result.found ? nlohmann::json(r.result.chosen.gpus) : nlohmann::json(nullptr)},
                          {"time_to_train_days", r.economics ? nlohmann::json(r.economics->time_to_train_days) : nlohmann::json(nullptr)},
                          {"time_to_train_days_failure_free",
                           r.result.found ? nlohmann::json(r.result.chosen.best.time_to_train_days) : nlohmann::json(nullptr)},
                          {"gpu_days", r.result.found ? nlohmann::json(r.result.chosen.gpu_days()) : nlohmann::json(nullptr)},
                          {"plan", r.result.found ? plan_result_json(r.result.chosen.best) : nlohmann::json(nullptr)},
                          {"cost_usd", r.economics ? nlohmann::json(r.economics->cost_usd) : nlohmann::json(nullptr)},
                          {"economics", r.economics ? economics_json(*r.economics) : nlohmann::json(nullptr)},
                          {"searched", searched_json(r)},
                          {"seconds", r.result.seconds}};
      if (!r.result.found) j["problem"] = sizing_problem(r);
      j.update(range_keys_json(r.result.found && r.ranges ? &*r.ranges : nullptr));  // ---- ranges ----
      if (r.result.found && r.ranges) j["ranges_sampling"] = ranges_sampling_json(r.ranges_sampling ? &*r.ranges_sampling : nullptr);
      if (!r.result.found && r.no_layout) {  // ---- no layout: the nearest counts with a plan ----
        const auto count = [](int n) { return n > 0 ? nlohmann::json(n) : nlohmann::json(nullptr); };
        j["nearest_gpus"] = {{"below", count(r.no_layout->nearest.below)}, {"above", count(r.no_layout->nearest.above)}};
      }
      if (r.by_deadline) {
        j["deadline_days"] = r.deadline_days;
        j["deadline_basis"] = r.deadline_basis;
        if (r.power_cap_mw > 0) j["power_cap_mw"] = r.power_cap_mw;
        j["granularity"] = r.grid.step;
        j["min_gpus"] = r.grid.first();
        j["max_gpus"] = r.grid.last();
      }
      if (r.confidence > 0) {  // ---- size --confidence ----
        j["confidence"] = r.confidence;
        j["time_to_train_days_at_confidence"] = r.result.found ? nlohmann::json(r.confident_days) : nlohmann::json(nullptr);
      }
      out << j.dump(2) << "\n";
      break;
    }
    case ReportFormat::csv: {
      TextRows rows;
      std::vector<std::string> header = plan_csv_header(true);
      header.insert(header.begin(), {"gpus", "found"});
      for (const std::string& key : range_csv_header()) header.push_back(key);
      rows.push_back(header);
      if (r.result.found) {
        std::vector<std::string> row = plan_csv_cells(r.result.chosen.best, &*r.economics);
        row.insert(row.begin(), {std::to_string(r.result.chosen.gpus), "true"});
        for (const std::string& cell : range_csv_cells(r.ranges ? &*r.ranges : nullptr)) row.push_back(cell);
        rows.push_back(row);
      }
      write_rows(rows, true, out);
      break;
    }
    case ReportFormat::table: {
      out << "trainplan size: " << r.model << ", " << tokens_text(r.training_tokens) << " tokens on " << r.gpu << " ("
          << r.fabric << ")";
      if (r.by_deadline)
        out << ", deadline " << fixed_decimals(r.deadline_days, 1) << " days "
            << (r.deadline_basis == "failure-free" ? "failure-free" : "with failures");
      out << "\n";
      if (!r.result.found) {
        out << "  " << sizing_problem(r) << "\n";
      } else {
        out << "  GPUs                    " << r.result.chosen.gpus;
        if (r.by_deadline) out << " (smallest multiple of " << r.grid.step << " found to meet the deadline)";
        if (r.confidence > 0)  // ---- size --confidence ----
          out << "\n  with confidence " << fixed_decimals(100 * r.confidence, 0) << "%      "
              << fixed_decimals(r.confident_days, 1) << " days or less with failures (docs/uncertainty.md)";
        out << "\n  time to train           " << fixed_decimals(r.result.chosen.best.time_to_train_days, 1) << " days failure-free, "
            << fixed_decimals(r.economics->time_to_train_days, 1) << " days with failures and checkpoints\n"
            << (r.ranges ? "  p10 / p50 / p90         " + fixed_decimals(r.ranges->days.p10, 1) + " / " + fixed_decimals(r.ranges->days.p50, 1) +
                               " / " + fixed_decimals(r.ranges->days.p90, 1) + " days with failures (model error and inputs sampled)\n" +
                               (r.ranges_sampling ? "  ranges sampled          " + r.ranges_sampling->text + "\n" : std::string())
                         : std::string())
            << "  GPU-days                " << fixed_decimals(r.result.chosen.gpu_days(), 0) << "\n"
            << "  cost (" << to_string(r.economics->basis) << ")              $" << fixed_decimals(r.economics->cost_usd / 1e6, 1) << "M\n"
            << "  cost basis              " << cost_basis_line(*r.economics) << "\n";  // ---- cost labelling ----
        out << "  best plan\n";
        std::vector<std::string> header = plan_table_header(true), cells = plan_table_cells(r.result.chosen.best, &*r.economics);
        if (r.fabric_sites || !(r.result.chosen.best.plan.rank_order == RankOrder{})) {  // ---- sites: the plan's rank order ----
          header.push_back("rank order");
          cells.push_back(to_string(r.result.chosen.best.plan.rank_order));
        }
        if (r.result.chosen.best.plan.activation_offload_layers > 0) {  // ---- activation offloading ----
          header.push_back("activation offload");
          cells.push_back(activation_offload_cell(r.result.chosen.best));
        }
        write_rows({header, cells}, false, out);
        for (const auto& note : r.result.chosen.best.notes) out << "  note: " << note << "\n";  // how it was costed
      }
      if (r.by_deadline) {
        out << "  counts searched         ";
        for (std::size_t i = 0; i < r.result.searched.size(); ++i) {
          const CountOutcome& o = r.result.searched[i];
          out << (i ? ", " : "") << o.gpus << ": " << count_days_text(r, i);
        }
        out << "\n";
      }
      break;
    }
  }
}

}  // namespace trainplan
