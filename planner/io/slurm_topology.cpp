// Slurm topology.conf (topology/tree plugin) read into a Fabric (docs/topology-format.md).
// Lines: SwitchName=NAME (Nodes=HOSTLIST | Switches=HOSTLIST) [LinkSpeed=N]; '#' starts a comment.
// Slurm leaves LinkSpeed's unit free; trainplan reads it as Gb/s per link.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <sstream>

#include "input_error.hpp"
#include "input_limits.hpp"
#include "yaml_fields.hpp"
#include "topology_loader.hpp"

namespace trainplan {

namespace {

// Bounds on the work a file can ask for (planner/io/input_limits.hpp): names after expanding host
// ranges, their characters, SwitchName lines and switch levels.
constexpr std::size_t kMaxExpandedChars = 64u << 20;

struct Expansion {
  std::size_t chars = 0;  // characters of every name expanded so far
};

std::string lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Splits at commas outside brackets: "a[1-2,5],b" -> "a[1-2,5]", "b".
std::vector<std::string> split_hostlist(const std::string& value) {
  std::vector<std::string> items;
  std::string item;
  int depth = 0;
  for (char c : value) {
    if (c == '[') ++depth;
    if (c == ']') --depth;
    if (c == ',' && depth == 0) {
      items.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  items.push_back(item);
  return items;
}

// Expands one hostlist item: "node[001-003,7]x" -> node001x, node002x, node003x, node7x (zero padding kept).
void expand_item(const std::string& item, std::vector<std::string>& names, Expansion& expansion, const std::string& source,
                 const std::string& where) {
  const auto open = item.find('[');
  if (open == std::string::npos) {
    if (item.find(']') != std::string::npos) throw InputError(source, where, "unbalanced ']' in '" + item + "'");
    if (item.empty()) return;
    names.push_back(item);
    expansion.chars += item.size();
    if (names.size() > limits::max_slurm_names || expansion.chars > kMaxExpandedChars)
      throw InputError(source, where, "the host ranges expand to more than " + std::to_string(limits::max_slurm_names) +
                                          " names (or " + std::to_string(kMaxExpandedChars >> 20) + " MiB of names), the limit of a topology file");
    return;
  }
  const auto close = item.find(']', open);
  if (close == std::string::npos) throw InputError(source, where, "unbalanced '[' in '" + item + "'");
  const std::string prefix = item.substr(0, open), inside = item.substr(open + 1, close - open - 1), rest = item.substr(close + 1);
  std::istringstream ranges(inside);
  std::string range;
  while (std::getline(ranges, range, ',')) {
    const auto dash = range.find('-');
    const std::string first = range.substr(0, dash), last = dash == std::string::npos ? first : range.substr(dash + 1);
    const auto is_number = [](const std::string& s) {
      return !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    };
    if (!is_number(first) || !is_number(last) || std::stol(last) < std::stol(first))
      throw InputError(source, where, "expected a range like node[1-32] or node[01-08,12], got '[" + inside + "]'");
    if (std::stol(last) - std::stol(first) >= static_cast<long>(limits::max_slurm_names))
      throw InputError(source, where, "the range '[" + range + "]' names more than " + std::to_string(limits::max_slurm_names) +
                                          " hosts, the limit of a topology file");
    for (long i = std::stol(first); i <= std::stol(last); ++i) {
      std::string number = std::to_string(i);
      if (number.size() < first.size()) number.insert(0, first.size() - number.size(), '0');
      expand_item(prefix + number + rest, names, expansion, source, where);
    }
  }
}

struct Switch {
  std::vector<std::string> children;  // nodes (a leaf) or switches
  bool leaf = false;
  double link_gbit_s = 0;             // 0: not given
  int line = 0;
};

std::map<std::string, Switch> read_switches(const std::string& text, const std::string& source) {
  std::map<std::string, Switch> switches;
  Expansion expansion;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    const std::string where = "line " + std::to_string(number);
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string word, name;
    Switch sw;
    sw.line = number;
    bool any = false, has_nodes = false, has_switches = false;
    while (words >> word) {
      any = true;
      const auto eq = word.find('=');
      if (eq == std::string::npos) throw InputError(source, where, "expected Key=Value words, got '" + word + "'");
      const std::string key = lower(word.substr(0, eq)), value = word.substr(eq + 1);
      if (key == "switchname") {
        name = value;
      } else if (key == "nodes" || key == "switches") {
        (key == "nodes" ? has_nodes : has_switches) = true;
        for (const auto& item : split_hostlist(value)) expand_item(item, sw.children, expansion, source, where);
      } else if (key == "linkspeed") {
        char* end = nullptr;
        sw.link_gbit_s = std::strtod(value.c_str(), &end);
        if (end == value.c_str() || *end != '\0' ||
            !(sw.link_gbit_s >= limits::link_gbit_s.min && sw.link_gbit_s <= limits::link_gbit_s.max))
          throw InputError(source, where + " LinkSpeed", "expected a number from " + range_text(limits::link_gbit_s) +
                                                             " (Gb/s per link), got '" + value + "'");
      } else {
        throw InputError(source, where, "unknown key '" + word.substr(0, eq) + "' (expected SwitchName, Switches, Nodes, LinkSpeed)");
      }
    }
    if (!any) continue;
    if (name.empty()) throw InputError(source, where, "missing SwitchName=");
    if (has_nodes == has_switches) throw InputError(source, where, "switch " + name + ": give either Nodes= or Switches=");
    if (sw.children.empty()) throw InputError(source, where, "switch " + name + " lists nothing below it");
    sw.leaf = has_nodes;
    if (!switches.emplace(name, sw).second) throw InputError(source, where, "switch " + name + " is defined twice");
    if (switches.size() > limits::max_slurm_switches)
      throw InputError(source, where, "more than " + std::to_string(limits::max_slurm_switches) +
                                          " SwitchName= lines, the limit of a topology file");
  }
  if (switches.empty()) throw InputError(source, "SwitchName", "no SwitchName= lines found");
  return switches;
}

// Level of `name`: a leaf 0, any other switch one more than its highest child. Memoized, and at
// most limits::max_tiers levels deep, so a long chain or a cycle is refused after bounded work.
int level_of(const std::string& name, const std::map<std::string, Switch>& switches, std::map<std::string, int>& level,
             int depth, const std::string& source) {
  if (const auto known = level.find(name); known != level.end()) return known->second;
  const Switch& sw = switches.at(name);
  if (depth >= static_cast<int>(limits::max_tiers))
    throw InputError(source, "line " + std::to_string(sw.line),
                     "switch " + name + " sits more than " + std::to_string(limits::max_tiers) +
                         " levels above a leaf (the most tiers a fabric may have), or the switches form a cycle");
  int highest = -1;
  if (!sw.leaf)
    for (const auto& child : sw.children) {
      if (!switches.count(child))
        throw InputError(source, "line " + std::to_string(sw.line), "switch " + name + " lists switch " + child + ", which is not defined");
      highest = std::max(highest, level_of(child, switches, level, depth + 1, source));
    }
  level[name] = highest + 1;
  return highest + 1;
}

std::map<std::string, int> switch_levels(const std::map<std::string, Switch>& switches, const std::string& source) {
  std::map<std::string, int> level;
  for (const auto& entry : switches) level_of(entry.first, switches, level, 0, source);
  return level;
}

}  // namespace

Fabric parse_slurm_topology(const std::string& text, const std::string& source, const Fabric& base) {
  const std::map<std::string, Switch> switches = read_switches(text, source);
  const std::map<std::string, int> level = switch_levels(switches, source);
  int top = 0;
  for (const auto& [name, l] : level) top = std::max(top, l);

  // A node under several leaves: one leaf per rail (rail-optimized); rails = leaves per node.
  std::map<std::string, int> leaves_of_node;
  for (const auto& [name, sw] : switches)
    if (sw.leaf)
      for (const auto& node : sw.children) ++leaves_of_node[node];
  int rails = 1;
  for (const auto& [node, count] : leaves_of_node) rails = std::max(rails, count);
  const int nics_per_node = base.scale_up.gpus * base.nics_per_gpu;
  if (rails > 1 && nics_per_node % rails != 0)
    throw InputError(source, "Nodes", "nodes sit under " + std::to_string(rails) + " leaf switches, which does not divide their " +
                                          std::to_string(nics_per_node) + " NICs into rails");

  Fabric fabric = base;
  fabric.name = "slurm:" + source;
  fabric.tiers.clear();
  fabric.rail_optimized = rails > 1;
  for (int l = 0; l <= top; ++l) {
    FabricTier tier;
    tier.name = l == 0 ? "leaf" : l == top ? "top" : "level" + std::to_string(l);
    const FabricTier* like = static_cast<std::size_t>(l) < base.tiers.size() ? &base.tiers[static_cast<std::size_t>(l)] : nullptr;
    tier.hop_latency_us = like ? like->hop_latency_us : tier.hop_latency_us;
    int widest = 0;
    double link_gbit_s = 0;
    for (const auto& [name, sw] : switches)
      if (level.at(name) == l) {
        widest = std::max(widest, static_cast<int>(sw.children.size()));
        link_gbit_s = std::max(link_gbit_s, sw.link_gbit_s);
      }
    // Down: a leaf takes each of its nodes' NICs on its rail; a higher switch one port per switch
    // below it. Up: topology.conf does not say how many links join two switches, so every level
    // is taken at full bisection (as many up as down): an upper bound on the real cluster.
    const long long ports_down = l == 0 ? static_cast<long long>(widest) * nics_per_node / rails : widest;
    if (2 * ports_down > static_cast<long long>(limits::switch_radix.max))
      throw InputError(source, "Nodes", "a level-" + std::to_string(l) + " switch would need " + std::to_string(2 * ports_down) +
                                            " ports (down and up), more than the " + range_text(limits::switch_radix) +
                                            " a switch radix may have");
    tier.ports_down = static_cast<int>(ports_down);
    tier.ports_up = l == top ? 0 : tier.ports_down;
    tier.switch_radix = tier.ports_down + tier.ports_up;
    tier.link_gbit_s = link_gbit_s > 0 ? link_gbit_s : base.nic_gbit_s;
    if (l == 0 && link_gbit_s > 0) fabric.nic_gbit_s = link_gbit_s;
    fabric.tiers.push_back(tier);
  }
  fabric.provenance = {"assumption", "switch tree from the Slurm topology.conf " + source +
                                         " (full bisection between levels assumed: the file does not give link counts); GPUs, NICs "
                                         "and latencies from " + base.name};
  return fabric;
}

}  // namespace trainplan
