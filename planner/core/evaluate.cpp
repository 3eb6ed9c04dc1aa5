#include "evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "collective_cost.hpp"
#include "data_parallel_comm.hpp"
#include "layer_time.hpp"
#include "layer_work.hpp"
#include "memory_model.hpp"
#include "moe_layer.hpp"
#include "parameter_count.hpp"
#include "pipeline_schedule.hpp"
#include "last_stage_work.hpp"
#include "pipeline_sends.hpp"
#include "pipeline_stages.hpp"
#include "plan_check.hpp"
#include "stage_layer_costs.hpp"
#include "stage_parameters.hpp"
#include "step_breakdown.hpp"
#include "step_flops.hpp"

namespace trainplan {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
// Adam step traffic per parameter: read the gradient (4), read and write the fp32 master weight
// and both moments (3 x 8), write the bf16 weight (2), plus the gradient-norm read (4).
constexpr double kOptimizerBytesPerParameter = 34.0;

}  // namespace

PlanResult evaluate(const Scenario& sc, const ParallelPlan& requested) {
  PlanResult r;
  r.plan = requested;
  r.gpus = sc.job.gpus;
  const ModelShape& model = sc.model;
  const ParameterCount params = count_parameters(model);
  r.params_total = params.total;
  r.params_active = params.active;
  r.params_mtp = params.mtp;
  r.memory_capacity_gib = sc.gpu.hbm_gib;
  r.problems = check_plan(model, sc.gpu, sc.job.gpus, r.plan);
  if (!r.problems.empty()) return r;
  r.valid = true;
  const ParallelPlan& plan = r.plan;

  const int microbatches = static_cast<int>(plan.global_batch / (static_cast<long long>(plan.dp) * plan.micro_batch));
  r.microbatches = microbatches;
  r.tokens_per_step = static_cast<double>(plan.global_batch) * plan.seq_len;

  // Per micro-batch, per GPU: the layers, the last stage's output head and MTP modules, the sends
  // between stages; then which stage is busiest.
  LayerWork layer;
  const StageLayerCosts layers = stage_layer_costs(sc, plan, &layer);
  const HeadWork head = head_work(model, plan);
  const double head_s = output_head_seconds(sc, head);
  const double p2p_s = pipeline_send_seconds(sc, plan, layer);
  const MtpWork mtp = mtp_work(sc, plan, layers.main.recomputed, head_s);
  const PipelineStages stages = pipeline_stages(model, plan, layers, head_s, mtp.total_s(), p2p_s);
  const StageLayers& stage_layers = stages.layers;
  r.stage_layers_first = stage_layers.first;
  r.stage_layers_middle = plan.pp > 2 ? stage_layers.middle : 0;
  r.stage_layers_last = stage_layers.last;
  const int dense_first = stages.dense.first, dense_middle = stages.dense.middle, dense_last = stages.dense.last;
  // Parameters per GPU of each stage, and of the stage that holds the most.
  const StageParameters stage_parameter_counts = stage_parameters(model, params, plan, stages);
  const double first_params = stage_parameter_counts.first, first_experts = stage_parameter_counts.first_experts;
  const double last_params = stage_parameter_counts.last, last_experts = stage_parameter_counts.last_experts;
  const double middle_params = stage_parameter_counts.middle, middle_experts = stage_parameter_counts.middle_experts;
  const bool moe_middle_stage = stage_parameter_counts.moe_middle_stage;

  // The step: the busiest stage's micro-batches, then data parallelism and the optimizer.
  StepBreakdown& b = r.breakdown;
  b = busiest_stage_breakdown(plan, layers, stages, mtp, head_s, p2p_s, microbatches);
  const DataParallelTraffic dp_traffic = data_parallel_traffic(sc, plan, stage_parameter_counts, stages.busiest_layers, microbatches);
  b.dp_comm_s = exposed_data_parallel_seconds(sc, plan, dp_traffic, layers, stages, microbatches);
  b.optimizer_s = optimizer_step_seconds(sc, plan, stage_parameter_counts);
  const int dp_ranks = data_parallel_ranks(plan);
  const int expert_dp_ranks = expert_data_parallel_ranks(plan);

  r.step_time_s = b.total();
  r.pipeline_bubble_fraction = r.step_time_s > 0 ? b.pipeline_bubble_s / r.step_time_s : 0.0;
  r.tokens_per_second = r.tokens_per_step / r.step_time_s;

  // FLOPs: the model's (no recomputation) and what the hardware executes (with it).
  const double recomputed_share = std::min(1.0, static_cast<double>(layers.recomputed_layers(stage_layers.middle)) /
                                                    std::max(1, stage_layers.middle));
  const StepFlops flops = step_flops(model, params, plan, recomputed_share, r.tokens_per_step);
  r.model_flops_per_step = flops.model;
  r.hardware_flops_per_step = flops.hardware;
  const double per_gpu_second = r.step_time_s * sc.job.gpus;
  r.tflops_per_gpu = r.model_flops_per_step / per_gpu_second / 1e12;
  r.mfu = r.model_flops_per_step / per_gpu_second / peak_flops_per_s(sc.gpu, Precision::bf16);
  r.hfu = r.hardware_flops_per_step / per_gpu_second / peak_flops_per_s(sc.gpu, Precision::bf16);
  if (sc.gpu.fp8_dense_tflops > 0) r.mfu_fp8 = r.model_flops_per_step / per_gpu_second / (sc.gpu.fp8_dense_tflops * 1e12);

  // Memory: the first stage holds the most micro-batches in flight; the last holds the head.
  // Expert state shards over the expert-data-parallel ranks, the rest over dp*cp.
  auto stage_total = [&](StageMemoryInputs in, double expert_params) {
    in.parameters_per_gpu -= expert_params;
    MemoryBreakdown total = stage_memory(in, plan, sc.calibration);
    StageMemoryInputs experts;
    experts.parameters_per_gpu = expert_params;
    experts.data_parallel_shards = expert_dp_ranks;
    const MemoryBreakdown e = stage_memory(experts, plan, sc.calibration);
    total.weights_bytes += e.weights_bytes;
    total.gradients_bytes += e.gradients_bytes;
    total.optimizer_bytes += e.optimizer_bytes;
    return total;
  };
  StageMemoryInputs first;
  first.parameters_per_gpu = first_params;
  first.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.first, dense_first);
  first.microbatches_in_flight = in_flight_microbatches(plan.pp, plan.vp, microbatches);
  first.data_parallel_shards = dp_ranks;
  // Each MTP module keeps a layer's activations, its projection input and the head's logits again.
  const double mtp_saved_bytes = model.mtp_layers * (layers.main.recomputed_saved_bytes + head.saved_activation_bytes +
                                                     2.0 * 2.0 * plan.micro_batch * plan.seq_len / plan.cp * model.hidden /
                                                         (plan.sequence_parallel ? plan.tp : 1));
  if (plan.pp == 1) first.extra_activation_bytes = head.saved_activation_bytes + mtp_saved_bytes;
  MemoryBreakdown memory = stage_total(first, first_experts);
  if (plan.pp > 1) {
    StageMemoryInputs last = first;
    last.parameters_per_gpu = last_params;
    last.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.last, dense_last);
    last.microbatches_in_flight = plan.vp > 1 ? in_flight_microbatches(plan.pp, plan.vp, microbatches) / plan.pp : 1.0;
    last.extra_activation_bytes = head.saved_activation_bytes + mtp_saved_bytes;
    const MemoryBreakdown last_memory = stage_total(last, last_experts);
    if (last_memory.total() > memory.total()) memory = last_memory;
  }
  if (moe_middle_stage) {
    // The second stage (1F1B keeps one micro-batch fewer in flight than the first) holding the
    // busiest middle stage's layers: a bound for every middle stage of an MoE model.
    StageMemoryInputs middle = first;
    middle.parameters_per_gpu = middle_params;
    middle.activation_bytes_per_microbatch = layers.saved_bytes(stage_layers.middle, dense_middle);
    middle.microbatches_in_flight = first.microbatches_in_flight * (plan.pp - 1.0) / plan.pp;
    middle.extra_activation_bytes = 0;
    const MemoryBreakdown middle_memory = stage_total(middle, middle_experts);
    if (middle_memory.total() > memory.total()) memory = middle_memory;
  }
  r.memory = memory;
  r.memory_per_gpu_gib = memory.total() / kGiB;
  r.fits_in_memory = r.memory_per_gpu_gib <= sc.gpu.hbm_gib;

  if (sc.job.training_tokens > 0) r.time_to_train_days = sc.job.training_tokens / r.tokens_per_second / kSecondsPerDay;
  return r;
}

}  // namespace trainplan
