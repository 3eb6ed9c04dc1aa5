#include "planner/core/step/pipeline_sends.hpp"

#include "planner/core/network/collective_seconds.hpp"
#include "planner/core/network/group_layout.hpp"

namespace trainplan {

double pipeline_send_seconds(const Scenario& sc, const ParallelPlan& plan, const LayerWork& layer) {
  if (plan.pp <= 1) return 0.0;
  const double bytes = layer.tp_message_bytes / plan.tp;
  const GroupPlacement neighbours = group_layout(plan).pipeline;  // placement: the plan's rank order
  return 2.0 * plan.vp * collective_seconds(sc, Collective::send_recv, neighbours, bytes);
}

}  // namespace trainplan
