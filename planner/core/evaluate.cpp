#include "planner/core/evaluate.hpp"

#include <algorithm>

#include "planner/core/step/activation_offload.hpp"
#include "planner/core/step/data_parallel_comm.hpp"
#include "planner/core/model/gemm_time.hpp"
#include "planner/core/step/last_stage_work.hpp"
#include "planner/core/model/layer_work.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "planner/core/step/pipeline_memory.hpp"
#include "planner/core/step/pipeline_sends.hpp"
#include "planner/core/step/pipeline_stages.hpp"
#include "planner/core/plan_check.hpp"
#include "planner/core/step/layer_cost_cache.hpp"
#include "planner/core/step/stage_layer_costs.hpp"
#include "planner/core/step/stage_parameters.hpp"
#include "planner/core/step/step_breakdown.hpp"
#include "planner/core/step/step_flops.hpp"
#include "planner/core/step/fp8_amax_sync.hpp"
#include "planner/core/step/straggler.hpp"
#include "planner/core/step/step_link_sharing.hpp"

namespace trainplan {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;

// Step time, throughput and FLOP rates of a result whose breakdown and FLOPs are filled in.
void fill_rates(PlanResult& r, const GpuSpec& gpu, int gpus) {
  r.step_time_s = r.breakdown.total();
  r.pipeline_bubble_fraction = r.step_time_s > 0 ? r.breakdown.pipeline_bubble_s / r.step_time_s : 0.0;
  r.tokens_per_second = r.tokens_per_step / r.step_time_s;
  const double per_gpu_second = r.step_time_s * gpus;
  r.tflops_per_gpu = r.model_flops_per_step / per_gpu_second / 1e12;
  r.mfu = r.model_flops_per_step / per_gpu_second / peak_flops_per_s(gpu, Precision::bf16);
  r.hfu = r.hardware_flops_per_step / per_gpu_second / peak_flops_per_s(gpu, Precision::bf16);
  if (gpu.fp8_dense_tflops > 0) r.mfu_fp8 = r.model_flops_per_step / per_gpu_second / (gpu.fp8_dense_tflops * 1e12);
}

}  // namespace

PlanResult evaluate(const Scenario& sc, const ParallelPlan& requested) { return evaluate(sc, requested, nullptr); }

PlanResult evaluate(const Scenario& sc, const ParallelPlan& requested, LayerCostCache* layer_cache) {
  PlanResult r;
  r.plan = requested;
  r.gpus = sc.job.gpus;
  const ModelShape& model = sc.model;
  const ParameterCount params = layer_cache ? layer_cache->parameters(sc) : count_parameters(model);  // cache: search
  r.params_total = params.total;
  r.params_active = params.active;
  r.params_mtp = params.mtp;
  r.memory_capacity_gib = sc.gpu.hbm_gib;
  r.memory_headroom_gib = sc.job.memory_headroom_gib;
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
  const StageLayerCosts layers = layer_cache ? layer_cache->costs(sc, plan, &layer) : stage_layer_costs(sc, plan, &layer);
  const HeadWork head = head_work(model, plan);
  const double head_s = output_head_seconds(sc, head);
  const double p2p_s = pipeline_send_seconds(sc, plan, layer);
  const MtpWork mtp = mtp_work(sc, plan, layers.main.recomputed, head_s);
  const PipelineStages stages = pipeline_stages(model, plan, layers, head_s, mtp.total_s(), p2p_s);
  r.stage_layers_first = stages.layers.first;
  r.stage_layers_middle = plan.pp > 2 ? stages.layers.middle : 0;
  r.stage_layers_last = stages.layers.last;
  r.busiest_pipeline_rank = stages.busiest_rank;

  // The step: the busiest stage's micro-batches, then data parallelism and the optimizer.
  const StageParameters stage_params = stage_parameters(model, params, plan, stages);
  const DataParallelGroups dp_groups = data_parallel_groups(plan);
  r.breakdown = busiest_stage_breakdown(plan, layers, stages, mtp, head_s, p2p_s, microbatches);
  const DataParallelTraffic dp_traffic =
      data_parallel_traffic(sc, plan, dp_groups, stage_params, stages.busiest_layers, microbatches);
  r.breakdown.dp_comm_s = exposed_data_parallel_seconds(sc, plan, dp_groups, stage_params, dp_traffic, layers, stages, microbatches);
  const double dp_exposed_s = r.breakdown.dp_comm_s;
  // fp8 delayed scaling: an amax all-reduce over the stage's tp x dp x cp GPUs per chunk per
  // micro-batch, forward and backward (fp8_amax_sync.cpp), charged with the data-parallel line.
  r.breakdown.dp_comm_s +=
      fp8_amax_sync(sc, plan, 4.0 * stages.busiest_layers / std::max(1, plan.vp), microbatches).seconds;
  r.breakdown.optimizer_s = optimizer_step_seconds(sc, plan, dp_groups, stage_params);
  // Traffic that shares links: the kinds' cross-domain traffic in one step (step_link_sharing.hpp).
  StepLinkTraffic link_traffic;
  link_traffic.dp_traffic_s = dp_traffic.reduce_s + dp_traffic.gather_s;
  link_traffic.dp_exposed_s = dp_exposed_s;
  link_traffic.ep_hidden_s = microbatches * layers.sum(stages.busiest_layers, stages.busiest_dense,
                                                       [](const LayerTime& t, double) { return t.ep_hidden_s; });
  r.breakdown.link_sharing_s = step_link_sharing(sc, plan, dp_groups, r.breakdown, link_traffic).added_s();
  // Scale: the step waits for the slowest of the job's GPUs (straggler.cpp).
  r.breakdown.straggler_s = straggler_seconds(r.breakdown.compute_s, sc.job.gpus, sc.calibration.gpu_speed_cv);
  // Activation offloading (pp 1, checked): copies to and from host memory beside the layers.
  const ActivationOffload offload =
      activation_offload(sc.gpu, plan, layers, stages.layers.first, stages.dense.first, microbatches);
  r.breakdown.activation_offload_s = offload.exposed_s;

  // FLOPs: the model's (no recomputation) and what the hardware executes (with it).
  const double recomputed_share = std::min(1.0, static_cast<double>(layers.recomputed_layers(stages.layers.middle)) /
                                                    std::max(1, stages.layers.middle));
  const StepFlops flops = step_flops(model, params, plan, recomputed_share, r.tokens_per_step);
  r.model_flops_per_step = flops.model;
  r.hardware_flops_per_step = flops.hardware;
  fill_rates(r, sc.gpu, sc.job.gpus);

  r.memory = peak_stage_memory(model, plan, sc.calibration, layers, head, stages, stage_params, dp_groups, microbatches);
  r.memory.activations_bytes -= offload.device_bytes_saved;  // one stage, one micro-batch in flight (pp 1)
  r.memory_per_gpu_gib = r.memory.total() / kGiB;
  r.fits_in_device_memory = r.memory_per_gpu_gib <= r.memory_capacity_gib - r.memory_headroom_gib;  // --memory-headroom-gib
  r.fits_in_memory = r.fits_in_device_memory;
  if (plan.activation_offload_layers > 0) {
    r.host_memory_gib = offload.host_bytes / kGiB;
    r.host_memory_capacity_gib = sc.gpu.host_memory_gib;
    r.fits_in_memory = r.fits_in_memory && r.host_memory_gib <= r.host_memory_capacity_gib;
  }

  if (sc.job.training_tokens > 0) r.time_to_train_days = sc.job.training_tokens / r.tokens_per_second / kSecondsPerDay;
  return r;
}

}  // namespace trainplan
