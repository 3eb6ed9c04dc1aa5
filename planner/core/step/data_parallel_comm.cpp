#include "planner/core/step/data_parallel_comm.hpp"

#include <algorithm>

#include "planner/core/network/collective_seconds.hpp"
#include "planner/core/model/layer_time.hpp"

namespace trainplan {

// Gradients reduced over dp*cp ranks (stride tp in Megatron's order). Expert parameters are reduced
// over the expert-data-parallel group: tp*dp*cp / (expert_tp*ep) ranks at stride expert_tp*ep
// (dp*cp/ep at stride tp*ep when expert_tp = tp).
DataParallelTraffic data_parallel_traffic(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& groups,
                                          const StageParameters& params, int busiest_layers, int microbatches) {
  DataParallelTraffic t;
  const int dp_ranks = groups.ranks;
  const int expert_dp_ranks = groups.expert_ranks;
  if (dp_ranks <= 1 && expert_dp_ranks <= 1) return t;
  const bool experts_reduce_with_the_rest = plan.ep == 1 && plan.routed_expert_tp() == plan.tp;
  const double grad_bytes_per_param = plan.fp32_grad_reduce ? 4.0 : 2.0;
  // ZeRO-3 gathers and reduce-scatters layer by layer (FSDP's units): each layer's collective
  // pays its own latency, which at thousands of ranks rivals the bandwidth term. ZeRO 0-2 reduce
  // in buckets large enough for one stage-sized collective to stand for them.
  const double units = plan.zero_stage == 3 ? std::max(1, busiest_layers) : 1.0;
  auto reduce_group = [&](GroupPlacement group, double group_params) {
    if (group.size <= 1 || group_params <= 0) return;
    const auto cost = [&](Collective kind, double bytes) {
      return units * collective_seconds(sc, kind, group, bytes / units);
    };
    if (plan.zero_stage == 0) {
      t.reduce_s += cost(Collective::all_reduce, group_params * grad_bytes_per_param);
    } else {
      t.reduce_s += cost(Collective::reduce_scatter, group_params * grad_bytes_per_param);
      t.gather_s += cost(Collective::all_gather, group_params * 2.0);
    }
  };
  if (experts_reduce_with_the_rest) {
    reduce_group({dp_ranks, plan.tp}, params.largest);
  } else {
    reduce_group({dp_ranks, plan.tp}, params.largest_common());
    reduce_group({expert_dp_ranks, plan.routed_expert_tp() * plan.ep}, params.largest_experts);
  }
  if (plan.zero_stage == 3) {
    // ZeRO-3 gathers the weights for every micro-batch's forward and backward.
    const double m = microbatches;
    t.gather_s *= 2.0 * m;
    t.reduce_s *= m;
  }
  return t;
}

double exposed_data_parallel_seconds(const Scenario& sc, const ParallelPlan& plan, const DataParallelTraffic& traffic,
                                     const StageLayerCosts& layers, const PipelineStages& stages, int microbatches) {
  const double reduce_s = traffic.reduce_s, gather_s = traffic.gather_s;
  if (!plan.dp_overlap) return reduce_s + gather_s;
  // Reduction overlaps the backward of the last micro-batch (bucketed, Megatron's
  // --overlap-grad-reduce); the gather overlaps the first forward (--overlap-param-gather).
  const double m = microbatches;
  const LayerTime& per_layer = layers.main.recomputed;
  const int first_layers = stages.layers.first, dense_first = stages.dense.first;
  const double hide = sc.calibration.overlap_efficiency;
  const double window_layers = std::max(first_layers, 1);
  double backward_window = (plan.zero_stage == 3 ? m : 1.0) * window_layers *
                           (per_layer.backward_compute_s + per_layer.recompute_compute_s);
  double forward_window = (plan.zero_stage == 3 ? 2.0 * m : 1.0) * window_layers * per_layer.forward_compute_s;
  if (dense_first > 0) {  // an MoE model's first stage with leading dense layers: its own layers
    backward_window = (plan.zero_stage == 3 ? m : 1.0) * layers.sum(first_layers, dense_first, [](const LayerTime& t, double) {
                        return t.backward_compute_s + t.recompute_compute_s;
                      });
    forward_window = (plan.zero_stage == 3 ? 2.0 * m : 1.0) *
                     layers.sum(first_layers, dense_first, [](const LayerTime& t, double) { return t.forward_compute_s; });
  }
  const double reduce_hidden_s = std::min(reduce_s, hide * backward_window);
  const double gather_hidden_s = std::min(gather_s, hide * forward_window);
  return (reduce_s - reduce_hidden_s) + (gather_s - gather_hidden_s) + overlap_slowdown_seconds(reduce_hidden_s + gather_hidden_s, sc);
}

}  // namespace trainplan
