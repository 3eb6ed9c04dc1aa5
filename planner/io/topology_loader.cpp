#include "topology_loader.hpp"

#include "embedded_data.hpp"
#include "input_error.hpp"
#include "site_tier.hpp"

namespace trainplan {

Fabric parse_topology(const YAML::Node& document, const std::string& source) {
  const FieldReader f(document, source);
  f.reject_unknown_keys({"name", "technology", "provenance", "scale_up", "nics_per_gpu", "nic_gbit_s", "rail_optimized",
                         "planes", "routing_efficiency", "in_network_reduction", "hash_polarization", "tiers", "notes", "sources"});
  Fabric fabric;
  fabric.name = f.get_string("name");
  fabric.technology = f.get_choice("technology", {"infiniband", "ethernet"}, "infiniband");
  const FieldReader up = f.child("scale_up");
  up.reject_unknown_keys({"gpus", "gb_s_per_direction", "in_switch_reduction", "hop_latency_us", "gpus_per_host"});
  fabric.scale_up.gpus = up.get_int("gpus", limits::scale_up_gpus);
  fabric.scale_up.gb_s_per_direction = up.get_number("gb_s_per_direction", limits::link_gb_s);
  fabric.scale_up.in_switch_reduction = up.get_bool("in_switch_reduction", false);
  fabric.scale_up.hop_latency_us = up.get_number("hop_latency_us", limits::hop_latency_us, 0.6);
  fabric.scale_up.gpus_per_host = up.get_int("gpus_per_host", limits::scale_up_gpus, 0);
  fabric.nics_per_gpu = f.get_int("nics_per_gpu", limits::nics_per_gpu, 1);
  fabric.nic_gbit_s = f.get_number("nic_gbit_s", limits::link_gbit_s);
  fabric.rail_optimized = f.get_bool("rail_optimized", true);
  fabric.planes = f.get_int("planes", limits::planes, 1);
  fabric.routing_efficiency = f.get_number("routing_efficiency", limits::routing_efficiency, 1.0);
  fabric.in_network_reduction = f.get_bool("in_network_reduction", false);
  fabric.hash_polarization = f.get_number("hash_polarization", limits::hash_polarization, 0);
  const FieldReader p = f.child("provenance");
  p.reject_unknown_keys({"kind", "source"});
  fabric.provenance.kind = p.get_choice("kind", {"published", "measured", "assumption"});
  fabric.provenance.source = p.get_string("source");

  // tiers: a mapping from name to tier, bottom (leaf) first, so `--set fabric.tiers.spine.X=` works.
  const FieldReader tiers = f.child("tiers");
  if (tiers.node().size() > limits::max_tiers)
    f.fail("tiers", "at most " + std::to_string(limits::max_tiers) + " tiers, got " + std::to_string(tiers.node().size()));
  for (const auto& entry : tiers.node()) {
    const std::string name = entry.first.Scalar();
    const FieldReader t = tiers.child(name);
    t.reject_unknown_keys({"switch_radix", "link_gbit_s", "oversubscription", "ports_down", "ports_up", "hop_latency_us",
                           "max_gpus", "sites", "cost_usd_per_link"});  // ("top" was accepted and never read: refused now)
    FabricTier tier;
    tier.name = name;
    tier.switch_radix = t.get_int("switch_radix", limits::switch_radix);
    tier.link_gbit_s = t.get_number("link_gbit_s", limits::link_gbit_s, fabric.nic_gbit_s);
    tier.hop_latency_us = t.get_number("hop_latency_us", limits::hop_latency_us, 0.5);
    tier.max_gpus = t.get_int("max_gpus", limits::tier_max_gpus, 0);
    read_site_fields(t, tier, fabric);  // sites: a DCI tier joining buildings (site_tier.hpp)
    if (t.has("ports_down") || t.has("ports_up")) {
      // Each read against the radix first, so the sum below cannot overflow.
      tier.ports_down = t.get_int("ports_down", Range{1, static_cast<double>(tier.switch_radix)});
      tier.ports_up = t.get_int("ports_up", Range{0, static_cast<double>(tier.switch_radix)}, 0);
      if (t.has("oversubscription")) {
        // Ports given and an oversubscription laid over them (a --set what-if): keep the ports
        // down and take ports_down / oversubscription uplinks.
        const double oversubscription = t.get_number("oversubscription", limits::oversubscription);
        tier.ports_up = std::max(1, static_cast<int>(tier.ports_down / oversubscription + 0.5));
      }
    } else {
      // down : up = oversubscription : 1, splitting the radix (1 = full bisection).
      const double oversubscription = t.get_number("oversubscription", limits::oversubscription, 1.0);
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
  check_site_tier(tiers, fabric);  // sites: the DCI on top, the tier below it sized to one site
  return fabric;
}

std::vector<std::string> topology_names() { return embedded_names("topologies/", ".yaml"); }

Fabric load_topology(const std::string& name_or_path, const std::vector<Override>& overrides) {
  Document doc = load_document(name_or_path, "topologies/", "topology");
  for (const auto& o : overrides)
    if (o.scope == "fabric") apply_override(doc.node, o);
  return naming_overrides(overrides, "fabric", [&] { return parse_topology(doc.node, doc.source); });
}

}  // namespace trainplan
