// The uncertainty section of a plan report: table and JSON.
#include "uncertainty_report.hpp"

#include <ostream>

#include "number_text.hpp"
#include "plan_option_table.hpp"

namespace trainplan {

namespace {

std::string money(double usd) {
  if (usd >= 1e9) return "$" + fixed_decimals(usd / 1e9, 2) + "B";
  if (usd >= 1e6) return "$" + fixed_decimals(usd / 1e6, 1) + "M";
  if (usd >= 1e3) return "$" + fixed_decimals(usd / 1e3, 1) + "K";
  return "$" + fixed_decimals(usd, 0);
}

void row(std::ostream& out, const std::string& label, const std::string& value) {
  std::string padded = label;
  padded.resize(30, ' ');
  out << "  " << padded << value << "\n";
}

std::string multiplier_text(double m) { return "x" + fixed_decimals(m, 2); }

}  // namespace

nlohmann::json uncertainty_json(const UncertaintySummary& s, const UncertaintyModel& model, const std::string& source) {
  nlohmann::json tornado = nlohmann::json::array();
  for (const TornadoBar& bar : s.tornado)
    tornado.push_back({{"input", to_string(bar.input)},
                       {"multiplier_p10", bar.multiplier_p10},
                       {"multiplier_p90", bar.multiplier_p90},
                       {"time_to_train_days_at_p10", bar.days_at_p10},
                       {"time_to_train_days_at_p90", bar.days_at_p90},
                       {"cost_usd_at_p10", bar.cost_at_p10},
                       {"cost_usd_at_p90", bar.cost_at_p90}});
  nlohmann::json inputs = nlohmann::json::object();
  for (int i = 0; i < uncertain_input_count; ++i) {
    const InputDistribution& d = model.inputs[i];
    nlohmann::json one = {{"kind", to_string(d.kind)}, {"p10", d.quantile(0.1)}, {"p50", d.quantile(0.5)}, {"p90", d.quantile(0.9)},
                          {"source", d.source}};
    inputs[to_string(static_cast<UncertainInput>(i))] = one;
  }
  return {{"time_to_train_days_p10", s.days.p10},
          {"time_to_train_days_p50", s.days.p50},
          {"time_to_train_days_p90", s.days.p90},
          {"cost_usd_p10", s.cost_usd.p10},
          {"cost_usd_p50", s.cost_usd.p50},
          {"cost_usd_p90", s.cost_usd.p90},
          {"uncertainty",
           {{"samples", s.samples},
            {"valid_samples", s.valid_samples},
            {"seed", s.seed},
            {"sampling", "Latin hypercube; the layout re-evaluated per sample, not re-searched"},
            {"model_error_input", to_string(s.model_error_input)},
            {"time_to_train_days_failure_free_p10", s.days_failure_free.p10},
            {"time_to_train_days_failure_free_p50", s.days_failure_free.p50},
            {"time_to_train_days_failure_free_p90", s.days_failure_free.p90},
            {"tornado", tornado},
            {"inputs", inputs},
            {"source", source}}}};
}

nlohmann::json range_keys_json(const UncertaintySummary* s) {
  nlohmann::json j = nlohmann::json::object();
  const auto put = [&](const std::string& key, const Percentiles* p) {
    j[key + "_p10"] = p ? nlohmann::json(p->p10) : nlohmann::json(nullptr);
    j[key + "_p50"] = p ? nlohmann::json(p->p50) : nlohmann::json(nullptr);
    j[key + "_p90"] = p ? nlohmann::json(p->p90) : nlohmann::json(nullptr);
  };
  const bool any = s && s->valid_samples > 0;
  put("time_to_train_days", any ? &s->days : nullptr);
  put("time_to_train_days_failure_free", any ? &s->days_failure_free : nullptr);
  put("cost_usd", any ? &s->cost_usd : nullptr);
  return j;
}

std::vector<std::string> range_csv_header() {
  std::vector<std::string> header;
  for (const char* key : {"time_to_train_days", "time_to_train_days_failure_free", "cost_usd"})
    for (const char* q : {"_p10", "_p50", "_p90"}) header.push_back(std::string(key) + q);
  return header;
}

std::vector<std::string> range_csv_cells(const UncertaintySummary* s) {
  const nlohmann::json j = range_keys_json(s);
  std::vector<std::string> cells;
  for (const std::string& key : range_csv_header()) cells.push_back(j[key].is_null() ? "" : option_cell(j[key]));
  return cells;
}

std::string range_table_cell(const UncertaintySummary* s) {
  if (!s || s->valid_samples == 0) return "-";
  return fixed_decimals(s->days.p10, 1) + "-" + fixed_decimals(s->days.p50, 1) + "-" + fixed_decimals(s->days.p90, 1);
}

void write_uncertainty_table(const UncertaintySummary& s, std::ostream& out, const std::string& sampling) {
  out << "\n  uncertainty (p10 / p50 / p90, " << s.samples << " Latin hypercube samples, seed " << s.seed
      << "; " << sampling << ")\n";
  if (s.valid_samples < s.samples)
    row(out, "  impossible in", std::to_string(s.samples - s.valid_samples) + " of " + std::to_string(s.samples) + " samples");
  row(out, "time to train", fixed_decimals(s.days.p10, 1) + " / " + fixed_decimals(s.days.p50, 1) + " / " +
                                fixed_decimals(s.days.p90, 1) + " days (with failures)");
  row(out, "  failure-free", fixed_decimals(s.days_failure_free.p10, 1) + " / " + fixed_decimals(s.days_failure_free.p50, 1) +
                                 " / " + fixed_decimals(s.days_failure_free.p90, 1) + " days");
  row(out, "cost", money(s.cost_usd.p10) + " / " + money(s.cost_usd.p50) + " / " + money(s.cost_usd.p90));
  if (s.tornado.empty()) return;
  out << "  what moves it most (each input p10 -> p90, the others at p50)\n";
  for (const TornadoBar& bar : s.tornado)
    row(out, std::string("  ") + to_string(bar.input),
        multiplier_text(bar.multiplier_p10) + " -> " + multiplier_text(bar.multiplier_p90) + ": " + fixed_decimals(bar.days_at_p10, 1) +
            " -> " + fixed_decimals(bar.days_at_p90, 1) + " days, " + money(bar.cost_at_p10) + " -> " + money(bar.cost_at_p90));
}

}  // namespace trainplan
