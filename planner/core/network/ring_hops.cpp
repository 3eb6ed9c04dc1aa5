// Ring hops by tier and the switch latency of a ring pass (ring_hops.hpp).
#include "planner/core/network/ring_hops.hpp"

#include <algorithm>

#include "planner/core/network/fabric_sizing.hpp"

namespace trainplan {

double tier_path_latency_us(const Fabric& f, int tier) {
  double us = f.tiers[static_cast<std::size_t>(tier)].hop_latency_us;
  for (int u = 0; u < tier; ++u) us += 2.0 * f.tiers[static_cast<std::size_t>(u)].hop_latency_us;
  return us;
}

RingHops ring_hops(const Fabric& f, long long first_node, long long node_stride, long long nodes, int top_tier) {
  RingHops r;
  const int tiers = std::min({static_cast<int>(f.tiers.size()), kRingHopTiers, top_tier + 1});
  if (nodes <= 1 || tiers <= 0) return r;
  r.top_tier = tiers - 1;
  const long long stride = std::max(1LL, node_stride);
  const long long first = std::max(0LL, first_node), last = first + (nodes - 1) * stride;
  // leaving[t]: hops that leave a tier-t switch group (0 at the top tier: the ring tops out there).
  long long leaving[kRingHopTiers] = {};
  long long reach = 0;
  for (int t = 0; t + 1 < tiers; ++t) {
    reach = std::max(1LL, tier_reach_step(f, static_cast<std::size_t>(t), reach));
    const long long groups = stride >= reach ? nodes : last / reach - first / reach + 1;
    leaving[t] = groups > 1 ? std::min(groups, nodes) : 0;
  }
  r.hops[0] = nodes - leaving[0];
  for (int t = 1; t < tiers; ++t) r.hops[t] = leaving[t - 1] - leaving[t];
  return r;
}

double ring_pass_switch_latency_us(const Fabric& f, const RingHops& r) {
  double sum = 0, cheapest = -1;
  for (int t = 0; t <= r.top_tier; ++t) {
    if (r.hops[t] <= 0) continue;
    const double us = tier_path_latency_us(f, t);
    sum += static_cast<double>(r.hops[t]) * us;
    if (cheapest < 0) cheapest = us;  // path latency grows with the tier
  }
  return cheapest < 0 ? 0.0 : sum - cheapest;
}

double tree_path_switch_latency_us(const Fabric& f, long long node_stride, long long nodes, int top_tier) {
  const int tiers = std::min(static_cast<int>(f.tiers.size()), top_tier + 1);
  if (nodes <= 1 || tiers <= 0) return 0.0;
  long long reach[kRingHopTiers] = {};
  long long below = 0;
  for (int t = 0; t < tiers && t < kRingHopTiers; ++t) reach[t] = below = std::max(1LL, tier_reach_step(f, static_cast<std::size_t>(t), below));
  double us = 0;
  for (long long half = 1; half < nodes; half *= 2) {  // one level per doubling: ceil(log2 nodes)
    const long long distance = half * std::max(1LL, node_stride);
    int tier = 0;
    while (tier + 1 < tiers && tier < kRingHopTiers && reach[tier] <= distance) ++tier;
    if (half * 2 >= nodes) tier = tiers - 1;  // the root's edge: the tree crosses its top tier somewhere
    us += tier_path_latency_us(f, tier);
  }
  return us;
}

}  // namespace trainplan
