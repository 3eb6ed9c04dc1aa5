// Failure, checkpoint, cost and energy settings: bundled defaults, a user file over them, --set.
#include "economics_loader.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <sstream>

#include "bundled_tree.hpp"  // ---- start-up: the tree parsed at build time ----
#include "embedded_data.hpp"
#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

constexpr double seconds_per_minute = 60.0;
constexpr double seconds_per_hour = 3600.0;

enum class Bound { non_negative, positive, fraction, below_one, at_least_one };

bool within(double v, Bound b) {
  switch (b) {
    case Bound::non_negative: return v >= 0;
    case Bound::positive: return v > 0;
    case Bound::fraction: return v >= 0 && v <= 1;
    case Bound::below_one: return v >= 0 && v < 1;
    case Bound::at_least_one: return v >= 1;
  }
  return false;
}

const char* describe(Bound b) {
  switch (b) {
    case Bound::non_negative: return "a number >= 0";
    case Bound::positive: return "a positive number";
    case Bound::fraction: return "a fraction between 0 and 1";
    case Bound::below_one: return "a fraction >= 0 and below 1";
    case Bound::at_least_one: return "a number >= 1";
  }
  return "a number";
}

// Upper (and some lower) bounds of the economics fields: what a real run, price or data centre
// can have (docs/formats.md, "Ranges"). Keyed by field path; a {value}/{low, typical, high}
// mapping is bounded as its field.
std::optional<Range> economics_range(std::string path) {
  for (const char* part : {".value", ".low", ".typical", ".high"}) {
    const std::string suffix = part;
    if (path.size() > suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0) {
      path.resize(path.size() - suffix.size());
      break;
    }
  }
  if (path.rfind("failures.published_rates.", 0) == 0) return Range{0, 1};
  if (path.rfind("failures.causes.counts.", 0) == 0) return Range{0, 1e9};
  if (path.rfind("cost.network_by_speed.", 0) == 0) return Range{0, 1e7};  // ---- network prices per item and speed ----
  static const std::map<std::string, Range> table = {
      {"failures.per_gpu_day", {0, 1}},
      {"failures.per_node_day", {0, 10}},
      {"failures.per_switch_day", {0, 10}},
      {"failures.planned_per_day", {0, 100}},
      {"checkpoint.weights_bytes_per_param", {0, 64}},
      {"checkpoint.master_bytes_per_param", {0, 64}},
      {"checkpoint.optimizer_bytes_per_param", {0, 64}},
      {"checkpoint.interval_minutes", {0.01, 525'600}},
      {"checkpoint.storage_gb_s", {0.001, 1e7}},
      {"checkpoint.node_storage_gb_s", {0.001, 1e5}},
      {"checkpoint.host_copy_gb_s_per_gpu", {0.001, 1e4}},
      {"recovery.restart_minutes", {0, 525'600}},
      {"recovery.spare_wait_minutes", {0, 525'600}},
      {"recovery.node_repair_hours", {0.001, 8'760}},
      {"cost.gpu_usd", {0, 1e7}},
      {"cost.server_usd_per_gpu", {0, 1e7}},
      {"cost.switch_usd", {0, 1e8}},
      {"cost.cable_usd", {0, 1e6}},
      {"cost.nic_usd", {0, 1e6}},
      {"cost.storage_usd_per_tb", {0, 1e6}},
      {"cost.storage_tb", {0, 1e9}},
      {"cost.checkpoints_kept", {0, 1e4}},
      {"cost.amortization_years", {0.1, 100}},
      {"cost.rent_usd_per_gpu_hour", {0, 1e3}},
      {"energy.server_overhead_w_per_gpu", {0, 1e5}},
      {"energy.pue", {1, 3}},
      {"energy.electricity_usd_per_kwh", {0, 10}},
  };
  const auto it = table.find(path);
  if (it == table.end()) return std::nullopt;
  return it->second;
}

std::string number_text(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

std::string text_of(const YAML::Node& n) {
  if (n.IsScalar()) return "'" + n.Scalar() + "'";
  if (n.IsMap()) return "a mapping";
  if (n.IsSequence()) return "a list";
  return "nothing";
}

// Reads one section of the document. Errors name whoever set the field (a user file, a --set flag)
// or the combined source.
class Section {
 public:
  Section(YAML::Node node, std::string path, const std::string& source, const std::map<std::string, std::string>& user_paths,
          std::map<std::string, Provenance>& provenance)
      : node_(std::move(node)), path_(std::move(path)), source_(source), user_paths_(user_paths), provenance_(provenance) {
    if (!node_.IsMap()) fail_at(path_, "expected a mapping of key: value, got " + text_of(node_));
  }

  std::string field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  // The user file or flag that set `path` (or something below it), if any.
  const std::string* user_source(const std::string& path) const {
    for (const auto& [set_path, what] : user_paths_)
      if (set_path == path || set_path.rfind(path + ".", 0) == 0 || path.rfind(set_path + ".", 0) == 0) return &what;
    return nullptr;
  }

  [[noreturn]] void fail_at(const std::string& path, const std::string& expected) const {
    const std::string* who = user_source(path);
    throw InputError(who ? *who : source_, path, expected);
  }
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const { fail_at(field(key), expected); }

  bool has(const std::string& key) const { return has_value(node_[key]); }
  YAML::Node required(const std::string& key) const {
    YAML::Node v = node_[key];  // one look-up: a mapping's are linear in its keys
    if (!has_value(v)) fail(key, "missing (required)");
    return v;
  }

  Section child(const std::string& key) const { return child(key, required(key)); }
  // The section of `key` whose node the caller has already looked up.
  Section child(const std::string& key, const YAML::Node& node) const {
    return Section(node, field(key), source_, user_paths_, provenance_);
  }

  void reject_unknown_keys(std::initializer_list<const char*> allowed) const {
    if (const auto unknown = find_unknown_key(node_, allowed)) fail(unknown->key, unknown->expected);
  }

  void record(const std::string& path, const Provenance& p) const {
    if (const std::string* who = user_source(path))
      provenance_[path] = Provenance{"user", *who};
    else
      provenance_[path] = p;
  }

  // A scalar number with its checks.
  double scalar_number(const std::string& path, const YAML::Node& n, Bound bound) const {
    if (!n.IsScalar()) fail_at(path, "expected " + std::string(describe(bound)) + ", got " + text_of(n));
    const auto parsed = parse_count(n.Scalar());
    if (!parsed) fail_at(path, "expected " + std::string(describe(bound)) + ", got " + text_of(n));
    if (!within(*parsed, bound)) fail_at(path, "expected " + std::string(describe(bound)) + ", got " + n.Scalar());
    if (const auto range = economics_range(path); range && !(*parsed >= range->min && *parsed <= range->max))
      fail_at(path, "expected a number from " + range_text(*range) + ", got " + n.Scalar());
    return *parsed;
  }

  Provenance read_provenance(const Section& m) const {
    Provenance p;
    const YAML::Node kind = m.required("kind");
    p.kind = kind.IsScalar() ? kind.Scalar() : "";
    if (p.kind != "published" && p.kind != "assumption" && p.kind != "measured")
      m.fail("kind", "expected one of published | assumption | measured, got " + text_of(kind));
    const YAML::Node src = m.required("source");
    if (!src.IsScalar() || src.Scalar().empty()) m.fail("source", "expected the document or the reason, got " + text_of(src));
    p.source = src.Scalar();
    return p;
  }

  // A number: plain, or {value, kind, source}.
  double number(const std::string& key, Bound bound) const {
    const YAML::Node n = required(key);
    const std::string path = field(key);
    if (n.IsMap()) {
      const Section m = child(key, n);
      m.reject_unknown_keys({"value", "kind", "source"});
      const double v = scalar_number(m.field("value"), m.required("value"), bound);
      record(path, read_provenance(m));
      return v;
    }
    const double v = scalar_number(path, n, bound);
    record(path, Provenance{"user", source_});
    return v;
  }

  // A plain setting (a count, a switch): no provenance unless a user set it.
  double setting(const std::string& key, Bound bound) const {
    const std::string path = field(key);
    const double v = scalar_number(path, required(key), bound);
    if (const std::string* who = user_source(path)) provenance_[path] = Provenance{"user", *who};
    return v;
  }

  std::int64_t whole(const std::string& key, double max) const {
    const double v = setting(key, Bound::non_negative);
    if (v != std::floor(v) || v > max)
      fail(key, "expected a whole number from 0 to " + std::to_string(static_cast<std::int64_t>(max)) + ", got " +
                    node_[key].Scalar());
    return static_cast<std::int64_t>(v);
  }

  std::string word(const std::string& key) const {
    const YAML::Node n = required(key);
    if (!n.IsScalar()) fail(key, "expected a word, got " + text_of(n));
    return n.Scalar();
  }

  bool flag(const std::string& key) const {
    const std::string s = word(key);
    if (s == "true" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "no" || s == "off") return false;
    fail(key, "expected true or false, got '" + s + "'");
  }

  // low <= typical <= high: plain (all three equal) or {low, typical, high, kind, source[, year]}.
  PriceRange range(const std::string& key, int* year) const {
    const YAML::Node n = required(key);
    const std::string path = field(key);
    PriceRange r;
    if (n.IsMap()) {
      const Section m = child(key, n);
      if (year)
        m.reject_unknown_keys({"low", "typical", "high", "year", "kind", "source"});
      else
        m.reject_unknown_keys({"low", "typical", "high", "kind", "source"});
      r.typical = scalar_number(m.field("typical"), m.required("typical"), Bound::non_negative);
      r.low = m.has("low") ? scalar_number(m.field("low"), m.required("low"), Bound::non_negative) : r.typical;
      r.high = m.has("high") ? scalar_number(m.field("high"), m.required("high"), Bound::non_negative) : r.typical;
      if (!(r.low <= r.typical && r.typical <= r.high))
        fail(key, "expected low <= typical <= high, got " + number_text(r.low) + ", " + number_text(r.typical) +
                      ", " + number_text(r.high));
      if (year) {
        *year = 0;
        if (m.has("year")) {
          const double y = scalar_number(m.field("year"), m.required("year"), Bound::positive);
          if (y != std::floor(y) || y < 2000 || y > 2100) m.fail("year", "expected a year such as 2025");
          *year = static_cast<int>(y);
        }
      }
      record(path, read_provenance(m));
      return r;
    }
    r.typical = r.low = r.high = scalar_number(path, n, Bound::non_negative);
    if (year) *year = 0;
    record(path, Provenance{"user", source_});
    return r;
  }

  const YAML::Node& node() const { return node_; }

 private:
  YAML::Node node_;
  std::string path_;
  const std::string& source_;
  const std::map<std::string, std::string>& user_paths_;
  std::map<std::string, Provenance>& provenance_;
};

// ---- network capital per item and port speed (planner/core/economics/network_capital.hpp) ----
// switch_usd / cable_usd / nic_usd: `by_speed` (network_by_speed at the item's port speed) or a flat
// price per item. network_by_speed: port speed in Gb/s -> {switch_usd_per_port, link_usd, nic_usd,
// kind, source} (kind and source may be left out of a row a user gives).
void parse_network_prices(const Section& k, NetworkPrices& prices) {
  const auto flat = [&](const char* key) -> std::optional<double> {
    const YAML::Node n = k.required(key);
    if (n.IsScalar() && n.Scalar() == "by_speed") return std::nullopt;
    if (n.IsScalar() && !parse_count(n.Scalar()))
      k.fail(key, "expected 'by_speed' (network_by_speed at the port speed) or a price in USD, got '" + n.Scalar() + "'");
    return k.number(key, Bound::non_negative);
  };
  prices.switch_usd = flat("switch_usd");
  prices.link_usd = flat("cable_usd");
  prices.nic_usd = flat("nic_usd");
  prices.by_speed.clear();
  const Section table = k.child("network_by_speed");
  for (const auto& entry : table.node()) {
    const std::string speed_text = entry.first.Scalar();
    const auto speed = parse_count(speed_text);
    if (!speed || !(*speed >= 1 && *speed <= 1e5))
      table.fail(speed_text, "expected a port speed in Gb/s from 1 to 100,000 as the key (400: {...}), got '" + speed_text + "'");
    const Section row = table.child(speed_text);
    row.reject_unknown_keys({"switch_usd_per_port", "link_usd", "nic_usd", "kind", "source"});
    NetworkPricePoint point;
    point.gbit_s = *speed;
    point.switch_usd_per_port = row.scalar_number(row.field("switch_usd_per_port"), row.required("switch_usd_per_port"), Bound::non_negative);
    point.link_usd = row.scalar_number(row.field("link_usd"), row.required("link_usd"), Bound::non_negative);
    point.nic_usd = row.scalar_number(row.field("nic_usd"), row.required("nic_usd"), Bound::non_negative);
    if (row.has("kind") || row.has("source") || !row.user_source(table.field(speed_text)))
      row.record(table.field(speed_text), row.read_provenance(row));
    else
      row.record(table.field(speed_text), Provenance{"user", ""});
    prices.by_speed.push_back(point);
  }
  if (prices.by_speed.empty() && (!prices.switch_usd || !prices.link_usd || !prices.nic_usd))
    k.fail("network_by_speed", "expected at least one port speed's prices (400: {switch_usd_per_port, link_usd, nic_usd}) "
                               "while switch_usd, cable_usd or nic_usd is by_speed");
  std::sort(prices.by_speed.begin(), prices.by_speed.end(),
            [](const NetworkPricePoint& a, const NetworkPricePoint& b) { return a.gbit_s < b.gbit_s; });
  for (std::size_t i = 1; i < prices.by_speed.size(); ++i)
    if (prices.by_speed[i].gbit_s == prices.by_speed[i - 1].gbit_s)
      k.fail("network_by_speed", "expected one row per port speed, got " + number_text(prices.by_speed[i].gbit_s) + " twice");
}

void parse_failures(const Section& s, FailureModel& f, std::string& rate_name) {
  s.reject_unknown_keys({"per_gpu_day", "published_rates", "per_node_day", "per_switch_day", "planned_per_day",
                         "hardware_share", "causes"});
  // per_gpu_day: a number, {value, kind, source}, or the name of a published rate.
  const YAML::Node rate = s.required("per_gpu_day");
  bool found = false;
  std::string names;
  const bool by_name = rate.IsScalar() && !parse_count(rate.Scalar());
  rate_name = by_name ? rate.Scalar() : "";
  if (s.has("published_rates")) {
    const Section rates = s.child("published_rates");
    for (const auto& entry : rates.node()) {
      const std::string name = entry.first.Scalar();
      names += (names.empty() ? "" : ", ") + name;
      const double value = rates.number(name, Bound::non_negative);  // every published rate is checked
      if (by_name && name == rate_name) {
        f.unexpected_per_gpu_day = value;
        found = true;
      }
    }
  }
  if (by_name && !found)
    s.fail("per_gpu_day", "expected a number (interruptions per GPU per day) or a published rate (" +
                              (names.empty() ? std::string("none listed") : names) + "), got '" + rate_name + "'");
  if (!by_name) f.unexpected_per_gpu_day = s.number("per_gpu_day", Bound::non_negative);
  f.unexpected_per_node_day = s.number("per_node_day", Bound::non_negative);
  f.unexpected_per_switch_day = s.number("per_switch_day", Bound::non_negative);
  f.planned_per_day = s.number("planned_per_day", Bound::non_negative);
  f.hardware_share = s.number("hardware_share", Bound::fraction);
  f.causes.clear();
  if (s.has("causes")) {
    const Section c = s.child("causes");
    c.reject_unknown_keys({"counts", "kind", "source"});
    const Section counts = c.child("counts");
    double total = 0;
    for (const auto& entry : counts.node()) {
      const std::string name = entry.first.Scalar();
      const double n = counts.scalar_number(counts.field(name), entry.second, Bound::non_negative);
      f.causes.push_back({name, n});
      total += n;
    }
    if (!(total > 0)) c.fail("counts", "expected at least one cause with a count above 0");
    for (auto& cause : f.causes) cause.share /= total;
    c.record(s.field("causes"), c.read_provenance(c));
  }
}

// ---- every price flag used under the basis, or refused ----
// A price a flag (a dedicated one or --set) sets that the chosen basis does not use is refused: buy
// costs amortised capital + energy (no rent), rent costs GPU-hours x the hourly rate, which includes
// the capital, power and facility (no purchase prices, write-off period or electricity tariff). A
// --economics file may hold both bases' prices: the table shows which one the cost uses.
void check_prices_apply(CostBasis basis, const std::map<std::string, std::string>& user_paths) {
  static const char* const buy_only[] = {"cost.gpu_usd", "cost.server_usd_per_gpu", "cost.switch_usd", "cost.cable_usd",
                                         "cost.nic_usd", "cost.network_by_speed", "cost.storage_usd_per_tb", "cost.storage_tb",
                                         "cost.checkpoints_kept", "cost.amortization_years", "energy.electricity_usd_per_kwh"};
  static const char* const rent_only[] = {"cost.rent_usd_per_gpu_hour"};
  const auto under = [](const std::string& path, const std::string& field) {
    return path == field || path.rfind(field + ".", 0) == 0;
  };
  for (const auto& [path, what] : user_paths) {
    if (what.rfind("--", 0) != 0) continue;  // a file: not a flag
    const std::string flag = what.substr(0, what.find(' '));
    const std::string named = flag == "--set" ? what : flag;
    if (basis == CostBasis::buy)
      for (const char* field : rent_only)
        if (under(path, field))
          throw InputError(named, path, "applies with --cost-basis rent (the cost basis is buy: amortised capital + energy, no rent)");
    if (basis == CostBasis::rent)
      for (const char* field : buy_only)
        if (under(path, field))
          throw InputError(named, path, "applies with --cost-basis buy (the cost basis is rent: GPU-hours x the hourly rate, "
                                        "which includes capital, power and facility)");
  }
}

}  // namespace

void merge_yaml(YAML::Node& base, const YAML::Node& top, const std::string& what, std::map<std::string, std::string>& set_paths,
                const std::string& prefix) {
  for (const auto& entry : top) {
    const std::string key = entry.first.Scalar();
    const std::string path = prefix.empty() ? key : prefix + "." + key;
    YAML::Node below = base[key];
    // Mappings merge, except a number's {value, kind, source}: the user's value replaces it whole so
    // that the bundled provenance does not stick to the user's number.
    if (entry.second.IsMap() && below.IsDefined() && below.IsMap() && !below["kind"].IsDefined()) {
      merge_yaml(below, entry.second, what, set_paths, path);
    } else {
      base[key] = YAML::Clone(entry.second);
      set_paths[path] = what;
    }
  }
}

LoadedEconomics parse_economics(const YAML::Node& document, const std::string& source,
                                const std::map<std::string, std::string>& user_paths) {
  LoadedEconomics out;
  out.source = source;
  const Section top(document, "", out.source, user_paths, out.provenance);
  top.reject_unknown_keys({"failures", "checkpoint", "recovery", "monte_carlo", "cost", "energy"});
  EconomicsModel& m = out.model;

  parse_failures(top.child("failures"), m.reliability.failures, out.failure_rate_name);
  if (!out.failure_rate_name.empty() && !top.user_source("failures.per_gpu_day")) {
    // The bundled choice of a published rate: the rate's own provenance stands for the field.
    out.provenance["failures.per_gpu_day"] = out.provenance["failures.published_rates." + out.failure_rate_name];
  }

  const Section c = top.child("checkpoint");
  c.reject_unknown_keys({"weights_bytes_per_param", "master_bytes_per_param", "optimizer_bytes_per_param", "interval_minutes",
                         "storage_gb_s", "node_storage_gb_s", "in_memory_first_stage", "host_copy_gb_s_per_gpu"});
  CheckpointPolicy& cp = m.reliability.checkpoint;
  cp.weights_bytes_per_param = c.number("weights_bytes_per_param", Bound::non_negative);
  cp.master_bytes_per_param = c.number("master_bytes_per_param", Bound::non_negative);
  cp.optimizer_bytes_per_param = c.number("optimizer_bytes_per_param", Bound::non_negative);
  if (!(cp.bytes_per_param() > 0)) c.fail("weights_bytes_per_param", "a checkpoint needs some bytes per parameter (all are 0)");
  {
    const YAML::Node interval = c.required("interval_minutes");
    if (interval.IsScalar() && interval.Scalar() == "optimal") {
      cp.interval_s = 0;
    } else {
      if (interval.IsScalar() && !parse_count(interval.Scalar()))
        c.fail("interval_minutes", "expected 'optimal' (Young/Daly) or a positive number of minutes, got '" +
                                       interval.Scalar() + "'");
      cp.interval_s = c.number("interval_minutes", Bound::positive) * seconds_per_minute;
    }
  }
  cp.storage_gb_s = c.number("storage_gb_s", Bound::positive);
  cp.node_storage_gb_s = c.number("node_storage_gb_s", Bound::positive);
  cp.in_memory_first_stage = c.flag("in_memory_first_stage");
  cp.host_copy_gb_s_per_gpu = c.number("host_copy_gb_s_per_gpu", Bound::positive);

  const Section r = top.child("recovery");
  r.reject_unknown_keys({"restart_minutes", "hot_spare_nodes", "spare_wait_minutes", "node_repair_hours"});
  RecoveryPolicy& rp = m.reliability.recovery;
  rp.restart_s = r.number("restart_minutes", Bound::non_negative) * seconds_per_minute;
  rp.hot_spare_nodes = static_cast<int>(r.whole("hot_spare_nodes", 1e6));
  rp.spare_wait_s = r.number("spare_wait_minutes", Bound::non_negative) * seconds_per_minute;
  rp.node_repair_s = r.number("node_repair_hours", Bound::positive) * seconds_per_hour;

  const Section mc = top.child("monte_carlo");
  mc.reject_unknown_keys({"runs", "seed"});
  m.monte_carlo.runs = static_cast<int>(mc.whole("runs", 1e7));
  m.monte_carlo.seed = static_cast<std::uint64_t>(mc.whole("seed", 9007199254740992.0));  // 2^53: exact in a double

  const Section k = top.child("cost");
  k.reject_unknown_keys({"basis", "gpu_usd", "server_usd_per_gpu", "switch_usd", "cable_usd", "nic_usd", "network_by_speed",
                         "storage_usd_per_tb", "storage_tb", "checkpoints_kept", "amortization_years", "rent_usd_per_gpu_hour"});
  EconomicsParams& e = m.cost;
  const std::string basis = k.word("basis");
  if (basis == "buy")
    e.basis = CostBasis::buy;
  else if (basis == "rent")
    e.basis = CostBasis::rent;
  else
    k.fail("basis", "expected buy or rent, got '" + basis + "'");
  e.buy.gpu_usd = k.range("gpu_usd", nullptr);
  e.buy.server_usd_per_gpu = k.number("server_usd_per_gpu", Bound::non_negative);
  parse_network_prices(k, e.buy.network);  // ---- network capital per item and port speed ----
  e.buy.storage_usd_per_tb = k.number("storage_usd_per_tb", Bound::non_negative);
  {
    const YAML::Node storage = k.required("storage_tb");
    if (storage.IsScalar() && storage.Scalar() == "auto") {
      e.storage_tb = 0;
    } else {
      if (storage.IsScalar() && !parse_count(storage.Scalar()))
        k.fail("storage_tb", "expected 'auto' (checkpoints_kept checkpoints) or a positive number of TB, got '" +
                                 storage.Scalar() + "'");
      e.storage_tb = k.number("storage_tb", Bound::positive);
    }
  }
  e.checkpoints_kept = k.number("checkpoints_kept", Bound::non_negative);
  e.buy.amortization_years = k.number("amortization_years", Bound::positive);
  e.rent.usd_per_gpu_hour = k.range("rent_usd_per_gpu_hour", &e.rent.year);

  const Section w = top.child("energy");
  w.reject_unknown_keys({"gpu_utilization", "gpu_idle_fraction_of_tdp", "server_overhead_w_per_gpu", "network_storage_share",
                         "pue", "electricity_usd_per_kwh"});
  PowerModel& p = e.power;
  p.gpu_utilization = w.number("gpu_utilization", Bound::fraction);
  p.gpu_idle_fraction_of_tdp = w.number("gpu_idle_fraction_of_tdp", Bound::fraction);
  p.server_overhead_w_per_gpu = w.number("server_overhead_w_per_gpu", Bound::non_negative);
  p.network_storage_share = w.number("network_storage_share", Bound::below_one);
  p.pue = w.number("pue", Bound::at_least_one);
  p.electricity_usd_per_kwh = w.number("electricity_usd_per_kwh", Bound::non_negative);
  check_prices_apply(e.basis, user_paths);  // ---- every price flag used under the basis, or refused ----
  m.provenance = std::make_shared<const std::map<std::string, Provenance>>(out.provenance);
  return out;
}

LoadedEconomics load_economics(const std::string& user_file, const std::vector<Override>& overrides) {
  const auto bundled = bundled_yaml(bundled_economics_path, "bundled economics");  // ---- start-up ----
  if (!bundled) throw InputError(bundled_economics_path, "", "not compiled into this binary (rebuild trainplan)");
  YAML::Node document = *bundled;
  std::map<std::string, std::string> user_paths;
  std::string source = "bundled economics";
  if (!user_file.empty()) {
    const YAML::Node top = load_yaml_file(user_file);
    if (!top.IsMap()) throw InputError(user_file, "(top level)", "expected a mapping of key: value");
    merge_yaml(document, top, user_file, user_paths);
    source += " + " + user_file;
  }
  for (const auto& o : overrides) {
    if (o.scope != "economics") continue;
    apply_override(document, o);
    std::string path;
    for (const auto& part : o.path) path += (path.empty() ? "" : ".") + part;
    // A dedicated flag (--failure-rate ...) builds its Override with its own text; --set ones do not.
    user_paths[path] = o.text.rfind("--", 0) == 0 ? o.text : "--set " + o.text;
  }
  return parse_economics(document, source, user_paths);
}

}  // namespace trainplan
