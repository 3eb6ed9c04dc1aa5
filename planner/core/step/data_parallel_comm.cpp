#include "planner/core/step/data_parallel_comm.hpp"

#include <algorithm>
#include <cmath>

#include "planner/core/network/collective_seconds.hpp"
#include "planner/core/network/group_layout.hpp"
#include "planner/core/step/dp_overlap.hpp"
#include "planner/core/model/layer_time.hpp"

namespace trainplan {

namespace {

// The first stage's forward and backward compute (recomputation included) of one micro-batch: what
// the overlap hides behind.
struct ComputeWindows {
  double forward_s = 0, backward_s = 0;
};

ComputeWindows first_stage_windows(const StageLayerCosts& layers, const PipelineStages& stages) {
  const LayerTime& per_layer = layers.main.recomputed;
  const int first_layers = stages.layers.first, dense_first = stages.dense.first;
  const double window_layers = std::max(first_layers, 1);
  ComputeWindows w{window_layers * per_layer.forward_compute_s,
                   window_layers * (per_layer.backward_compute_s + per_layer.recompute_compute_s)};
  if (dense_first > 0) {  // an MoE model's first stage with leading dense layers: its own layers
    w.backward_s = layers.sum(first_layers, dense_first, [](const LayerTime& t, double) {
      return t.backward_compute_s + t.recompute_compute_s;
    });
    w.forward_s = layers.sum(first_layers, dense_first, [](const LayerTime& t, double) { return t.forward_compute_s; });
  }
  return w;
}

// ZeRO 0-2 with overlap: the stage's parameters in vp chunks of buckets, each bucket's collective
// overlapping the schedule as dp_overlap.cpp lays it out, at `buckets_per_chunk` buckets a chunk.
double chunked_overlap_seconds_at(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& groups,
                                  const StageParameters& params, const ComputeWindows& w, int microbatches,
                                  int buckets_per_chunk) {
  const int chunks = std::max(1, plan.vp);
  DataParallelOverlapInputs in;
  in.chunks = chunks;
  in.buckets_per_chunk = buckets_per_chunk;
  in.group_microbatches = std::max(1, std::min(plan.pp, microbatches));
  in.chunk_forward_s = w.forward_s / chunks;
  in.chunk_backward_s = w.backward_s / chunks;
  const DataParallelTraffic bucket =
      data_parallel_piece_traffic(sc, plan, groups, params, static_cast<double>(chunks) * in.buckets_per_chunk);
  in.bucket_reduce_s = bucket.reduce_s;
  in.bucket_gather_s = bucket.gather_s;
  const DataParallelOverlap o = overlap_data_parallel(in);
  return o.reduce_exposed_s + o.gather_exposed_s + overlap_slowdown_seconds(o.hidden_s, sc);
}

// Every bucket pays its collective's latency, so many small buckets behind a short backward can
// expose more than one reduction after it. The bucket size is a setting of every framework
// (Megatron-Core's --ddp-bucket-size, NeMo's bucket_size) and overlap can be switched off: the
// step costs the best of Megatron-Core's default bucket (max(40M, 1M x dp) parameters), coarser
// buckets (doubling down to one per chunk) and no overlap at all (`exposed_s`), so an overlapped
// schedule is never costed slower than the exposed one.
double chunked_overlap_seconds(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& groups,
                               const StageParameters& params, const ComputeWindows& w, int microbatches,
                               double exposed_s) {
  if (groups.ranks <= 1 && groups.expert_ranks <= 1) return 0;
  const int chunks = std::max(1, plan.vp);
  const int default_buckets =
      static_cast<int>(std::max(1.0, std::ceil(params.largest / chunks / megatron_bucket_parameters(groups.ranks))));
  double best = exposed_s;
  for (int buckets = default_buckets;; buckets = (buckets + 1) / 2) {
    best = std::min(best, chunked_overlap_seconds_at(sc, plan, groups, params, w, microbatches, buckets));
    if (buckets == 1) break;
  }
  return best;
}

}  // namespace

// Gradients reduced over dp*cp ranks (stride tp in Megatron's order). Expert parameters are reduced
// over the expert-data-parallel group: tp*dp*cp / (expert_tp*ep) ranks at stride expert_tp*ep
// (dp*cp/ep at stride tp*ep when expert_tp = tp).
DataParallelTraffic data_parallel_piece_traffic(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& groups,
                                                const StageParameters& params, double pieces) {
  DataParallelTraffic t;
  const int dp_ranks = groups.ranks;
  const int expert_dp_ranks = groups.expert_ranks;
  if (dp_ranks <= 1 && expert_dp_ranks <= 1) return t;
  const bool experts_reduce_with_the_rest = plan.ep == 1 && plan.routed_expert_tp() == plan.tp;
  const double grad_bytes_per_param = plan.fp32_grad_reduce ? 4.0 : 2.0;
  auto reduce_group = [&](GroupPlacement group, double group_params) {
    if (group.size <= 1 || group_params <= 0) return;
    const auto cost = [&](Collective kind, double bytes) { return collective_seconds(sc, kind, group, bytes / pieces); };
    if (plan.zero_stage == 0) {
      t.reduce_s += cost(Collective::all_reduce, group_params * grad_bytes_per_param);
    } else {
      t.reduce_s += cost(Collective::reduce_scatter, group_params * grad_bytes_per_param);
      t.gather_s += cost(Collective::all_gather, group_params * 2.0);
    }
  };
  const GroupLayout layout = group_layout(plan);  // placement: strides from the plan's rank order
  if (experts_reduce_with_the_rest) {
    reduce_group({dp_ranks, layout.data.stride}, params.largest);
  } else {
    reduce_group({dp_ranks, layout.data.stride}, params.largest_common());
    reduce_group({expert_dp_ranks, layout.expert_data.stride}, params.largest_experts);
  }
  return t;
}

DataParallelTraffic data_parallel_traffic(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& groups,
                                          const StageParameters& params, int busiest_layers, int microbatches) {
  // ZeRO-3 gathers and reduce-scatters layer by layer (FSDP's units): each layer's collective
  // pays its own latency, which at thousands of ranks rivals the bandwidth term. ZeRO 0-1: one
  // reduction of the whole gradient buffer (the overlapped buckets are apart: chunked_overlap_seconds).
  const double units = plan.zero_stage == 3 ? std::max(1, busiest_layers) : 1.0;
  DataParallelTraffic t = data_parallel_piece_traffic(sc, plan, groups, params, units);
  t.reduce_s *= units;
  t.gather_s *= units;
  // ZeRO-2 keeps only its shard of the gradients, so it cannot accumulate the full gradient over
  // micro-batches: every micro-batch's backward reduce-scatters (DeepSpeed's stage 2 reduces after
  // every backward "because of gradient partitioning"; PyTorch FSDP's sharded-gradient accumulation
  // likewise; docs/model.md, "ZeRO-2 and gradient accumulation"). The weights are gathered once.
  if (plan.zero_stage == 2) t.reduce_s *= std::max(1, microbatches);
  if (plan.zero_stage == 3) {
    // ZeRO-3 gathers the weights for every micro-batch's forward and backward.
    const double m = microbatches;
    t.gather_s *= 2.0 * m;
    t.reduce_s *= m;
  }
  return t;
}

double exposed_data_parallel_seconds(const Scenario& sc, const ParallelPlan& plan, const DataParallelGroups& groups,
                                     const StageParameters& params, const DataParallelTraffic& traffic,
                                     const StageLayerCosts& layers, const PipelineStages& stages, int microbatches) {
  const double reduce_s = traffic.reduce_s, gather_s = traffic.gather_s;
  if (!plan.dp_overlap) return reduce_s + gather_s;
  const ComputeWindows w = first_stage_windows(layers, stages);
  if (plan.zero_stage < 2 || (plan.zero_stage == 2 && microbatches <= 1))
    return chunked_overlap_seconds(sc, plan, groups, params, w, microbatches, reduce_s + gather_s);
  const double hide = sc.calibration.overlap_efficiency;
  if (plan.zero_stage == 2) {
    // ZeRO-2: the last micro-batch's reduction and the gather overlap as ZeRO-1's do (chunk by
    // chunk at the end of the step); each earlier micro-batch's reduction runs beside the compute
    // that follows it on the first stage, one micro-batch's forward and backward in the steady
    // 1F1B, where no other data-parallel traffic is due.
    const double m = microbatches;
    const double per_microbatch_s = reduce_s / m;
    const double end_s = chunked_overlap_seconds(sc, plan, groups, params, w, microbatches, per_microbatch_s + gather_s);
    const double early_s = (m - 1.0) * per_microbatch_s;
    const double early_hidden_s = std::min(early_s, hide * (m - 1.0) * (w.forward_s + w.backward_s));
    return end_s + (early_s - early_hidden_s) + overlap_slowdown_seconds(early_hidden_s, sc);
  }
  // ZeRO-3: the reduction overlaps every micro-batch's backward, the gathers its forward and backward.
  const double m = microbatches;
  const double reduce_hidden_s = std::min(reduce_s, hide * m * w.backward_s);
  const double gather_hidden_s = std::min(gather_s, hide * 2.0 * m * w.forward_s);
  return (reduce_s - reduce_hidden_s) + (gather_s - gather_hidden_s) + overlap_slowdown_seconds(reduce_hidden_s + gather_hidden_s, sc);
}

}  // namespace trainplan
