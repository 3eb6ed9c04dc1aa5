#include "planner/core/step/pipeline_memory.hpp"

#include "planner/core/model/memory_model.hpp"
#include "planner/core/model/pipeline_schedule.hpp"
#include "planner/core/step/dualpipe_memory.hpp"

namespace trainplan {

namespace {

// One stage's memory: its routed experts' state sharded over the expert-data-parallel ranks, the
// rest as `in` says.
MemoryBreakdown stage_total(StageMemoryInputs in, double expert_params, int expert_ranks, const ParallelPlan& plan,
                            const Calibration& calibration) {
  in.parameters_per_gpu -= expert_params;
  MemoryBreakdown total = stage_memory(in, plan, calibration);
  StageMemoryInputs experts;
  experts.parameters_per_gpu = expert_params;
  experts.data_parallel_shards = expert_ranks;
  const MemoryBreakdown e = stage_memory(experts, plan, calibration);
  total.weights_bytes += e.weights_bytes;
  total.gradients_bytes += e.gradients_bytes;
  total.optimizer_bytes += e.optimizer_bytes;
  return total;
}

}  // namespace

MemoryBreakdown peak_stage_memory(const ModelShape& model, const ParallelPlan& plan, const Calibration& calibration,
                                  const StageLayerCosts& layers, const HeadWork& head, const PipelineStages& stages,
                                  const StageParameters& params, const DataParallelGroups& groups, int microbatches) {
  const StageLayers& stage_layers = stages.layers;
  StageMemoryInputs first;
  first.parameters_per_gpu = params.first;
  first.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.first, stages.dense.first);
  first.microbatches_in_flight = in_flight_microbatches(plan.pp, plan.vp, microbatches);
  first.data_parallel_shards = groups.ranks;
  first.unquantized_parameters = params.first_unquantized;
  first.gathered_layer_parameters = params.largest_layer;  // ZeRO-3's gathered units (the other stages' below)
  first.gathered_unit_parameters = params.first_unit;
  // Each MTP module keeps a layer's activations, its projection input and the head's logits again.
  const double mtp_saved_bytes = model.mtp_layers * (layers.main.recomputed_saved_bytes + head.saved_activation_bytes +
                                                     2.0 * 2.0 * plan.micro_batch * plan.seq_len / plan.cp * static_cast<double>(model.hidden) /
                                                         (plan.sequence_parallel ? plan.tp : 1));
  if (plan.pp == 1) first.extra_activation_bytes = head.saved_activation_bytes + mtp_saved_bytes;
  // ---- DualPipe: a rank holds two stages (step/dualpipe_memory.hpp) ----
  if (plan.ep_overlap && plan.ep_overlap_schedule == EpOverlapSchedule::dualpipe && plan.pp > 1) {
    // Rank 0: the first stage with pp micro-batches in flight, the last (head, MTP) with one.
    const DualPipeInFlight end_rank = dualpipe_in_flight(plan.pp, 0, microbatches);
    first.microbatches_in_flight = end_rank.near_chunk;
    StageMemoryInputs last = first;
    last.parameters_per_gpu = params.last;
    last.unquantized_parameters = params.last_unquantized;
    last.gathered_unit_parameters = params.last_unit;
    last.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.last, stages.dense.last);
    last.microbatches_in_flight = end_rank.far_chunk;
    last.extra_activation_bytes = head.saved_activation_bytes + mtp_saved_bytes;
    MemoryBreakdown rank = dualpipe_rank_memory(stage_total(first, params.first_experts, groups.expert_ranks, plan, calibration),
                                                stage_total(last, params.last_experts, groups.expert_ranks, plan, calibration),
                                                plan.zero_stage);
    if (params.moe_middle_stage) {
      // A middle rank pairs two middle stages: pp + 1 micro-batches of the busiest one in flight.
      const DualPipeInFlight middle_rank = dualpipe_in_flight(plan.pp, plan.pp / 2 - 1, microbatches);
      StageMemoryInputs near = first;
      near.parameters_per_gpu = params.middle;
      near.unquantized_parameters = 0;
      near.gathered_unit_parameters = params.largest_layer;
      near.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.middle, stages.dense.middle);
      near.microbatches_in_flight = middle_rank.near_chunk;
      StageMemoryInputs far = near;
      far.microbatches_in_flight = middle_rank.far_chunk;
      const MemoryBreakdown middle = dualpipe_rank_memory(stage_total(near, params.middle_experts, groups.expert_ranks, plan, calibration),
                                                          stage_total(far, params.middle_experts, groups.expert_ranks, plan, calibration),
                                                          plan.zero_stage);
      if (middle.total() > rank.total()) rank = middle;
    }
    return rank;
  }
  // ---- end of DualPipe ----
  MemoryBreakdown memory = stage_total(first, params.first_experts, groups.expert_ranks, plan, calibration);
  if (plan.pp > 1) {
    StageMemoryInputs last = first;
    last.parameters_per_gpu = params.last;
    last.unquantized_parameters = params.last_unquantized;
    last.gathered_unit_parameters = params.last_unit;
    last.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.last, stages.dense.last);
    last.microbatches_in_flight = plan.vp > 1 ? in_flight_microbatches(plan.pp, plan.vp, microbatches) / plan.pp : 1.0;
    last.extra_activation_bytes = head.saved_activation_bytes + mtp_saved_bytes;
    const MemoryBreakdown last_memory = stage_total(last, params.last_experts, groups.expert_ranks, plan, calibration);
    if (last_memory.total() > memory.total()) memory = last_memory;
  }
  if (params.moe_middle_stage) {
    // The second stage (1F1B keeps one micro-batch fewer in flight than the first) holding the
    // busiest middle stage's layers: a bound for every middle stage of an MoE model.
    StageMemoryInputs middle = first;
    middle.parameters_per_gpu = params.middle;
    middle.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.middle, stages.dense.middle);
    middle.microbatches_in_flight = first.microbatches_in_flight * (plan.pp - 1.0) / plan.pp;
    middle.extra_activation_bytes = 0;
    middle.unquantized_parameters = 0;
    middle.gathered_unit_parameters = params.largest_layer;
    const MemoryBreakdown middle_memory = stage_total(middle, params.middle_experts, groups.expert_ranks, plan, calibration);
    if (middle_memory.total() > memory.total()) memory = middle_memory;
  }
  return memory;
}

}  // namespace trainplan
