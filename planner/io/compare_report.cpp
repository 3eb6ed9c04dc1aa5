#include "compare_report.hpp"

#include <ostream>

#include "cost_table.hpp"  // ---- cost labelling ----
#include "labelled_notes_text.hpp"
#include "number_text.hpp"
#include "plan_row.hpp"
#include "row_writer.hpp"
#include "uncertainty_report.hpp"

namespace trainplan {

void write_compare_report(const std::vector<CompareRow>& rows_in, ReportFormat format, std::ostream& out) {
  if (format == ReportFormat::json) {
    nlohmann::json j = nlohmann::json::array();
    for (const auto& r : rows_in) {
      nlohmann::json row = {{"variant", r.label}, {"fabric", r.fabric}, {"total_switches", r.size.total_switches},
                            {"total_cables", r.size.total_cables}, {"bisection_gb_s", r.size.bisection_gb_s},
                            {"max_gpus", r.size.max_gpus}};
      row["plan"] = plan_result_json(r.plan);
      if (r.plan.valid) row["economics"] = economics_json(r.economics);
      row.update(range_keys_json(r.ranges ? &*r.ranges : nullptr));  // ---- ranges ----
      if (r.ranges_sampling) row["ranges_sampling"] = ranges_sampling_json(&*r.ranges_sampling);
      j.push_back(row);
    }
    out << nlohmann::json{{"variants", j}}.dump(2) << "\n";
    return;
  }
  if (format == ReportFormat::csv) {
    TextRows rows;
    std::vector<std::string> header = plan_csv_header(true);
    header.insert(header.begin(), {"variant", "fabric"});
    header.insert(header.end(), {"total_switches", "total_cables"});
    for (const std::string& key : range_csv_header()) header.push_back(key);
    header.insert(header.end(), {"capital_usd", "network_capital_usd"});  // ---- cost labelling ----
    rows.push_back(header);
    for (const auto& r : rows_in) {
      std::vector<std::string> row = plan_csv_cells(r.plan, &r.economics);
      row.insert(row.begin(), {r.label, r.fabric});
      row.insert(row.end(), {std::to_string(r.size.total_switches), std::to_string(r.size.total_cables)});
      for (const std::string& cell : range_csv_cells(r.ranges ? &*r.ranges : nullptr)) row.push_back(cell);
      row.insert(row.end(), {r.plan.valid ? fixed_decimals(r.economics.capital.total(), 0) : "",
                             r.plan.valid ? fixed_decimals(r.economics.capital.network_usd(), 0) : ""});  // ---- cost labelling ----
      rows.push_back(row);
    }
    write_rows(rows, true, out);
    return;
  }
  TextRows rows;
  std::vector<std::string> header = plan_table_header(true);
  header.insert(header.begin(), "variant");
  header.insert(header.end(), {"switches", "cables", "network $M", "vs first $M", "days+fail p10-p50-p90"});
  rows.push_back(header);
  std::vector<std::string> impossible;
  std::vector<std::string> too_large;  // ---- plans the table shows that do not fit: said under it ----
  const RunEconomics* first = nullptr;  // ---- cost labelling: network capital against the first variant ----
  const RunEconomics* basis_of = nullptr;
  for (const auto& r : rows_in) {
    if (!r.plan.valid) {
      impossible.push_back(r.label + ": impossible plan: " + (r.plan.problems.empty() ? "" : r.plan.problems.front()));
      continue;
    }
    std::vector<std::string> row = plan_table_cells(r.plan, &r.economics);
    row.insert(row.begin(), r.label.substr(0, 44));
    if (!r.plan.fits_in_memory)
      too_large.push_back(r.label + ": does not fit in memory: " + fixed_decimals(r.plan.memory_per_gpu_gib, 1) + " GiB per GPU of " +
                          fixed_decimals(r.plan.memory_capacity_gib, 0) +
                          (r.plan.memory_headroom_gib > 0 ? " less " + fixed_decimals(r.plan.memory_headroom_gib, 1) + " GiB headroom" : ""));
    if (!first) first = &r.economics;
    basis_of = &r.economics;
    const double network_change = r.economics.capital.network_usd() - first->capital.network_usd();
    std::string network_change_text = fixed_decimals(network_change / 1e6, 1);
    if (network_change > 0) network_change_text.insert(0, 1, '+');
    row.insert(row.end(), {std::to_string(r.size.total_switches), std::to_string(r.size.total_cables),
                           fixed_decimals(r.economics.capital.network_usd() / 1e6, 1), network_change_text,
                           range_table_cell(r.ranges ? &*r.ranges : nullptr)});
    rows.push_back(row);
  }
  write_rows(rows, false, out);
  for (const auto& r : rows_in)  // ---- how the ranges were sampled (the same for every variant) ----
    if (r.ranges_sampling) {
      out << "p10-p50-p90: " << r.ranges_sampling->text << "\n";
      break;
    }
  if (basis_of) out << "cost: " << cost_basis_line(*basis_of) << "; network $M: the purchase of switches, links and NICs\n";
  std::vector<std::pair<std::string, std::vector<std::string>>> noted;  // ---- how the plans were costed ----
  for (const auto& r : rows_in)
    if (r.plan.valid) noted.emplace_back(r.label, r.plan.notes);
  for (const auto& line : labelled_notes_lines(noted, "variants")) out << line << "\n";
  for (const auto& line : too_large) out << line << "\n";
  for (const auto& line : impossible) out << line << "\n";
}

}  // namespace trainplan
