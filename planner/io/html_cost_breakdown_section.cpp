// The decision report's cost breakdown: the table of the plan JSON's `cost_breakdown` (one source of
// the figures, planner/io/cost_table), so the page and the JSON cannot disagree.
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cost_table.hpp"
#include "html_blocks.hpp"
#include "html_sections.hpp"

namespace trainplan {

using namespace html;

namespace {

using Json = nlohmann::json;

double number(const Json& j, const char* key) { return j.contains(key) && j[key].is_number() ? j[key].get<double>() : 0.0; }
bool known(const Json& j, const char* key) { return j.contains(key) && j[key].is_number(); }

// "published: <document> (cost.gpu_usd)", "user: set by the user", or "–" when the provenance is unknown.
std::string source_cell(const Json& source) {
  if (!source.is_object()) return "–";
  const std::string kind = source.value("kind", "");
  const std::string text = source.value("source", "");
  const std::string field = source.value("field", "");
  return esc(kind) + ": " + esc(text.empty() ? "set by the user" : text) + (kind == "user" ? "" : " <code>" + esc(field) + "</code>");
}

std::string count_text(double v) { return v == static_cast<double>(static_cast<long long>(v)) ? grouped(static_cast<long long>(v)) : fixed(v, 1); }

}  // namespace

void write_cost_breakdown_table(const RunEconomics& e, std::ostream& out) {
  const Json b = cost_breakdown_json(e);
  const bool rent = e.basis == CostBasis::rent;
  const Json& purchase = b["purchase"];
  const std::string purchase_in_cost = rent ? "no (the rent includes it)" : "as its share";
  std::vector<std::vector<std::string>> rows{{"part", "quantity × price", "amount", "in the cost", "source"}};

  const Json& gpus = purchase["gpus"];
  std::string gpu_price = count_text(number(gpus, "count")) + " × " + usd(number(gpus, "unit_usd"));
  if (number(gpus, "unit_usd_low") < number(gpus, "unit_usd_high"))
    gpu_price += " (range " + usd(number(gpus, "unit_usd_low")) + "–" + usd(number(gpus, "unit_usd_high")) + ")";
  rows.push_back({"GPUs", gpu_price, usd(number(gpus, "usd")), purchase_in_cost, source_cell(gpus["source"])});
  const Json& servers = purchase["servers"];
  rows.push_back({"servers", count_text(number(servers, "count")) + " GPUs × " + usd(number(servers, "unit_usd")) + " per GPU",
                  usd(number(servers, "usd")), purchase_in_cost, source_cell(servers["source"])});
  const Json& network = purchase["network"];
  if (network["lines"].empty())
    rows.push_back({"network", "not counted (no fabric sizing)", usd(number(network, "usd")), purchase_in_cost, "–"});
  for (const Json& line : network["lines"]) {
    std::string what = count_text(number(line, "count")) + " × " + usd(number(line, "unit_usd"));
    if (number(line, "gbit_s") > 0) what += " (" + fixed(number(line, "gbit_s"), 0) + "G)";
    rows.push_back({esc(line.value("item", "network")), what, usd(number(line, "usd")), purchase_in_cost, source_cell(line["source"])});
  }
  const Json& storage = purchase["storage"];
  rows.push_back({"storage", fixed(number(storage, "tb"), 1) + " TB × " + usd(number(storage, "unit_usd_per_tb")) + "/TB",
                  usd(number(storage, "usd")), purchase_in_cost, source_cell(storage["source"])});
  rows.push_back({"<b>purchase</b>", "", "<b>" + usd(number(purchase, "total_usd")) + "</b>", purchase_in_cost, ""});

  const Json& share = b["amortization"];
  rows.push_back({"amortised share",
                  known(share, "fraction") ? pct(number(share, "fraction"), 2) + " of the purchase (written off over " +
                                                 fixed(number(share, "years"), 1) + " years)"
                                           : "needs --tokens",
                  known(share, "usd") ? usd(number(share, "usd")) : "–", rent ? "no" : "yes", source_cell(share["source"])});
  const Json& energy = b["energy"];
  rows.push_back({"energy",
                  (known(energy, "mwh") ? fixed(number(energy, "mwh"), 0) + " MWh × " : std::string()) + "$" +
                      fixed(number(energy, "usd_per_kwh"), 3) + "/kWh (" + fixed(number(energy, "power_mw"), 1) + " MW = IT " +
                      fixed(number(energy, "it_power_mw"), 1) + " MW × PUE " + fixed(number(energy, "pue"), 2) + ")",
                  known(energy, "usd") ? usd(number(energy, "usd")) : "–", energy.value("in_cost", false) ? "yes" : "no (in the rent)",
                  source_cell(energy["source"]) + (energy["pue_source"].is_object() ? "; PUE " + source_cell(energy["pue_source"]) : "")});
  const Json& hire = b["rent"];
  std::string rate = usd(number(hire, "usd_per_gpu_hour"));
  if (number(hire, "usd_per_gpu_hour_low") < number(hire, "usd_per_gpu_hour_high"))
    rate += " (range " + usd(number(hire, "usd_per_gpu_hour_low")) + "–" + usd(number(hire, "usd_per_gpu_hour_high")) + ")";
  rows.push_back({"rent",
                  (known(hire, "gpu_hours") ? human(number(hire, "gpu_hours")) + " GPU-hours × " : std::string()) +
                      rate + " per GPU-hour" + (number(hire, "year") > 0 ? ", " + fixed(number(hire, "year"), 0) + " prices" : ""),
                  known(hire, "usd") ? usd(number(hire, "usd")) : "–", hire.value("in_cost", false) ? "yes" : "no",
                  source_cell(hire["source"])});
  out << "<h3>Cost breakdown</h3>\n<p class=\"caption\">Basis: " << esc(to_string(e.basis))
      << (rent ? " (GPU-hours × the hourly rate, capital, power and facility included)"
               : " (the run's share of the purchase, straight-line write-off, + energy)")
      << "; the same figures as the plan JSON's <code>cost_breakdown</code>.</p>\n";
  // A source repeated from the row above (the network lines share one price row) is said once.
  for (std::size_t i = rows.size() - 1; i > 1; --i)
    if (!rows[i][4].empty() && rows[i][4] != "–" && rows[i][4] == rows[i - 1][4]) rows[i][4] = "as above";
  table(out, rows);
}

}  // namespace trainplan
