#include "topology_loader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "embedded_data.hpp"
#include "input_error.hpp"

namespace trainplan {

Fabric parse_topology(const YAML::Node& document, const std::string& source) {
  const FieldReader f(document, source);
  f.reject_unknown_keys({"name", "technology", "provenance", "scale_up", "nics_per_gpu", "nic_gbit_s", "rail_optimized",
                         "planes", "routing_efficiency", "in_network_reduction", "tiers", "notes", "sources"});
  Fabric fabric;
  fabric.name = f.get_string("name");
  fabric.technology = f.get_choice("technology", {"infiniband", "ethernet"}, "infiniband");
  const FieldReader up = f.child("scale_up");
  up.reject_unknown_keys({"gpus", "gb_s_per_direction", "in_switch_reduction", "hop_latency_us"});
  fabric.scale_up.gpus = static_cast<int>(up.get_count("gpus"));
  fabric.scale_up.gb_s_per_direction = up.get_positive("gb_s_per_direction");
  fabric.scale_up.in_switch_reduction = up.get_bool("in_switch_reduction", false);
  fabric.scale_up.hop_latency_us = up.get_non_negative("hop_latency_us", 0.6);
  fabric.nics_per_gpu = static_cast<int>(f.get_count("nics_per_gpu", 1));
  fabric.nic_gbit_s = f.get_positive("nic_gbit_s");
  fabric.rail_optimized = f.get_bool("rail_optimized", true);
  fabric.planes = static_cast<int>(f.get_count("planes", 1));
  fabric.routing_efficiency = f.get_positive("routing_efficiency", 1.0);
  if (fabric.routing_efficiency > 1.0) f.fail("routing_efficiency", "a fraction of the link rate, at most 1");
  fabric.in_network_reduction = f.get_bool("in_network_reduction", false);
  const FieldReader p = f.child("provenance");
  fabric.provenance.kind = p.get_choice("kind", {"published", "measured", "assumption"});
  fabric.provenance.source = p.get_string("source");

  // tiers: a mapping from name to tier, bottom (leaf) first, so `--set fabric.tiers.spine.X=` works.
  const FieldReader tiers = f.child("tiers");
  for (const auto& entry : tiers.node()) {
    const std::string name = entry.first.as<std::string>();
    const FieldReader t = tiers.child(name);
    t.reject_unknown_keys({"switch_radix", "link_gbit_s", "oversubscription", "ports_down", "ports_up", "hop_latency_us",
                           "max_gpus", "top"});
    FabricTier tier;
    tier.name = name;
    tier.switch_radix = static_cast<int>(t.get_count("switch_radix"));
    tier.link_gbit_s = t.get_positive("link_gbit_s", fabric.nic_gbit_s);
    tier.hop_latency_us = t.get_non_negative("hop_latency_us", 0.5);
    tier.max_gpus = static_cast<int>(t.get_non_negative_count("max_gpus", 0));
    if (t.has("ports_down") || t.has("ports_up")) {
      tier.ports_down = static_cast<int>(t.get_count("ports_down"));
      tier.ports_up = static_cast<int>(t.get_non_negative_count("ports_up", 0));
      if (t.has("oversubscription")) {
        // Ports given and an oversubscription laid over them (a --set what-if): keep the ports
        // down and take ports_down / oversubscription uplinks.
        const double oversubscription = t.get_positive("oversubscription");
        if (oversubscription < 1.0) t.fail("oversubscription", "down:up ratio must be >= 1 (1 = full bisection)");
        tier.ports_up = std::max(1, static_cast<int>(tier.ports_down / oversubscription + 0.5));
      }
    } else {
      // down : up = oversubscription : 1, splitting the radix (1 = full bisection).
      const double oversubscription = t.get_positive("oversubscription", 1.0);
      if (oversubscription < 1.0) t.fail("oversubscription", "down:up ratio must be >= 1 (1 = full bisection)");
      tier.ports_up = static_cast<int>(tier.switch_radix / (1.0 + oversubscription) + 0.5);
      tier.ports_down = tier.switch_radix - tier.ports_up;
    }
    if (tier.ports_down + tier.ports_up > tier.switch_radix)
      t.fail("ports_down", "ports down (" + std::to_string(tier.ports_down) + ") + up (" + std::to_string(tier.ports_up) +
                               ") exceed the switch radix (" + std::to_string(tier.switch_radix) + ")");
    if (tier.ports_down < 1) t.fail("ports_down", "a tier needs at least one port towards the tier below");
    fabric.tiers.push_back(tier);
  }
  if (fabric.tiers.empty()) f.fail("tiers", "at least one scale-out tier (leaf) is needed");
  return fabric;
}

std::vector<std::string> topology_names() { return embedded_names("topologies/", ".yaml"); }

Fabric load_topology(const std::string& name_or_path, const std::vector<Override>& overrides) {
  Document doc = load_document(name_or_path, "topologies/", "topology");
  for (const auto& o : overrides)
    if (o.scope == "fabric") apply_override(doc.node, o);
  return parse_topology(doc.node, doc.source);
}

Fabric parse_slurm_topology(const std::string& text, const std::string& source, const Fabric& base) {
  struct Switch {
    std::vector<std::string> children;
    bool leaf = false;
  };
  std::map<std::string, Switch> switches;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string word, name;
    Switch sw;
    bool any = false;
    while (words >> word) {
      any = true;
      const auto eq = word.find('=');
      if (eq == std::string::npos) throw InputError(source, "line " + std::to_string(number), "expected Key=Value words, got '" + word + "'");
      const std::string key = word.substr(0, eq), value = word.substr(eq + 1);
      if (key == "SwitchName") {
        name = value;
      } else if (key == "Switches" || key == "Nodes") {
        sw.leaf = key == "Nodes";
        // Expand simple ranges: node[001-032] or a,b,c.
        std::istringstream items(value);
        std::string item;
        while (std::getline(items, item, ',')) {
          const auto open = item.find('['), dash = item.find('-'), close = item.find(']');
          if (open != std::string::npos && dash != std::string::npos && close != std::string::npos) {
            const int from = std::stoi(item.substr(open + 1, dash - open - 1));
            const int to = std::stoi(item.substr(dash + 1, close - dash - 1));
            for (int i = from; i <= to; ++i) sw.children.push_back(item.substr(0, open) + std::to_string(i));
          } else {
            sw.children.push_back(item);
          }
        }
      } else if (key != "LinkSpeed") {
        throw InputError(source, "line " + std::to_string(number), "unknown key " + key + " (expected SwitchName, Switches, Nodes, LinkSpeed)");
      }
    }
    if (!any) continue;
    if (name.empty()) throw InputError(source, "line " + std::to_string(number), "missing SwitchName=");
    switches[name] = sw;
  }
  if (switches.empty()) throw InputError(source, "", "no SwitchName= lines found");
  // Level of each switch: leaves are 0, a switch above its highest child's level + 1.
  std::map<std::string, int> level;
  for (int pass = 0; pass < 16; ++pass)
    for (const auto& [name, sw] : switches) {
      if (sw.leaf) { level[name] = 0; continue; }
      int highest = -1;
      for (const auto& child : sw.children) {
        const auto it = level.find(child);
        if (it == level.end()) { highest = -2; break; }
        highest = std::max(highest, it->second);
      }
      if (highest >= 0) level[name] = highest + 1;
    }
  for (const auto& [name, sw] : switches)
    if (!level.count(name)) throw InputError(source, "SwitchName=" + name, "lists switches that are not defined (or a cycle)");
  int top = 0;
  for (const auto& [name, l] : level) top = std::max(top, l);
  Fabric fabric = base;
  fabric.name = "slurm topology " + source;
  fabric.tiers.clear();
  fabric.rail_optimized = false;
  for (int l = 0; l <= top; ++l) {
    FabricTier tier;
    tier.name = l == 0 ? "leaf" : l == top ? "top" : "level" + std::to_string(l);
    int widest = 0, count = 0;
    for (const auto& [name, sw] : switches)
      if (level[name] == l) { widest = std::max<int>(widest, static_cast<int>(sw.children.size())); ++count; }
    // Downlinks: nodes x NICs per node at the leaf, children below; uplinks: one per switch above.
    const int nics_per_node = base.scale_up.gpus * base.nics_per_gpu;
    tier.ports_down = l == 0 ? widest * nics_per_node : widest;
    int parents = 0;
    for (const auto& [name, sw] : switches)
      if (level[name] == l + 1) ++parents;
    tier.ports_up = l == top ? 0 : parents;
    tier.switch_radix = tier.ports_down + tier.ports_up;
    tier.link_gbit_s = base.nic_gbit_s;
    (void)count;
    fabric.tiers.push_back(tier);
  }
  fabric.provenance = {"assumption", "wiring from the Slurm topology.conf " + source + "; link speeds and GPUs per node from " + base.name};
  return fabric;
}

}  // namespace trainplan
