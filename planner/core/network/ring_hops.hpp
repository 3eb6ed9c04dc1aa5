#pragma once
// Where a ring's hops go on a tiered fabric (docs/network-model.md, "Latency"). A ring through k
// nodes (node_stride apart, from first_node, in rank order) has k neighbour pairs around its
// cycle; each pair's traffic tops out at the lowest tier whose switch group holds both nodes.
// A pipelined ring pass (NCCL's ring all-reduce phase, reduce-scatter, all-gather) carries each
// chunk over k - 1 of those hops, so the switch latency a pass pays is the sum of its hops' own
// path latencies, not k - 1 times the highest tier's. Pure, allocation-free.
#include "planner/core/fabric.hpp"

namespace trainplan {

// Tiers a ring's hop count is kept for (input_limits.hpp caps fabrics at 6 tiers).
inline constexpr int kRingHopTiers = 8;

struct RingHops {
  // hops[t]: neighbour pairs of the cycle whose path tops out at tier t (0 = both under one leaf).
  long long hops[kRingHopTiers] = {};
  int top_tier = -1;  // highest tier any hop tops out at
};

// Hops by tier for a ring of `nodes` nodes, `node_stride` apart from `first_node`, whose highest
// tier is `top_tier` (every hop is capped there). Closed form: with B_t the number of tier-t switch
// groups holding a member, B_t hops leave a tier-t group when B_t > 1 (none when the ring sits in
// one); those leaving tier t but not tier t+1 top out at tier t+1; the other hops stay in a leaf.
RingHops ring_hops(const Fabric& fabric, long long first_node, long long node_stride, long long nodes, int top_tier);

// Switch latency (microseconds) of one tier-t path: up through tiers 0..t-1, across t, down again.
double tier_path_latency_us(const Fabric& fabric, int tier);

// Switch latency (microseconds) of one pipelined pass of the ring: the slowest chunk's k - 1 hops,
// i.e. the sum over the cycle's hops less its cheapest hop.
double ring_pass_switch_latency_us(const Fabric& fabric, const RingHops& hops);

// Switch latency (microseconds) of one leaf-to-root path of a binary tree over the same `nodes`
// (NCCL's double binary tree, in-order ranks): the edge of level l joins members 2^(l-1) apart
// inside an aligned block of 2^l of them, so it tops out at the lowest tier whose switch group
// spans more than 2^(l-1) x node_stride nodes (capped at top_tier); ceil(log2 nodes) levels, the
// root's at top_tier (a straddling instance crosses its boundary somewhere; aligned, at the root).
double tree_path_switch_latency_us(const Fabric& fabric, long long node_stride, long long nodes, int top_tier);

}  // namespace trainplan
