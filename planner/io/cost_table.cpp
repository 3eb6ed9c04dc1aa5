#include "planner/io/cost_table.hpp"

#include <algorithm>
#include <cmath>
#include <ostream>
#include <vector>

#include "planner/io/number_text.hpp"

namespace trainplan {

namespace {

constexpr double days_per_year = 365.25;
constexpr const char* data_file = "planner/data/economics.yaml";

// 1234567.8 -> "1,234,568" (decimals 0) or "1,234,567.80".
std::string grouped(double v, int decimals) {
  std::string text = fixed_decimals(std::fabs(v), decimals);
  const std::size_t dot = text.find('.');
  std::string whole = text.substr(0, dot);
  const std::string rest = dot == std::string::npos ? "" : text.substr(dot);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
  return (v < 0 ? "-" : "") + whole + rest;
}

// A total: $2.50B, $390.9M, $133.0K, $950.
std::string money(double v) {
  if (std::fabs(v) >= 1e9) return "$" + fixed_decimals(v / 1e9, 2) + "B";
  if (std::fabs(v) >= 1e6) return "$" + fixed_decimals(v / 1e6, 1) + "M";
  if (std::fabs(v) >= 1e3) return "$" + fixed_decimals(v / 1e3, 1) + "K";
  return "$" + fixed_decimals(v, 0);
}

// A unit price: $35,000, $390.63, $3.10.
std::string price(double v) { return "$" + grouped(v, v >= 1000 || v == std::floor(v) ? 0 : 2); }

std::string count_text(double v) { return grouped(v, v == std::floor(v) ? 0 : 1); }

void row(std::ostream& out, const std::string& label, const std::string& value) {
  std::string padded = label;
  padded.resize(std::max<std::size_t>(30, padded.size() + 1), ' ');  // a long label keeps one space before its value
  out << "  " << padded << value << "\n";
}

// The sources a table cites, numbered in the order first cited.
class Citations {
 public:
  explicit Citations(const RunEconomics& e) : e_(e) {}
  // "[n]" for the provenance of `path`; "" when it is not known.
  std::string cite(const std::string& path) {
    const Provenance* p = find(path);
    if (!p) return "";
    const std::string text = p->kind + ": " + (p->source.empty() ? std::string("set by the user") : p->source) +
                             (p->kind == "user" ? "" : " (" + std::string(data_file) + " " + path + ")");
    for (std::size_t i = 0; i < texts_.size(); ++i)
      if (texts_[i] == text) return " [" + std::to_string(i + 1) + "]";
    texts_.push_back(text);
    return " [" + std::to_string(texts_.size()) + "]";
  }
  const std::vector<std::string>& texts() const { return texts_; }
  const Provenance* find(const std::string& path) const {
    if (!e_.sources) return nullptr;
    const auto it = e_.sources->find(path);
    return it == e_.sources->end() ? nullptr : &it->second;
  }

