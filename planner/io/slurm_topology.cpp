// Slurm topology.conf (topology/tree plugin) read into a Fabric (docs/topology-format.md).
// Lines: SwitchName=NAME (Nodes=HOSTLIST | Switches=HOSTLIST) [LinkSpeed=N]; '#' starts a comment.
// Slurm leaves LinkSpeed's unit free; trainplan reads it as Gb/s per link.
#include <algorithm>
#include <cctype>
#include <cmath>
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
constexpr std::size_t kMaxExpandedChars = 16u << 20;

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

InputError too_many_names(const std::string& source, const std::string& where) {
  return InputError(source, where, "the host ranges expand to more than " + std::to_string(limits::max_slurm_names) +
                                       " names (or " + std::to_string(kMaxExpandedChars >> 20) + " MiB of names), the limit of a topology file");
}

// What an item would expand to, counted without expanding it: names (the product over its bracket
// groups of the numbers each names) and the characters outside the brackets that every name repeats.
// A malformed item counts as one name: expand_item names its error.
struct ItemSize {
  double names = 1;
  double fixed_chars = 0;
};
ItemSize item_size(const std::string& item) {
  ItemSize size;
  std::size_t pos = 0;
  for (auto open = item.find('['); open != std::string::npos; open = item.find('[', pos)) {
    const auto close = item.find(']', open);
    if (close == std::string::npos) return ItemSize{};
    size.fixed_chars += static_cast<double>(open - pos);
    double group = 0;
    std::istringstream ranges(item.substr(open + 1, close - open - 1));
    std::string range;
    while (std::getline(ranges, range, ',')) {
      const auto dash = range.find('-');
      const std::string first = range.substr(0, dash), last = dash == std::string::npos ? first : range.substr(dash + 1);
      const auto number = [](const std::string& s) {
        const bool ok = !s.empty() && s.size() < 10 && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        return ok ? std::stod(s) : -1.0;
      };
      if (number(first) < 0 || number(last) < number(first)) return ItemSize{};
      group += number(last) - number(first) + 1;
    }
    if (!(group > 0)) return ItemSize{};  // "[]": malformed, and it would leave every other group's names unexpanded work
    size.names *= group;
    pos = close + 1;
  }
  size.fixed_chars += static_cast<double>(item.size() - std::min(pos, item.size()));
  return size;
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
    if (names.size() > limits::max_slurm_names || expansion.chars > kMaxExpandedChars) throw too_many_names(source, where);
    return;
  }
  const auto close = item.find(']', open);
  if (close == std::string::npos) throw InputError(source, where, "unbalanced '[' in '" + item + "'");
  const std::string prefix = item.substr(0, open), inside = item.substr(open + 1, close - open - 1), rest = item.substr(close + 1);
  if (inside.empty()) throw InputError(source, where, "expected a range like node[1-32] or node[01-08,12], got '[]'");
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

// What a topology.conf holds: a switch tree (tree plugin) or blocks of nodes (block plugin).
struct SlurmFile {
  std::map<std::string, Switch> switches;  // SwitchName= lines; with blocks, one leaf per BlockName=
  bool blocks = false;                     // BlockName= lines (topology/block)
  std::vector<long long> block_sizes;      // BlockSizes=, in nodes, ascending
  int block_sizes_line = 0;
};

