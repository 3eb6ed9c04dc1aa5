#include "planner/core/step/step_link_sharing.hpp"

#include <algorithm>

#include "planner/core/model/layer_time.hpp"
#include "planner/core/network/group_instance.hpp"

namespace trainplan {

bool leaves_scale_up(const Scenario& sc, GroupPlacement group) {
  if (group.size <= 1) return false;
  const long long g = std::max(1, sc.fabric.scale_up.gpus);
  const long long span = static_cast<long long>(group.size - 1) * std::max(1, group.stride) + 1;
  if (span > g) return true;
  if (group.job_ranks == 0) group.job_ranks = sc.job.gpus;  // placement: any instance straddling a domain
  return slowest_instance(sc.fabric, group).tier >= 0;
}

LinkSharing step_link_sharing(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& dp_groups,
                              const StepBreakdown& b, const StepLinkTraffic& traffic) {
  const bool tp_out = leaves_scale_up(sc, {plan.tp, 1});
  const bool cp_out = leaves_scale_up(sc, {plan.cp, plan.tp});
  const bool ep_out = leaves_scale_up(sc, {plan.ep, plan.routed_expert_tp()});
  const bool pp_out = plan.pp > 1 && leaves_scale_up(sc, {2, plan.tp * plan.cp * plan.dp});
  const bool dp_out = leaves_scale_up(sc, {dp_groups.ranks, plan.tp}) ||
                      leaves_scale_up(sc, {dp_groups.expert_ranks, plan.routed_expert_tp() * plan.ep});
  SharedLinkLoad load;
  load.compute_s = b.compute_s;
  if (tp_out) load.burst(LinkKind::tensor) = b.tp_comm_s;
  if (cp_out) load.burst(LinkKind::context) = b.cp_comm_s;
  if (pp_out) load.burst(LinkKind::pipeline) = b.pp_comm_s;
  if (ep_out) {
    load.burst(LinkKind::expert) = std::max(0.0, b.ep_comm_s - overlap_slowdown_seconds(traffic.ep_hidden_s, sc));
    load.background(LinkKind::expert) = traffic.ep_hidden_s;
  }
  if (dp_out) load.background(LinkKind::data) = std::max(0.0, traffic.dp_traffic_s - traffic.dp_exposed_s);
  return share_links(load);
}

}  // namespace trainplan
