#pragma once
// Data parallelism's exposed time per step: gradients reduced over dp x cp ranks (an all-reduce, or
// with ZeRO a reduce-scatter of gradients and an all-gather of bf16 weights), routed experts over
// their expert-data-parallel group, partly hidden behind the first stage's compute with dp_overlap
// (chunk by chunk and bucket by bucket for ZeRO 0-2: dp_overlap.hpp).
#include "planner/core/step/data_parallel_groups.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/step/pipeline_stages.hpp"
#include "planner/core/scenario.hpp"
#include "planner/core/step/stage_layer_costs.hpp"
#include "planner/core/step/stage_parameters.hpp"

namespace trainplan {

// Seconds per step the reduction moves (reduce_s: gradients) and the gather (gather_s: weights,
// ZeRO only), before any overlap; or, from data_parallel_piece_traffic, of one piece of each.
struct DataParallelTraffic {
  double reduce_s = 0;
  double gather_s = 0;
};

// The largest stage's reduction and gather cut into `pieces` equal collectives (ZeRO-3's layers,
// Megatron's buckets), each paying its own latency: the seconds of one piece of each.
DataParallelTraffic data_parallel_piece_traffic(const Scenario& scenario, const ParallelPlan& plan, const DataParallelGroups& groups,
                                                const StageParameters& params, double pieces);

// The largest stage's parameters (`params`) reduced once per step; with ZeRO-2 for every
// micro-batch (only the gradient shard is kept); with ZeRO-3 layer by layer (`busiest_layers` of
// them) for every micro-batch.
DataParallelTraffic data_parallel_traffic(const Scenario& scenario, const ParallelPlan& plan, const DataParallelGroups& groups,
                                          const StageParameters& params, int busiest_layers, int microbatches);

// What of `traffic` stays exposed: all of it without dp_overlap. With dp_overlap, ZeRO 0-1 reduce
// chunk by chunk and bucket by bucket behind the backward of the chunks still running and gather
// behind the next forward (dp_overlap.hpp; Megatron's bucket size); ZeRO-2 does so for its last
// micro-batch's reduction and hides each earlier one behind a micro-batch's forward and backward of
// the first stage; ZeRO-3 hides what the first stage's backward (reduction) and forward (gather) of
// every micro-batch can. Plus the SM share the hidden part costs.
double exposed_data_parallel_seconds(const Scenario& scenario, const ParallelPlan& plan, const DataParallelGroups& groups,
                                     const StageParameters& params, const DataParallelTraffic& traffic,
                                     const StageLayerCosts& layers, const PipelineStages& stages, int microbatches);

}  // namespace trainplan