// BlockSizes=4,16,64: whole node counts, ascending, at most one per switch level.
std::vector<long long> read_block_sizes(const std::string& value, const std::string& source, const std::string& where) {
  std::vector<long long> sizes;
  std::istringstream items(value);
  std::string item;
  const auto fail = [&](const std::string& why) {
    return InputError(source, where + " BlockSizes",
                      "expected node counts from 1 to " + std::to_string(limits::max_slurm_names) + ", ascending, comma-separated (e.g. 18,72), " +
                          why + ", got '" + value + "'");
  };
  while (std::getline(items, item, ',')) {
    if (item.empty() || item.size() > 9 || !std::all_of(item.begin(), item.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      throw fail("'" + item + "' is not one");
    const long long size = std::stoll(item);
    if (size < 1 || size > static_cast<long long>(limits::max_slurm_names)) throw fail("'" + item + "' is out of range");
    if (!sizes.empty() && size <= sizes.back()) throw fail("not ascending");
    sizes.push_back(size);
    if (sizes.size() > static_cast<std::size_t>(limits::max_slurm_levels)) throw fail("more than " + std::to_string(limits::max_slurm_levels) + " sizes");
  }
  if (sizes.empty()) throw fail("none given");
  return sizes;
}

SlurmFile read_slurm_file(const std::string& text, const std::string& source) {
  SlurmFile file;
  std::map<std::string, Switch>& switches = file.switches;
  Expansion expansion;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  bool seen_tree = false, seen_block = false;
  while (std::getline(lines, line)) {
    ++number;
    const std::string where = "line " + std::to_string(number);
    line = line.substr(0, line.find('#'));
    // A name with a NUL or another control byte is no Slurm host or switch name (and would reach the
    // messages below as is): refused where it stands.
    const auto control = std::find_if(line.begin(), line.end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return (byte < 0x20 && !std::isspace(byte)) || byte == 0x7f;
    });
    if (control != line.end()) {
      static constexpr char kHex[] = "0123456789abcdef";
      const auto byte = static_cast<unsigned char>(*control);
      throw InputError(source, where, std::string("control character (byte 0x") + kHex[byte >> 4] + kHex[byte & 15] +
                                          ") at column " + std::to_string(control - line.begin() + 1) +
                                          ": expected text (Key=Value words)");
    }
    std::istringstream words(line);
    std::string word, name;
    Switch sw;
    sw.line = number;
    bool any = false, has_nodes = false, has_switches = false, block = false, tree = false, sizes = false;
    while (words >> word) {
      any = true;
      const auto eq = word.find('=');
      if (eq == std::string::npos) throw InputError(source, where, "expected Key=Value words, got '" + word + "'");
      const std::string key = lower(word.substr(0, eq)), value = word.substr(eq + 1);
      if (key == "switchname" || key == "blockname") {
        name = value;
        (key == "blockname" ? block : tree) = true;
        if (value.empty()) throw InputError(source, where, "empty " + word.substr(0, eq) + "=");
      } else if (key == "nodes" || key == "switches") {
        (key == "nodes" ? has_nodes : has_switches) = true;
        for (const auto& item : split_hostlist(value)) {
          // Refused before any name is made: a few characters can name billions of hosts.
          const ItemSize size = item_size(item);
          if (static_cast<double>(sw.children.size()) + size.names > static_cast<double>(limits::max_slurm_names) ||
              static_cast<double>(expansion.chars) + size.names * size.fixed_chars > static_cast<double>(kMaxExpandedChars))
            throw too_many_names(source, where);
          expand_item(item, sw.children, expansion, source, where);
        }
      } else if (key == "linkspeed") {
        char* end = nullptr;
        sw.link_gbit_s = std::strtod(value.c_str(), &end);
        if (end == value.c_str() || *end != '\0' ||
            !(sw.link_gbit_s >= limits::link_gbit_s.min && sw.link_gbit_s <= limits::link_gbit_s.max))
          throw InputError(source, where + " LinkSpeed", "expected a number from " + range_text(limits::link_gbit_s) +
                                                             " (Gb/s per link), got '" + value + "'");
      } else if (key == "blocksizes") {
        if (file.block_sizes_line > 0)
          throw InputError(source, where, "BlockSizes= given twice (first on line " + std::to_string(file.block_sizes_line) + ")");
        file.block_sizes = read_block_sizes(value, source, where);
        file.block_sizes_line = number;
        sizes = true;
      } else {
        throw InputError(source, where, "unknown key '" + word.substr(0, eq) +
                                            "' (expected SwitchName, Switches, Nodes, LinkSpeed, or BlockName, Nodes, BlockSizes)");
      }
    }
    if (!any) continue;
    if (sizes) {
      if (!name.empty() || has_nodes || has_switches) throw InputError(source, where, "BlockSizes= stands on a line of its own");
      continue;
    }
    if (name.empty()) throw InputError(source, where, "missing SwitchName= (or BlockName=)");
    if ((block && (tree || seen_tree)) || (tree && seen_block))
      throw InputError(source, where, "the file mixes SwitchName= (a switch tree) and BlockName= (blocks): give one or the other");
    (block ? seen_block : seen_tree) = true;
    file.blocks = block;
    if (block && has_switches) throw InputError(source, where, "block " + name + ": a block lists Nodes=, not Switches=");
    if (has_nodes == has_switches) throw InputError(source, where, "switch " + name + ": give either Nodes= or Switches=");
    if (sw.children.empty()) throw InputError(source, where, (block ? "block " : "switch ") + name + " lists nothing below it");
    sw.leaf = has_nodes;
    if (!switches.emplace(name, sw).second) throw InputError(source, where, (block ? "block " : "switch ") + name + " is defined twice");
    if (switches.size() > limits::max_slurm_switches)
      throw InputError(source, where, "more than " + std::to_string(limits::max_slurm_switches) +
                                          " SwitchName= (or BlockName=) lines, the limit of a topology file");
  }
  if (switches.empty()) throw InputError(source, "SwitchName", "no SwitchName= (or BlockName=) lines found");
  if (!file.blocks && file.block_sizes_line > 0)
    throw InputError(source, "line " + std::to_string(file.block_sizes_line), "BlockSizes= belongs to a file of BlockName= lines");
  return file;
}

// Level of `name`: a leaf 0, any other switch one more than its highest child. Memoized, and at
// most limits::max_slurm_levels levels (each becomes a fabric tier), so a long chain or a cycle is
// refused after bounded work.
int level_of(const std::string& name, const std::map<std::string, Switch>& switches, std::map<std::string, int>& level,
             int depth, const std::string& source) {
  if (const auto known = level.find(name); known != level.end()) return known->second;
  const Switch& sw = switches.at(name);
  const auto too_high = [&] {
    return InputError(source, "line " + std::to_string(sw.line),
                      "switch " + name + " sits more than " + std::to_string(limits::max_slurm_levels - 1) +
                          " levels above a leaf (at most " + std::to_string(limits::max_slurm_levels) +
                          " switch levels, the most tiers a fabric may have), or the switches form a cycle");
  };
  if (depth >= limits::max_slurm_levels) throw too_high();
  int highest = -1;
  if (!sw.leaf)
    for (const auto& child : sw.children) {
      if (!switches.count(child))
        throw InputError(source, "line " + std::to_string(sw.line), "switch " + name + " lists switch " + child + ", which is not defined");
      highest = std::max(highest, level_of(child, switches, level, depth + 1, source));
    }
  // A child worked out earlier returns its memoized level at any depth: check the level itself too.
  if (highest + 1 >= limits::max_slurm_levels) throw too_high();
  level[name] = highest + 1;
  return highest + 1;
}

std::map<std::string, int> switch_levels(const std::map<std::string, Switch>& switches, const std::string& source) {
  std::map<std::string, int> level;
  for (const auto& entry : switches) level_of(entry.first, switches, level, 0, source);
  return level;
}

// The name of switch level `level` of `levels`: leaf, spine, core, then level3, level4, ...
std::string level_name(int level) {
  static const char* const names[] = {"leaf", "spine", "core"};
  return level < 3 ? names[level] : "level" + std::to_string(level);
}

// Blocks (topology/block): each block's nodes share a block switch; BlockSizes= larger than a block
// are aggregations of blocks, each a switch level above; a last level joins every block when the
// largest size does not cover the cluster.
SlurmCluster block_cluster(const SlurmFile& file, const std::string& source, const Fabric& base) {
  std::map<std::string, std::string> block_of_node;
  long long widest = 0;
  double link_gbit_s = 0;
  for (const auto& [name, block] : file.switches) {
    std::set<std::string> distinct(block.children.begin(), block.children.end());
    for (const auto& node : distinct) {
      const auto [it, fresh] = block_of_node.emplace(node, name);
      if (!fresh)
        throw InputError(source, "line " + std::to_string(block.line), "node " + node + " is in block " + it->second + " and block " + name +
                                                                            " (a node belongs to one block)");
    }
    widest = std::max(widest, static_cast<long long>(distinct.size()));
    link_gbit_s = std::max(link_gbit_s, block.link_gbit_s);
  }
  SlurmCluster cluster;
  cluster.nodes = static_cast<int>(block_of_node.size());
  // Nodes under one switch of each level: a block, each larger BlockSizes= aggregation, all nodes.
  std::vector<long long> reach = {widest};
  for (long long size : file.block_sizes)
    if (size > reach.back() && size < cluster.nodes) reach.push_back(size);
  if (cluster.nodes > reach.back()) reach.push_back(cluster.nodes);
  if (reach.size() > static_cast<std::size_t>(limits::max_slurm_levels))
    throw InputError(source, "line " + std::to_string(file.block_sizes_line) + " BlockSizes",
                     "makes " + std::to_string(reach.size()) + " switch levels, more than " + std::to_string(limits::max_slurm_levels));

  Fabric& fabric = cluster.fabric;
  fabric = base;
  fabric.name = "slurm:" + source;
  fabric.tiers.clear();
  fabric.rail_optimized = false;
  const long long nics_per_node = static_cast<long long>(base.scale_up.gpus) * base.nics_per_gpu;
  const long long gpus_per_node = std::max(1, base.scale_up.gpus);
  for (std::size_t l = 0; l < reach.size(); ++l) {
    FabricTier tier;
    tier.name = l == 0 ? "block" : l + 1 == reach.size() && reach[l] == cluster.nodes ? "cluster" : "blocks-of-" + std::to_string(reach[l]);
    const FabricTier* like = l < base.tiers.size() ? &base.tiers[l] : nullptr;
    tier.hop_latency_us = like ? like->hop_latency_us : tier.hop_latency_us;
    // A block is one switch over its nodes' NICs. The file says nothing of the network above the
    // blocks: its levels are built of the base fabric's switches of the same tier (64 ports on the
    // default DGX SuperPOD), at full bisection, each level reaching its BlockSizes= nodes.
    const bool top_level = l + 1 == reach.size();
    const FabricTier* model = base.tiers.empty() ? nullptr : &base.tiers[std::min(l, base.tiers.size() - 1)];
    const long long radix = model ? model->switch_radix : 64;
    const long long ports_down = l == 0 ? widest * nics_per_node : top_level ? radix : std::max(1LL, radix / 2);
    if (2 * ports_down > static_cast<long long>(limits::switch_radix.max))
      throw InputError(source, "Nodes",
                       "a block switch would need " + std::to_string(2 * ports_down) + " ports (down and up) for its " + std::to_string(widest) +
                           " nodes, more than the " + range_text(limits::switch_radix) + " a switch radix may have");
    tier.ports_down = static_cast<int>(ports_down);
    tier.ports_up = top_level ? 0 : (l == 0 ? tier.ports_down : static_cast<int>(radix - ports_down));
    tier.switch_radix = tier.ports_down + tier.ports_up;
    tier.link_gbit_s = link_gbit_s > 0 ? link_gbit_s : base.nic_gbit_s;
    tier.max_gpus = static_cast<int>(std::min<long long>(reach[l] * gpus_per_node, static_cast<long long>(limits::tier_max_gpus.max)));
    fabric.tiers.push_back(tier);
  }
  if (link_gbit_s > 0) fabric.nic_gbit_s = link_gbit_s;
  fabric.provenance = {"assumption", "blocks from the Slurm topology.conf " + source +
                                         " (one switch per block; above the blocks, a level per BlockSizes aggregation of the base fabric's "
                                         "switches at full bisection: the file does not give them); GPUs, NICs and latencies from " + base.name};
  return cluster;
}

}  // namespace