 private:
  const RunEconomics& e_;
  std::vector<std::string> texts_;
};

// The provenance path of a network line: a flat price, or the network_by_speed row at its speed
// (the nearest row when its speed lies between rows or beyond them).
std::string network_price_path(const NetworkCapitalLine& line, const NetworkPrices& prices) {
  const bool is_switch = line.item.rfind("switch", 0) == 0, is_link = line.item.rfind("link", 0) == 0;
  if (is_switch && prices.switch_usd) return "cost.switch_usd";
  if (is_link && prices.link_usd) return "cost.cable_usd";
  if (!is_switch && !is_link && prices.nic_usd) return "cost.nic_usd";
  double nearest = 0;
  for (const NetworkPricePoint& p : prices.by_speed)
    if (nearest == 0 || std::fabs(p.gbit_s - line.gbit_s) < std::fabs(nearest - line.gbit_s)) nearest = p.gbit_s;
  return "cost.network_by_speed." + fixed_decimals(nearest, 0);
}

bool listed_speed(double gbit_s, const NetworkPrices& prices) {
  for (const NetworkPricePoint& p : prices.by_speed)
    if (p.gbit_s == gbit_s) return true;
  return false;
}

std::string network_line_text(const NetworkCapitalLine& line, const NetworkPrices& prices) {
  // ---- sites: DCI links carry the topology file's price, or say they have none ----
  if (!line.priced) return count_text(line.count) + " DCI links not priced (no cost_usd_per_link on the topology's site tier)";
  if (!line.source.empty()) return count_text(line.count) + " x " + price(line.unit_usd) + " (" + line.source + ") = " + money(line.usd);
  std::string text = count_text(line.count) + " x " + price(line.unit_usd);
  const std::string derived = line.gbit_s > 0 && !listed_speed(line.gbit_s, prices) ? "; interpolated/scaled from the listed speeds" : "";
  if (line.ports > 0)
    text += " (" + std::to_string(line.ports) + " x " + fixed_decimals(line.gbit_s, 0) + "G ports at " +
            price(line.unit_usd / line.ports) + derived + ")";
  else if (line.gbit_s > 0)
    text += " (" + fixed_decimals(line.gbit_s, 0) + "G" + derived + ")";
  else
    text += " (flat price, any speed)";
  return text + " = " + money(line.usd);
}

}  // namespace

std::string cost_range_text(double low, double high, CostBasis basis) {
  if (low == high)
    return basis == CostBasis::rent ? "(one value: the rent was given as one price, not a low/typical/high range)"
                                    : "(one value: the GPU price was given as one number, not a low/typical/high range)";
  return "(range " + money(low) + " - " + money(high) + (basis == CostBasis::rent ? ": rent low-high)" : ": GPU price low-high)");
}

std::string cost_basis_line(const RunEconomics& e) {
  if (e.basis == CostBasis::rent)
    return "rent, every GPU held (spares too) x wall hours with failures x $" + fixed_decimals(e.prices.rent.usd_per_gpu_hour.typical, 2) +
           " per GPU-hour (" + (e.prices.rent.year > 0 ? std::to_string(e.prices.rent.year) + "; " : std::string()) +
           "the rate includes power and facility); prices: " + data_file +
           " or your flags (--format json: cost_breakdown)";
  return "buy, the run's share (wall days with failures / " + fixed_decimals(e.prices.buy.amortization_years, 1) +
         " years) of the purchase (GPUs, servers, network, storage) + energy at $" +
         fixed_decimals(e.prices.power.electricity_usd_per_kwh, 3) + "/kWh; prices: " + data_file +
         " or your flags (--format json: cost_breakdown)";
}

void write_cost_breakdown(const RunEconomics& e, std::ostream& out) {
  Citations refs(e);
  const BuyPrices& b = e.prices.buy;
  const bool rent = e.basis == CostBasis::rent;
  const double all_gpus = e.inventory.gpus + e.inventory.spare_gpus;
  row(out, "  basis", rent ? "rent: GPU-hours x the hourly rate (capital, power and facility included)"
                             : "buy: the run's share of the purchase (straight-line write-off) + energy");
  // ---- purchase ----
  row(out, std::string("  purchase") + (rent ? " (not in the cost)" : ""),
      money(e.capital.total()) + ": GPUs " + money(e.capital.gpus_usd) + ", servers " + money(e.capital.servers_usd) + ", network " +
          money(e.capital.network_usd()) + ", storage " + money(e.capital.storage_usd));
  row(out, "    GPUs", count_text(all_gpus) + " x " + price(b.gpu_usd.typical) +
                           (b.gpu_usd.low < b.gpu_usd.high ? " (range " + price(b.gpu_usd.low) + " - " + price(b.gpu_usd.high) + ")" : "") +
                           refs.cite("cost.gpu_usd"));
  row(out, "    servers", count_text(all_gpus) + " GPUs x " + price(b.server_usd_per_gpu) + " per GPU" + refs.cite("cost.server_usd_per_gpu"));
  for (const NetworkCapitalLine& line : e.capital.network_lines)
    row(out, "    " + line.item, network_line_text(line, b.network) + (line.source.empty() ? refs.cite(network_price_path(line, b.network)) : ""));
  if (e.inventory.switches <= 0 && e.inventory.cables <= 0) row(out, "    switches, links", "not counted (no fabric sizing)");
  const std::string storage_price_ref = refs.cite("cost.storage_usd_per_tb");  // cited in reading order
  const std::string storage_size_ref = refs.cite(e.prices.storage_tb > 0 ? "cost.storage_tb" : "cost.checkpoints_kept");
  row(out, "    storage", fixed_decimals(e.inventory.storage_tb, 1) + " TB x " + price(b.storage_usd_per_tb) + "/TB" + storage_price_ref +
                              (e.prices.storage_tb > 0 ? std::string(" (given)")
                                                       : " (" + fixed_decimals(e.prices.checkpoints_kept, 0) + " checkpoints)") +
                              storage_size_ref);
  if (!has_time_to_train(e)) {  // ---- no training tokens: what an hour of the cluster costs, by part ----
    const double write_off_hours = b.amortization_years * days_per_year * 24.0;
    if (!rent)
      row(out, "  write-off per hour", money(write_off_hours > 0 ? e.capital.total() / write_off_hours : 0.0) + " = purchase / (" +
                                           fixed_decimals(b.amortization_years, 1) + " years x " + grouped(days_per_year * 24.0, 0) +
                                           " h)" + refs.cite("cost.amortization_years"));
    std::string energy_refs = refs.cite("energy.electricity_usd_per_kwh");  // cited in reading order
    energy_refs += refs.cite("energy.pue");
    row(out, std::string("  energy per hour") + (rent ? " (in the rent)" : ""),
        money(e.power_mw * 1000.0 * e.prices.power.electricity_usd_per_kwh) + " = " + fixed_decimals(e.power_mw, 1) + " MW x $" +
            fixed_decimals(e.prices.power.electricity_usd_per_kwh, 3) + "/kWh (IT " + fixed_decimals(e.it_power_mw, 1) + " MW x PUE " +
            fixed_decimals(e.prices.power.pue, 2) + ")" + energy_refs);
    const PriceRange& r = e.prices.rent.usd_per_gpu_hour;
    row(out, std::string("  rent per hour") + (rent ? "" : " (not in the cost)"),
        money(all_gpus * r.typical) + " = " + count_text(all_gpus) + " GPUs x " + price(r.typical) + refs.cite("cost.rent_usd_per_gpu_hour"));
    for (std::size_t i = 0; i < refs.texts().size(); ++i) out << "  [" << i + 1 << "] " << refs.texts()[i] << "\n";
    return;
  }
  // ---- the run's share ----
  if (!rent) {
    row(out, "  amortised share", fixed_decimals(100 * e.amortized_fraction, 2) + "% = " + fixed_decimals(e.time_to_train_days, 1) +
                                        " days / (" + fixed_decimals(b.amortization_years, 1) + " years x " +
                                        fixed_decimals(days_per_year, 2) + " days) = " +
                                        money(e.capital.total() * e.amortized_fraction) + " (fully used while held)" +
                                        refs.cite("cost.amortization_years"));
  }
  // ---- energy ----
  std::string energy_refs = refs.cite("energy.electricity_usd_per_kwh");  // cited in reading order
  energy_refs += refs.cite("energy.pue");
  row(out, std::string("  energy") + (rent ? " (in the rent)" : ""),
      grouped(e.energy_mwh, 0) + " MWh x $" + fixed_decimals(e.prices.power.electricity_usd_per_kwh, 3) + "/kWh = " + money(e.energy_usd) +
          "; " + fixed_decimals(e.power_mw, 1) + " MW at the meter = IT " + fixed_decimals(e.it_power_mw, 1) + " MW x PUE " +
          fixed_decimals(e.prices.power.pue, 2) + energy_refs);
  // ---- rent ----
  const PriceRange& r = e.prices.rent.usd_per_gpu_hour;
  row(out, std::string("  rent") + (rent ? "" : " (not in the cost)"),
      grouped(e.gpu_hours, 0) + " GPU-hours x " + price(r.typical) + " (" +
          (e.prices.rent.year > 0 ? std::to_string(e.prices.rent.year) + ", " : std::string()) +
          (r.low < r.high ? "range " + price(r.low) + " - " + price(r.high) : "one price") + ") = " + money(e.rent_usd) +
          refs.cite("cost.rent_usd_per_gpu_hour"));
  if (!rent) row(out, "  buy = share + energy", money(e.capital.total() * e.amortized_fraction) + " + " + money(e.energy_usd) + " = " + money(e.buy_usd));
  for (std::size_t i = 0; i < refs.texts().size(); ++i) out << "  [" << i + 1 << "] " << refs.texts()[i] << "\n";
}

nlohmann::json cost_breakdown_json(const RunEconomics& e) {
  const Citations refs(e);
  const auto source = [&](const std::string& path) -> nlohmann::json {
    const Provenance* p = refs.find(path);
    if (!p) return nullptr;
    return {{"field", path}, {"kind", p->kind}, {"source", p->source}};
  };
  const BuyPrices& b = e.prices.buy;
  const double all_gpus = e.inventory.gpus + e.inventory.spare_gpus;
  nlohmann::json network = nlohmann::json::array();
  for (const NetworkCapitalLine& line : e.capital.network_lines) {
    nlohmann::json j{{"item", line.item}, {"count", line.count}, {"gbit_s", line.gbit_s}, {"ports", line.ports},
                     {"unit_usd", line.priced ? nlohmann::json(line.unit_usd) : nlohmann::json()}, {"usd", line.usd},
                     {"source", source(network_price_path(line, b.network))}};
    if (!line.source.empty()) {  // ---- sites: a DCI link line, priced from the topology file or not at all ----
      j["source"] = line.priced ? nlohmann::json{{"field", "cost_usd_per_link"}, {"kind", "topology"}, {"source", line.source}} : nlohmann::json();
      j["priced"] = line.priced;
    }
    network.push_back(j);
  }
  const bool timed = has_time_to_train(e);
  const auto when_timed = [timed](double v) -> nlohmann::json { return timed ? nlohmann::json(v) : nlohmann::json(nullptr); };
  return {
      {"basis", to_string(e.basis)},
      {"purchase",
       {{"total_usd", e.capital.total()},
        {"gpus", {{"count", all_gpus}, {"unit_usd", b.gpu_usd.typical}, {"unit_usd_low", b.gpu_usd.low}, {"unit_usd_high", b.gpu_usd.high},
                  {"usd", e.capital.gpus_usd}, {"source", source("cost.gpu_usd")}}},
        {"servers", {{"count", all_gpus}, {"unit_usd", b.server_usd_per_gpu}, {"usd", e.capital.servers_usd},
                     {"source", source("cost.server_usd_per_gpu")}}},
        {"network", {{"usd", e.capital.network_usd()}, {"switches_usd", e.capital.switches_usd}, {"links_usd", e.capital.cables_usd},
                     {"nics_usd", e.capital.nics_usd}, {"lines", network}}},
        {"storage", {{"tb", e.inventory.storage_tb}, {"unit_usd_per_tb", b.storage_usd_per_tb}, {"usd", e.capital.storage_usd},
                     {"source", source("cost.storage_usd_per_tb")}}}}},
      {"amortization",
       {{"years", b.amortization_years}, {"fraction", when_timed(e.amortized_fraction)},
        {"usd", when_timed(e.capital.total() * e.amortized_fraction)}, {"source", source("cost.amortization_years")}}},
      {"energy",
       {{"mwh", when_timed(e.energy_mwh)}, {"usd_per_kwh", e.prices.power.electricity_usd_per_kwh}, {"usd", when_timed(e.energy_usd)},
        {"power_mw", e.power_mw}, {"it_power_mw", e.it_power_mw}, {"pue", e.prices.power.pue},
        {"in_cost", e.basis == CostBasis::buy}, {"source", source("energy.electricity_usd_per_kwh")}, {"pue_source", source("energy.pue")}}},
      {"rent",
       {{"gpu_hours", when_timed(e.gpu_hours)}, {"usd_per_gpu_hour", e.prices.rent.usd_per_gpu_hour.typical},
        {"usd_per_gpu_hour_low", e.prices.rent.usd_per_gpu_hour.low}, {"usd_per_gpu_hour_high", e.prices.rent.usd_per_gpu_hour.high},
        {"year", e.prices.rent.year}, {"usd", when_timed(e.rent_usd)}, {"in_cost", e.basis == CostBasis::rent},
        {"source", source("cost.rent_usd_per_gpu_hour")}}}};
}

}  // namespace trainplan
