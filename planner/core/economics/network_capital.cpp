#include "planner/core/economics/network_capital.hpp"

#include <algorithm>
#include <cmath>

#include "planner/core/fabric.hpp"
#include "planner/core/network/fabric_sizing.hpp"

namespace trainplan {

namespace {
constexpr int unknown_radix_ports = 64;        // a switch counted without its fabric: priced as 64 ports
constexpr double unknown_speed_gbit_s = 400;   // ... at 400 Gb/s when the NIC speed is not known either

NetworkPricePoint scaled(const NetworkPricePoint& p, double gbit_s) {
  const double k = p.gbit_s > 0 ? gbit_s / p.gbit_s : 1.0;
  return {gbit_s, p.switch_usd_per_port * k, p.link_usd * k, p.nic_usd * k};
}
// The DCI links of a site tier: count x the topology file's cost_usd_per_link; no price given: the
// count with usd 0 and priced false (the breakdown says "not priced").
NetworkCapitalLine site_link_line(const NetworkTierCount& tier) {
  NetworkCapitalLine l{"link " + tier.name, tier.links, tier.link_gbit_s, 0, tier.site_link_usd, 0, tier.site_link_source, tier.site_link_usd > 0};
  l.usd = l.count * l.unit_usd;
  return l;
}
}  // namespace

NetworkPricePoint network_prices_at(const std::vector<NetworkPricePoint>& points, double gbit_s) {
  if (points.empty()) return {gbit_s, 0, 0, 0};
  if (gbit_s <= points.front().gbit_s) return gbit_s == points.front().gbit_s ? points.front() : scaled(points.front(), gbit_s);
  if (gbit_s >= points.back().gbit_s) return gbit_s == points.back().gbit_s ? points.back() : scaled(points.back(), gbit_s);
  const auto above = std::lower_bound(points.begin(), points.end(), gbit_s,
                                      [](const NetworkPricePoint& p, double s) { return p.gbit_s < s; });
  if (above->gbit_s == gbit_s) return *above;
  const NetworkPricePoint& lo = *(above - 1);
  const NetworkPricePoint& hi = *above;
  const double t = (gbit_s - lo.gbit_s) / (hi.gbit_s - lo.gbit_s);
  const auto mix = [t](double a, double b) { return a + t * (b - a); };
  return {gbit_s, mix(lo.switch_usd_per_port, hi.switch_usd_per_port), mix(lo.link_usd, hi.link_usd), mix(lo.nic_usd, hi.nic_usd)};
}

NetworkTiers network_tiers_of(const Fabric& fabric, const FabricSize& size) {
  NetworkTiers out;
  out.nic_gbit_s = fabric.nic_gbit_s;
  for (std::size_t t = 0; t < size.tiers.size(); ++t) {
    NetworkTierCount c;
    c.name = size.tiers[t].name;
    c.switches = size.tiers[t].switches;
    c.links = static_cast<double>(size.tiers[t].cables_down);
    if (t < fabric.tiers.size()) {
      c.switch_radix = fabric.tiers[t].switch_radix;
      c.link_gbit_s = fabric.tiers[t].link_gbit_s;
      if (fabric.tiers[t].sites > 0) {  // ---- sites: the DCI's links carry the file's price ----
        c.site_tier = true;
        c.site_link_usd = fabric.tiers[t].cost_usd_per_link;
        c.site_link_source = "topology " + fabric.name + " tiers." + c.name + ".cost_usd_per_link";
      }
    }
    out.tiers.push_back(c);
  }
  return out;
}

std::vector<NetworkCapitalLine> price_network(const NetworkTiers& tiers, double nics, const NetworkPrices& prices) {
  std::vector<NetworkCapitalLine> lines;
  const double nic_speed = tiers.nic_gbit_s > 0 ? tiers.nic_gbit_s : unknown_speed_gbit_s;
  for (const NetworkTierCount& tier : tiers.tiers) {
    const double speed = tier.link_gbit_s > 0 ? tier.link_gbit_s : nic_speed;
    const int ports = tier.switch_radix > 0 ? tier.switch_radix : unknown_radix_ports;
    const NetworkPricePoint at = network_prices_at(prices.by_speed, speed);
    const std::string suffix = tier.name.empty() ? "" : " " + tier.name;
    if (tier.switches > 0) {
      NetworkCapitalLine s{"switch" + suffix, tier.switches, prices.switch_usd ? 0 : speed, prices.switch_usd ? 0 : ports,
                           prices.switch_usd ? *prices.switch_usd : ports * at.switch_usd_per_port, 0, {}, true};
      s.usd = s.count * s.unit_usd;
      lines.push_back(s);
    }
    if (tier.links > 0 && tier.site_tier) {  // ---- sites: DCI links at the file's price, or marked unpriced ----
      lines.push_back(site_link_line(tier));
    } else if (tier.links > 0) {
      NetworkCapitalLine l{"link" + suffix, tier.links, prices.link_usd ? 0 : speed, 0, prices.link_usd ? *prices.link_usd : at.link_usd, 0, {}, true};
      l.usd = l.count * l.unit_usd;
      lines.push_back(l);
    }
  }
  if (nics > 0) {
    NetworkCapitalLine n{"nic", nics, prices.nic_usd ? 0 : nic_speed, 0,
                         prices.nic_usd ? *prices.nic_usd : network_prices_at(prices.by_speed, nic_speed).nic_usd, 0, {}, true};
    n.usd = n.count * n.unit_usd;
    lines.push_back(n);
  }
  return lines;
}

}  // namespace trainplan
