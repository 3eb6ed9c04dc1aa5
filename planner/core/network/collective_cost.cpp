// Collectives placed on a tiered fabric. docs/network-model.md states the model; in short:
//  - Placement: a group of n ranks with stride s (Megatron's rank order) on nodes of g GPUs has
//    m = g/s members per node (1 when s >= g) on k = n/m nodes; the lowest tier whose switch group
//    reaches the nodes from its first member to its last is the tier its traffic tops out at.
//  - Uplink sharing: every group of a kind runs at once, so under one switch of tier u every GPU
//    has traffic of its own kind; the fraction of it that leaves the switch's subtree, times the
//    oversubscription of the uplinks crossed so far, is what each uplink must carry per unit of
//    capacity. Above 1 the traffic slows down by that factor.
//  - Algorithms: a flat ring, the hierarchical ring/tree (reduce-scatter in the node, per-rail
//    all-reduce across nodes, all-gather in the node), NVLS inside the node and SHARP across nodes
//    where the fabric file says so; the cheapest over NCCL's three protocols, as NCCL's tuner picks.
//  - Time = bytes on the busiest link / its rate + NCCL's per-step latency constants + switch hops.
#include "planner/core/network/collective_cost.hpp"

#include <algorithm>
#include <cmath>

#include "planner/core/network/fabric_sizing.hpp"
#include "planner/core/network/ecmp_planes.hpp"
#include "planner/core/network/group_instance.hpp"
#include "planner/core/network/rail_crossing.hpp"
#include "planner/core/network/ring_hops.hpp"