SlurmCluster read_slurm_cluster(const std::string& text, const std::string& source, const Fabric& base) {
  const SlurmFile file = read_slurm_file(text, source);
  if (file.blocks) return block_cluster(file, source, base);
  const std::map<std::string, Switch>& switches = file.switches;
  const std::map<std::string, int> level = switch_levels(switches, source);
  int top = 0;
  for (const auto& [name, l] : level) top = std::max(top, l);

  // A node under several leaves: one leaf per rail (rail-optimized); rails = leaves per node.
  std::map<std::string, int> leaves_of_node;
  std::map<std::string, int> parents_of_switch;
  for (const auto& [name, sw] : switches)
    for (const auto& child : sw.children) ++(sw.leaf ? leaves_of_node : parents_of_switch)[child];
  int rails = 1;
  for (const auto& [node, count] : leaves_of_node) rails = std::max(rails, count);
  const int nics_per_node = base.scale_up.gpus * base.nics_per_gpu;
  if (rails > 1 && nics_per_node % rails != 0)
    throw InputError(source, "Nodes", "nodes sit under " + std::to_string(rails) + " leaf switches, which does not divide their " +
                                          std::to_string(nics_per_node) + " NICs into rails");

  // Links down from each switch, from the graph. A leaf takes each of its nodes' NICs on its rail.
  // topology.conf does not say how many links join two switches, so each switch is taken at full
  // bisection (as many links up as down: an upper bound on the real cluster), its uplinks shared
  // evenly among the switches that list it. A switch above takes the links its children send it.
  std::vector<std::vector<const std::pair<const std::string, Switch>*>> by_level(static_cast<std::size_t>(top) + 1);
  for (const auto& entry : switches) by_level[static_cast<std::size_t>(level.at(entry.first))].push_back(&entry);
  std::map<std::string, double> links_down;
  const double radix_max = limits::switch_radix.max;
  for (int l = 0; l <= top; ++l)
    for (const auto* entry : by_level[static_cast<std::size_t>(l)]) {
      const Switch& sw = entry->second;
      double down = 0;
      if (sw.leaf) {
        down = static_cast<double>(sw.children.size()) * nics_per_node / rails;
      } else {
        for (const auto& child : sw.children) down += links_down.at(child) / std::max(1, parents_of_switch[child]);
      }
      if (2 * down > radix_max)
        throw InputError(source, "line " + std::to_string(sw.line),
                         "switch " + entry->first + " (level " + std::to_string(l) + ") would need " + std::to_string(std::llround(std::ceil(2 * down))) +
                             " ports (down and up), more than the " + range_text(limits::switch_radix) + " a switch radix may have");
      links_down[entry->first] = down;
    }

  SlurmCluster cluster;
  cluster.nodes = static_cast<int>(leaves_of_node.size());
  Fabric& fabric = cluster.fabric;
  fabric = base;
  fabric.name = "slurm:" + source;
  fabric.tiers.clear();
  fabric.rail_optimized = rails > 1;
  const long long gpus_per_node = std::max(1, base.scale_up.gpus);
  long long reach_nodes = 0;
  for (int l = 0; l <= top; ++l) {
    FabricTier tier;
    tier.name = level_name(l);
    const FabricTier* like = static_cast<std::size_t>(l) < base.tiers.size() ? &base.tiers[static_cast<std::size_t>(l)] : nullptr;
    tier.hop_latency_us = like ? like->hop_latency_us : tier.hop_latency_us;
    // The widest switch of the level sizes the tier.
    double widest = 0, link_gbit_s = 0;
    std::size_t widest_children = 1;
    for (const auto* entry : by_level[static_cast<std::size_t>(l)]) {
      const double down = links_down.at(entry->first);
      if (down > widest) widest = down, widest_children = entry->second.children.size();
      link_gbit_s = std::max(link_gbit_s, entry->second.link_gbit_s);
    }
    tier.ports_down = std::max(1, static_cast<int>(std::ceil(widest - 1e-9)));
    tier.ports_up = l == top ? 0 : tier.ports_down;
    tier.switch_radix = tier.ports_down + tier.ports_up;
    // Above the leaves, the links the widest switch runs to each child: without them its reach would
    // count every link as another switch below (the nodes under one switch, overstated).
    if (l > 0) tier.links_per_switch_below = static_cast<int>(std::max(1LL, std::llround(widest / static_cast<double>(std::max<std::size_t>(1, widest_children)))));
    // Nodes under one switch of this level: a leaf's nodes; above, the widest switch's children
    // (per rail, for the first level over rail leaves) times the reach of the level below.
    const long long children = static_cast<long long>(widest_children) / (l == 1 && rails > 1 ? rails : 1);
    reach_nodes = l == 0 ? static_cast<long long>(widest_children) : std::min<long long>(reach_nodes * std::max(1LL, children), 1LL << 40);
    tier.max_gpus = static_cast<int>(std::min<long long>(std::min<long long>(reach_nodes, cluster.nodes) * gpus_per_node,
                                                         static_cast<long long>(limits::tier_max_gpus.max)));
    tier.link_gbit_s = link_gbit_s > 0 ? link_gbit_s : base.nic_gbit_s;
    if (l == 0 && link_gbit_s > 0) fabric.nic_gbit_s = link_gbit_s;
    fabric.tiers.push_back(tier);
  }
  fabric.provenance = {"assumption", "switch tree from the Slurm topology.conf " + source +
                                         " (full bisection between levels assumed: the file does not give link counts); GPUs, NICs "
                                         "and latencies from " + base.name};
  return cluster;
}

Fabric parse_slurm_topology(const std::string& text, const std::string& source, const Fabric& base) {
  return read_slurm_cluster(text, source, base).fabric;
}

}  // namespace trainplan
