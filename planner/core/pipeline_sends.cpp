#include "pipeline_sends.hpp"

#include "collective_cost.hpp"

namespace trainplan {

double pipeline_send_seconds(const Scenario& sc, const ParallelPlan& plan, const LayerWork& layer) {
  if (plan.pp <= 1) return 0.0;
  const double bytes = layer.tp_message_bytes / plan.tp;
  const GroupPlacement neighbours{2, plan.tp * plan.cp * plan.dp};
  return 2.0 * plan.vp *
         collective_cost(sc.fabric, sc.profile, sc.calibration, sc.job.gpus, Collective::send_recv, neighbours, bytes).seconds;
}

}  // namespace trainplan