namespace trainplan {

namespace {

// Tiers whose reach a GroupShape keeps (fabrics have 1-3 scale-out tiers; above this, recomputed).
constexpr int kTiersKept = 4;

// NCCL's latency model (NCCL's source, src/graph/tuning.cc; docs/network-model.md, "Latency"),
// microseconds: a base per collective plus one step latency per algorithm step. wire_fraction is
// the part of each store that carries data: LL writes 4 bytes of data with a 4-byte flag per
// 8-byte store (1/2); LL128 120 bytes of data per 128-byte line; Simple has no flags.
struct Protocol {
  double base_us;
  double nvlink_step_us;
  double net_ring_step_us;
  double net_tree_step_us;
  double wire_fraction;
};
constexpr Protocol kProtocols[] = {
    {6.6, 0.6, 2.7, 5.0, 0.5},             // LL
    {14.0, 1.9, 4.0, 8.5, 120.0 / 128.0},  // LL128
    {8.4, 3.4, 14.0, 14.0, 1.0},           // Simple
};

struct GroupShape {
  double n = 1;                // ranks
  double m = 1;                // members per node
  double k = 1;                // nodes holding members
  long long node_stride = 1;   // nodes between the nodes of consecutive members
  long long node_span = 1;     // nodes from the first member's to the last member's
  int tier = -1;               // highest tier crossed; -1: one scale-up domain
  long long reach_nodes[kTiersKept] = {};  // tier_reach_nodes of tiers 0..tier, worked out once
  // Placement: the tier whose boundary the slowest instance straddles (-1: none). Only the few
  // instances of a block that straddle it send across it, spread over the uplinks of the whole
  // switch group: that tier adds no uplink sharing (docs/network-model.md).
  int straddled_tier = -1;
  long long first_node = 0;  // the costed instance's first node (ring_hops: which hops cross where)
};

GroupShape shape_of(const Fabric& f, GroupPlacement group) {
  GroupShape shape;
  const long long g = std::max(1, f.scale_up.gpus);
  const long long n = group.size, s = std::max(1, group.stride);
  const long long span_ranks = (n - 1) * s + 1;
  shape.n = static_cast<double>(n);
  shape.m = static_cast<double>(n);
  if (span_ranks <= g || f.tiers.empty()) return shape;
  shape.m = s < g ? static_cast<double>(std::min(n, g / s)) : 1.0;
  shape.node_stride = s < g ? 1 : s / g;
  shape.k = std::ceil(shape.n / shape.m);
  shape.node_span = (span_ranks + g - 1) / g;
  shape.tier = static_cast<int>(f.tiers.size()) - 1;
  long long reach = 0;
  for (std::size_t t = 0; t < f.tiers.size(); ++t) {
    reach = tier_reach_step(f, t, reach);
    if (t < kTiersKept) shape.reach_nodes[t] = reach;
    if (reach >= shape.node_span) {
      shape.tier = static_cast<int>(t);
      break;
    }
  }
  return shape;
}

// Placement: the slowest instance of the kind (group_instance.hpp). Where it straddles a boundary
// the rank-0 instance does not, its traffic tops out higher; inside one domain at rank 0, it spans
// two domains with the larger part's members per node.
GroupShape slowest_shape(const Fabric& f, GroupPlacement group, const GroupInstance& instance) {
  GroupShape shape = shape_of(f, group);
  const long long g = std::max(1, f.scale_up.gpus), s = std::max(1, group.stride);
  shape.first_node = instance.first_rank / g;
  if (instance.tier <= shape.tier) return shape;
  if (shape.tier < 0) {
    const long long boundary = (instance.first_rank / g + 1) * g;
    const long long before = (boundary - instance.first_rank + s - 1) / s;
    shape.m = static_cast<double>(std::max(before, group.size - before));
    shape.k = 2;
    shape.node_span = 2;
    shape.node_stride = 1;
  }
  shape.tier = instance.tier;
  long long reach = 0;
  for (std::size_t t = 0; t < f.tiers.size() && t < kTiersKept; ++t) shape.reach_nodes[t] = reach = tier_reach_step(f, t, reach);
  const int level = instance.tier - 1;  // the boundary the instance straddles
  if (level >= 0 && level < kTiersKept) {
    shape.straddled_tier = level;
  }
  return shape;
}

// Nodes of one group under one switch (group) of tier u: its nodes are node_stride apart.
double nodes_in_subtree(const Fabric& f, const GroupShape& g, int u) {
  const double reach = static_cast<double>(u < kTiersKept ? g.reach_nodes[u] : tier_reach_nodes(f, static_cast<std::size_t>(u)));
  const double nodes = std::clamp(std::floor(reach / static_cast<double>(g.node_stride)), 1.0, g.k);
  return nodes;
}

enum class Pattern { neighbours, all_pairs };

// The slowdown from the busiest uplink below the group's top tier (1 = none). Per unit of a GPU's
// NIC traffic, the uplinks of tier u carry `leaving` (the fraction that leaves the subtree) and
// have 1 / (product of the oversubscriptions of tiers 0..u) of capacity:
//  - neighbours (rings, trees, SHARP, pipeline sends): a ring through the subtree's k_u nodes has
//    k_u edges per channel and one of them leaves, so leaving = 1/k_u (trees leave about as rarely);
//  - all pairs (all-to-all): a member sends to n - m peers off its node, n - c_u of them outside
//    the subtree (c_u = k_u m members inside), so leaving = (n - c_u) / (n - m).
double uplink_sharing(const Fabric& f, const GroupShape& g, Pattern pattern) {
  double oversubscription = 1.0, worst = 1.0;
  const double capacity = polarized_uplink_capacity(f);  // ECMP hash polarization (ecmp_planes.hpp)
  for (int u = 0; u < g.tier; ++u) {
    oversubscription *= f.tiers[static_cast<std::size_t>(u)].oversubscription();
    if (u == g.straddled_tier) continue;  // placement: a few straddling instances, diluted
    const double k_u = nodes_in_subtree(f, g, u);
    const double leaving = pattern == Pattern::neighbours ? 1.0 / k_u : (g.n - k_u * g.m) / std::max(1.0, g.n - g.m);
    worst = std::max(worst, leaving * oversubscription / capacity);
  }
  return worst;
}

// Switch latency of a path that tops out at tier t: up through tiers 0..t-1, across t, down again.
double path_latency_us(const Fabric& f, int tier) { return tier_path_latency_us(f, tier); }

struct Candidate {
  double bandwidth_s;
  double latency_s;
  CollectiveAlgorithm algorithm;
};

// In-network (SHARP) reduce-scatter or all-gather across nodes, after the in-node stage (node_s).
// Reduce-scatter: each rail's shard (S/m) goes up the switch tree once and each GPU receives its
// reduced S/n; all-gather: each GPU sends its S/n up once and the switches multicast the gathered
// S/m down. The busier direction carries S/m per NIC (a ring carries (S/m)(k-1)/k), in two network
// steps (up and down the tree) instead of the ring's k-1. NCCL runs reduce-scatter and all-gather
// on SHARP from NCCL 2.20 with SHARP 3.5.2 (HPC-X 2.18.1), per NVIDIA's SHARP 3.5.2 release notes.
Candidate sharp_reduce_scatter_or_gather(double node_s, double rail_bytes, double rail_rate, double fixed_s,
                                         double tree_step_us) {
  return {std::max(node_s, rail_bytes / rail_rate), fixed_s + 2.0 * tree_step_us * 1e-6, CollectiveAlgorithm::in_network};
}

void keep_cheapest(CollectiveCost& best, const Candidate& c) {
  const double seconds = c.bandwidth_s + c.latency_s;
  if (best.algorithm != CollectiveAlgorithm::none && seconds >= best.seconds) return;
  best.seconds = seconds;
  best.bandwidth_s = c.bandwidth_s;
  best.latency_s = c.latency_s;
  best.algorithm = c.algorithm;
}

// Inside one NVLink domain. Ring all-reduce moves 2(n-1)/n of the buffer over each GPU's link;
// reduce-scatter, all-gather and all-to-all (n-1)/n; a send the message once. NVLS (NVLink SHARP)
// all-reduce: the switch reads every GPU's buffer once to reduce (S out of each GPU, S/n back)
// and multicasts each reduced shard (S/n out, S back): (n+1)/n of the buffer per direction, so
// busbw = 2(n-1)/n S / time = 2(n-1)/(n+1) x the link, against 1 x the link for the ring.
void cost_in_scale_up(CollectiveCost& best, const Fabric& f, double link, Collective kind, const GroupShape& g, double bytes,
                      double measured_busbw) {
  const double n = g.n;
  const double bus_factor = bus_bandwidth_factor(kind, static_cast<int>(n));
  for (const Protocol& p : kProtocols) {
    const double rate = link * p.wire_fraction;
    double volume = bytes * bus_factor;
    double steps = kind == Collective::all_reduce ? 2.0 * (n - 1) : (kind == Collective::reduce_scatter || kind == Collective::all_gather) ? n - 1 : 1.0;
    if (kind == Collective::all_reduce && f.scale_up.in_switch_reduction) {
      volume = bytes * (n + 1) / n;
      steps = 2.0;  // one reduce and one multicast step through the switch (assumption)
    }
    // A measured busbw curve gives the achieved rate of this collective as nccl-tests defines it:
    // busbw = bytes x factor / time, the whole time, latency included, so none is added to it.
    if (measured_busbw > 0) {
      keep_cheapest(best, {bytes * bus_factor / measured_busbw, 0.0, CollectiveAlgorithm::scale_up});
      break;  // the curve already is the best NCCL found
    }
    keep_cheapest(best, {volume / rate, (p.base_us + steps * p.nvlink_step_us) * 1e-6, CollectiveAlgorithm::scale_up});
  }
  best.algorithm = CollectiveAlgorithm::scale_up;
}

// One GPU's scale-out rate (bytes/s): its NICs at line rate x routing efficiency x the calibrated
// NIC efficiency, or a measured inter-node busbw curve per NIC (GB/s against bytes), which already
// holds both and is looked up at the size each algorithm's network stage carries.
struct NicRate {
  double nominal = 0;
  const SizeCurve* measured = nullptr;
  double at(double stage_bytes) const { return measured ? interpolate(*measured, stage_bytes).value * 1e9 : nominal; }
};

// Across nodes. nic: one GPU's scale-out rate (bytes/s) before uplink sharing; nvlink: its NVLink
// rate. The flat ring runs one channel per rail: each crosses the node boundary through one NIC,
// so the m members of a node drive m NICs and the ring's busbw is min(NVLink, m x NIC). The
// hierarchical algorithms reduce-scatter inside the node first, so each rail carries S/m across
// k nodes; the node and network stages are pipelined, so the slower stage sets the time.
//
// A measured inter-node curve (`nic.measured`) is the achieved per-NIC busbw of a whole collective
// as nccl-tests times it, by the bytes a per-rail group carries (planner/io/probe_loader): NCCL's
// best protocol and every latency are already in it. So it is looked up at the bytes each rail
// carries (rings, flat or hierarchical: S/m, one channel per rail; all-to-all: S/m, the per-rail
// group's buffer with the same bytes per peer; send/recv: S), takes no protocol wire fraction, and
// no network step or base latency is added to it; only the in-node NVLink stage keeps its model.
void cost_across_nodes(CollectiveCost& best, const Fabric& f, double nvlink, const NicRate& nic, Collective kind,
                       const GroupShape& g, double bytes) {
  const double n = g.n, m = g.m, k = g.k;
  const double path_us = path_latency_us(f, g.tier);
  // A ring pass pays each hop's own path (ring_hops.hpp), a tree level its edge's; not the top tier's on every step.
  const bool ring_kind = kind == Collective::all_reduce || kind == Collective::reduce_scatter || kind == Collective::all_gather;
  const double ring_pass_path_us =
      ring_kind ? ring_pass_switch_latency_us(f, ring_hops(f, g.first_node, g.node_stride, static_cast<long long>(k), g.tier)) : 0.0;
  const double tree_path_us = kind == Collective::all_reduce ? tree_path_switch_latency_us(f, g.node_stride, static_cast<long long>(k), g.tier) : 0.0;
  const double neighbour_sharing = uplink_sharing(f, g, Pattern::neighbours);
  const bool measured = nic.measured != nullptr;
  const double network_latency = measured ? 0.0 : 1.0;  // scales every network latency term
  const double pairs_sharing = kind == Collective::all_to_all ? uplink_sharing(f, g, Pattern::all_pairs) : 1.0;
  // Loop-invariant: the bus-bandwidth factor and the tree's depth across nodes.
  const double bus_factor = bus_bandwidth_factor(kind, static_cast<int>(n));
  const double tree_levels = kind == Collective::all_reduce ? std::ceil(std::log2(k)) : 0.0;
  for (const Protocol& p : kProtocols) {
    const double link = nvlink * p.wire_fraction;
    // The NIC rate for a network stage carrying `stage_bytes` per rail.
    auto wire_at = [&](double stage_bytes) { return measured ? nic.at(stage_bytes) : nic.nominal * p.wire_fraction; };
    const double wire = wire_at(kind == Collective::send_recv ? bytes : bytes / m);
    const double base_us = p.base_us * network_latency;
    const double ring_step_us = (p.net_ring_step_us + path_us) * network_latency;
    const double tree_step_us = (p.net_tree_step_us + path_us) * network_latency;
    // One pipelined ring pass across nodes: NCCL's k - 1 network steps plus the switch latency of its hops.
    const double ring_pass_us = ((k - 1) * p.net_ring_step_us + ring_pass_path_us) * network_latency;
    switch (kind) {
      case Collective::all_reduce:
      case Collective::reduce_scatter:
      case Collective::all_gather: {
        const bool reduce = kind == Collective::all_reduce;
        const double phases = reduce ? 2.0 : 1.0;
        const double net = wire / neighbour_sharing;
        // Flat ring: n-1 steps per phase, k-1 of them across the network (NCCL's split of ring
        // steps into intra- and inter-node steps).
        keep_cheapest(best, {bytes * bus_factor / std::min(link, m * net),
                             (base_us + phases * ((n - k) * p.nvlink_step_us * network_latency + ring_pass_us)) * 1e-6,
                             CollectiveAlgorithm::ring});
        // Hierarchical: NVLink carries the in-node reduce-scatter and all-gather ((m-1)/m of the
        // buffer each; NVLS: (m+1)/m for both together), each rail (S/m) ring-reduces over k nodes.
        const bool nvls = reduce && f.scale_up.in_switch_reduction && m > 1;
        const double node_volume = nvls ? bytes * (m + 1) / m : phases * bytes * (m - 1) / m;
        const double node_s = node_volume / link;
        const double node_steps = m <= 1 ? 0.0 : nvls ? 2.0 : phases * (m - 1);
        const double rail_bytes = bytes / m;
        const double rail_net = wire_at(rail_bytes) / neighbour_sharing;
        const double node_us = node_steps * p.nvlink_step_us;
        keep_cheapest(best, {std::max(node_s, rail_bytes * phases * (k - 1) / k / rail_net),
                             (base_us + node_us + phases * ring_pass_us) * 1e-6, CollectiveAlgorithm::hierarchical_ring});
        if (!reduce) {
          // SHARP reduce-scatter / all-gather (sharp_reduce_scatter_or_gather): NCCL 2.20+, SHARP 3.5.2+.
          if (f.in_network_reduction && !measured)
            keep_cheapest(best, sharp_reduce_scatter_or_gather(node_s, rail_bytes, rail_net, (base_us + node_us) * 1e-6, tree_step_us));
          break;
        }
        // Tree across nodes (NCCL's double binary tree): the same bytes per NIC as the ring
        // (assumption: its bandwidth is not better in practice), 2 log2(k) steps.
        keep_cheapest(best, {std::max(node_s, rail_bytes * 2.0 * (k - 1) / k / rail_net),
                             (base_us + node_us + 2.0 * (tree_levels * p.net_tree_step_us + tree_path_us) * network_latency) * 1e-6,
                             CollectiveAlgorithm::hierarchical_tree});
        // SHARP: each rail's S/m goes up the switch tree once and the result comes down once. A
        // measured curve is a ring's or tree's busbw, not SHARP's: it is not applied to SHARP.
        if (f.in_network_reduction && !measured)
          keep_cheapest(best, {std::max(node_s, rail_bytes / rail_net), (base_us + node_us + 2.0 * tree_step_us) * 1e-6,
                               CollectiveAlgorithm::in_network});
        break;
      }
      case Collective::all_to_all: {
        // Each member keeps 1/n, sends (m-1)/n over NVLink and (n-m)/n through its NIC, of which
        // the uplinks carry the part leaving each subtree. Peers are served concurrently (NCCL
        // groups the sends), so one network step of latency (assumption).
        // Rail-only fabrics forward the peers on other rails over NVLink first (rail_crossing.hpp).
        keep_cheapest(best, {std::max(bytes * all_to_all_nvlink_fraction(f, n, m) / link, bytes * (n - m) / n * pairs_sharing / wire),
                             (base_us + all_to_all_forward_steps(f, m) * p.nvlink_step_us + ring_step_us) * 1e-6,
                             CollectiveAlgorithm::direct});
        break;
      }
      case Collective::send_recv:
        keep_cheapest(best, {bytes * neighbour_sharing / wire, (base_us + ring_step_us) * 1e-6, CollectiveAlgorithm::direct});
        break;
    }
  }
  best.uplink_sharing = kind == Collective::all_to_all ? pairs_sharing : neighbour_sharing;
}

// The in-node curve a collective of `kind` is costed from: its own measured (or published) busbw
// curve, or, for a ring all-gather or reduce-scatter without one, the all-reduce's: nccl-tests'
// definitions make the two busbw comparable at the same size, so it takes the all-reduce curve's
// shape by size, capped at the ring's large-message rate (NVLink x efficiency), since an all-reduce
// curve measured with NVLS/in-switch reduction runs above what a ring reaches. No curve: nullptr.
struct InNodeCurve {
  const SizeCurve* curve = nullptr;
  int curve_kind = 0;  // whose curve it is (busbw_measured's index)
  double scale = 1;
  double busbw_at(double bytes) const { return interpolate(*curve, bytes).value * 1e9 * scale; }
};

InNodeCurve in_node_curve(const PerformanceProfile& profile, Collective kind, double nvlink) {
  const SizeCurve& own = profile.busbw(NetworkLevel::intra_node, kind);
  if (!own.empty()) return {&own, static_cast<int>(kind), 1.0};
  const SizeCurve& all_reduce = profile.busbw(NetworkLevel::intra_node, Collective::all_reduce);
  if ((kind == Collective::all_gather || kind == Collective::reduce_scatter) && !all_reduce.empty())
    return {&all_reduce, static_cast<int>(Collective::all_reduce), std::min(1.0, nvlink / (all_reduce.values.back() * 1e9))};
  return {};
}

// A collective across nodes runs its node stage too (the m members of each node exchange over
// NVLink before or after the network steps), so it is never faster than those m members running the
// same collective alone at the smallest size the in-node curve holds: that time is the in-node
// latency as nccl-tests measured it, launch included. NCCL's tuning constants, which cost the
// network steps, count no launch, so without this floor a tiny collective over 16 ranks on two
// nodes (13.5 us) came out cheaper than over 4 ranks on NVLink (22 us). Only the latency is floored:
// at larger sizes the in-node share of the bytes differs by kind (an all-to-all moves (m-1)/n of
// its buffer over NVLink, not (m-1)/m), so a floor at the same bytes would be wrong. The model's own
// in-node latency (no curve) is already inside the cross-node one (the same base and NVLink steps).
void keep_above_in_node_latency(CollectiveCost& cost, const InNodeCurve& in_node, Collective kind, double members_per_node) {
  if (!in_node.curve || members_per_node < 2) return;
  const double smallest = in_node.curve->sizes.front();
  const double floor_s = smallest * bus_bandwidth_factor(kind, static_cast<int>(members_per_node)) / in_node.busbw_at(smallest);
  if (!(cost.seconds < floor_s)) return;
  cost.latency_s += floor_s - cost.seconds;
  cost.seconds = floor_s;
}

}  // namespace

CollectiveCost collective_cost(const Fabric& fabric, const PerformanceProfile& profile, const Calibration& calibration,
                               Collective kind, GroupPlacement group, double bytes) {
  CollectiveCost cost;
  if (group.size <= 1 || !(bytes > 0)) return cost;
  const GroupInstance instance = slowest_instance(fabric, group);
  const GroupShape shape = slowest_shape(fabric, group, instance);
  cost.highest_tier = shape.tier;
  cost.instance_first_rank = instance.first_rank;
  cost.rank0_tier = instance.rank0_tier;
  const double nvlink = fabric.scale_up.gb_s_per_direction * calibration.nvlink_efficiency * 1e9;
  const int kind_index = static_cast<int>(kind);

  if (shape.tier < 0) {
    const InNodeCurve in_node = in_node_curve(profile, kind, nvlink);
    double measured_busbw = 0;
    if (in_node.curve) {
      measured_busbw = in_node.busbw_at(bytes);
      cost.measured = profile.busbw_measured[0][in_node.curve_kind];
    }
    cost_in_scale_up(cost, fabric, nvlink, kind, shape, bytes, measured_busbw);
    return cost;
  }

  // One GPU's scale-out rate: its NICs at line rate x routing efficiency x the calibrated NIC
  // efficiency, or the measured inter-node busbw per GPU at this size (which already holds both).
  NicRate nic;
  nic.nominal = nic_gb_s_per_gpu(fabric) * 1e9 * calibration.network_efficiency;
  const SizeCurve& curve = profile.busbw(NetworkLevel::inter_node, kind);
  if (!curve.empty()) {
    nic.measured = &curve;
    cost.measured = profile.busbw_measured[1][kind_index];
  }
  cost_across_nodes(cost, fabric, nvlink, nic, kind, shape, bytes);
  keep_above_in_node_latency(cost, in_node_curve(profile, kind, nvlink), kind, shape.m);
  return cost;
}

const char* to_string(CollectiveAlgorithm algorithm) {
  switch (algorithm) {
    case CollectiveAlgorithm::none: return "none";
    case CollectiveAlgorithm::scale_up: return "scale_up";
    case CollectiveAlgorithm::ring: return "ring";
    case CollectiveAlgorithm::hierarchical_ring: return "hierarchical_ring";
    case CollectiveAlgorithm::hierarchical_tree: return "hierarchical_tree";
    case CollectiveAlgorithm::in_network: return "in_network";
    case CollectiveAlgorithm::direct: return "direct";
  }
  return "?";
}

}  // namespace trainplan
