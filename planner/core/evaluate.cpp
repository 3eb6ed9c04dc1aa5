#include "evaluate.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "collective_cost.hpp"
#include "layer_time.hpp"
#include "layer_work.hpp"
#include "memory_model.hpp"
#include "moe_dispatch_overlap.hpp"
#include "moe_layer.hpp"
#include "parameter_count.hpp"
#include "pipeline_schedule.hpp"
#include "plan_check.hpp"

namespace trainplan {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kGiB = 1024.0 * 1024.0 * 1024.0;
// Adam step traffic per parameter: read the gradient (4), read and write the fp32 master weight
// and both moments (3 x 8), write the bf16 weight (2), plus the gradient-norm read (4).
constexpr double kOptimizerBytesPerParameter = 34.0;

// Layers held by the first, the busiest middle, and the last pipeline stage. An uneven split takes
// the missing layers from the last stage first, then the first (Llama 3: one fewer layer on each,
// section 3.3.2), so the embedding and output head do not lengthen the slowest stage.
struct StageLayers {
  int first = 0, middle = 0, last = 0;
};

StageLayers split_layers(int layers, int stages) {
  StageLayers s;
  const int most = (layers + stages - 1) / stages;
  const int missing = most * stages - layers;
  s.middle = most;
  s.last = most - (missing >= 1 && stages > 1 ? 1 : 0);
  s.first = stages == 1 ? s.last : most - (missing >= 2 ? 1 : 0);
  return s;
}

// One kind of layer (MoE or dense) as it runs in a stage: with full recomputation of some layers
// (Megatron's --recompute-method block --recompute-num-layers) the recomputed ones re-run their
// forward in backward and the rest keep their activations.
struct LayerKindCosts {
  LayerTime recomputed, kept;
  double recomputed_saved_bytes = 0, kept_saved_bytes = 0;
};

// A stage of n layers, the first `dense` of them dense layers of an MoE model (its leading
// `first_dense_layers`; 0 for a dense model, whose layers are all `main`). Block recomputation
// recomputes the stage's first `recompute_limit` layers, so its dense layers first.
struct StageLayerCosts {
  LayerKindCosts main, dense;
  int recompute_limit = 0;  // layers per stage that recompute (the rest keep everything)

  int recomputed_layers(int layers) const { return layers < recompute_limit ? layers : recompute_limit; }
  // Sum of `part(kind, recomputed?)` over the stage's layers.
  template <typename Part>
  double sum(int layers, int dense_layers, Part part) const {
    const int k = recomputed_layers(layers);
    const int dense_recomputed = dense_layers < k ? dense_layers : k;
    const int main_layers = layers - dense_layers, main_recomputed = k - dense_recomputed;
    double total = main_recomputed * part(main.recomputed, main.recomputed_saved_bytes) +
                   (main_layers - main_recomputed) * part(main.kept, main.kept_saved_bytes);
    if (dense_layers > 0)
      total += dense_recomputed * part(dense.recomputed, dense.recomputed_saved_bytes) +
               (dense_layers - dense_recomputed) * part(dense.kept, dense.kept_saved_bytes);
    return total;
  }
  double total_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.total_s(); });
  }
  double compute_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.compute_s(); });
  }
  double tp_comm_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.tp_comm_s; });
  }
  double cp_comm_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.cp_comm_s; });
  }
  double ep_comm_s(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime& t, double) { return t.ep_comm_s; });
  }
  double saved_bytes(int layers, int dense_layers) const {
    return sum(layers, dense_layers, [](const LayerTime&, double bytes) { return bytes; });
  }
};

// Costs of a stage's layers: the model's main layer kind and, for an MoE model with leading dense
// layers, the dense kind (an MLP of width `ffn`).
StageLayerCosts stage_layer_costs(const Scenario& sc, const ParallelPlan& plan, LayerWork* main_work) {
  const ModelShape& model = sc.model;
  StageLayerCosts costs;
  auto fill = [&](LayerKindCosts& kind, bool moe) {
    const LayerWork work = moe ? moe_layer_work(model, plan) : dense_layer_work(model, plan);
    kind.recomputed = layer_time(work, sc, plan);
    kind.recomputed_saved_bytes = work.saved_activation_bytes;
    kind.kept = kind.recomputed;
    kind.kept_saved_bytes = work.saved_activation_bytes;
    if (plan.recompute == Recompute::full && plan.recompute_layers > 0) {
      ParallelPlan keep_all = plan;
      keep_all.recompute = Recompute::none;
      const LayerWork kept_work = moe ? moe_layer_work(model, keep_all) : dense_layer_work(model, keep_all);
      kind.kept = layer_time(kept_work, sc, keep_all);
      kind.kept_saved_bytes = kept_work.saved_activation_bytes;
    }
    return work;
  };
  *main_work = fill(costs.main, model.is_moe());
  if (model.is_moe() && model.dense_layers() > 0) fill(costs.dense, false);
  costs.recompute_limit = plan.recompute == Recompute::full && plan.recompute_layers > 0 ? plan.recompute_layers : model.layers;
  return costs;
}

// Dense layers of an MoE model (the leading ones, and those of an interleaved pattern,
// moe.layer_interval): how many of them a stage holds when the stages before it hold `before`
// layers and it holds `layers`.
int dense_layers_in_stage(const ModelShape& model, int before, int layers) {
  return model.is_moe() ? model.dense_layers_in(before, layers) : 0;
}

// The multi-token-prediction modules of the last stage, per micro-batch: their layers' time (the
// main layer kind, recomputed as the plan says) and the extra compute of each module (the 2h -> h
// projection, two norms, the shared head again).
struct MtpWork {
  double compute_s = 0;
  double tp_comm_s = 0, cp_comm_s = 0, ep_comm_s = 0;
  double total_s() const { return compute_s + tp_comm_s + cp_comm_s + ep_comm_s; }
};

MtpWork mtp_work(const Scenario& sc, const ParallelPlan& plan, const LayerTime& main_layer, double head_s) {
  MtpWork w;
  const int modules = sc.model.mtp_layers;
  if (modules <= 0) return w;
  const double tokens = plan.micro_batch * static_cast<double>(plan.seq_len) / plan.cp;
  const double h = static_cast<double>(sc.model.hidden);
  const GemmShape projection{tokens, h / plan.tp, 2.0 * h, 1};
  const double sp = plan.sequence_parallel ? plan.tp : 1.0;
  // Two RMSNorms on (tokens x h): read and write bf16, forward; twice that in backward.
  const double norms_s = 3.0 * memory_bound_seconds(2.0 * 2.0 * 2.0 * tokens * h / sp, 2, sc);
  const double module_extra_s = 3.0 * gemm_seconds(projection, plan.precision, sc.gpu, sc.profile, sc.calibration) + norms_s + head_s;
  w.compute_s = modules * (main_layer.compute_s() + module_extra_s);
  w.tp_comm_s = modules * main_layer.tp_comm_s;
  w.cp_comm_s = modules * main_layer.cp_comm_s;
  w.ep_comm_s = modules * main_layer.ep_comm_s;
  return w;
}

// uneven_pipeline: the layer split that makes the busiest stage least busy, the last stage also
// carrying `last_extra_s` per micro-batch (the output head, multi-token prediction). The middle
// stages share what the first and last leave, the busiest holding the rounded-up share. Among
// equally busy splits the one nearest the even split wins, taking layers from the last stage
// first, then from the first (Llama 3: one fewer layer on each, section 3.3.2).
StageLayers balanced_split(const ModelShape& model, int stages, const StageLayerCosts& layers, double last_extra_s) {
  const StageLayers even = split_layers(model.layers, stages);
  const int middles = stages - 2;
  auto busiest_s = [&](int first, int last, int* middle_out) {
    const int rest = model.layers - first - last;
    int middle = 0;
    if (middles > 0) {
      if (rest < middles) return std::numeric_limits<double>::infinity();  // every stage holds a layer
      middle = (rest + middles - 1) / middles;
    } else if (rest != 0) {
      return std::numeric_limits<double>::infinity();
    }
    *middle_out = middle;
    const double first_s = layers.total_s(first, dense_layers_in_stage(model, 0, first));
    const double last_s = layers.total_s(last, dense_layers_in_stage(model, model.layers - last, last)) + last_extra_s;
    const double middle_s =
        middles > 0 ? layers.total_s(middle, dense_layers_in_stage(model, model.layers - last - middle, middle)) : 0.0;
    return std::max({first_s, middle_s, last_s});
  };
  int unused_middle = 0;
  StageLayers best = even;
  double best_s = busiest_s(even.first, even.last, &unused_middle);
  for (int last = 1; last <= even.middle; ++last)
    for (int first = 1; first <= even.middle + 1; ++first) {
      int middle = 0;
      const double t = busiest_s(first, last, &middle);
      if (t < best_s * (1.0 - 1e-12)) {
        best_s = t;
        best = {first, middles > 0 ? middle : first, last};
      }
    }
  return best;
}

// Model FLOPs per token: 6 * (matmul parameters) for forward and backward, plus attention
// 3 * 2 * 2 * s * (qk + v head dims) * heads per layer: the full s^2 score matrix, as Megatron's and
// PaLM's MFU conventions count it (Narayanan et al. 2021 appendix; Chowdhery et al. 2022 appendix B).
double model_flops_per_token(const ModelShape& m, const ParameterCount& p, double seq_len) {
  const double head_dims = m.attention == AttentionKind::mla
                               ? static_cast<double>(m.mla.qk_nope_head_dim + m.mla.qk_rope_head_dim + m.mla.v_head_dim)
                               : 2.0 * static_cast<double>(m.effective_head_dim());
  return 6.0 * p.active_matmul + 6.0 * m.layers * m.heads * seq_len * head_dims * m.attention_pair_fraction(seq_len);
}

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

  // Per micro-batch, per GPU: one layer, and the output head of the last stage.
  LayerWork layer;
  const StageLayerCosts layers = stage_layer_costs(sc, plan, &layer);
  const LayerTime& per_layer = layers.main.recomputed;
  const HeadWork head = head_work(model, plan);
  // The output head stays in bf16 under fp8 (Megatron's output layer is not a Transformer Engine
  // module; DeepSeek-V3 section 3.3.1 keeps it in bf16 too).
  const double head_forward_s = gemm_seconds(head.logits, Precision::bf16, sc.gpu, sc.profile, sc.calibration) +
                                memory_bound_seconds(head.loss_bytes, 4, sc);
  const double head_s = 3.0 * head_forward_s;  // forward + data/weight gradients, loss gradient

  // Pipeline point-to-point: each virtual stage sends its activation forward and receives the
  // gradient back; with sequence parallelism (or Megatron's scatter/gather) each TP rank sends 1/tp.
  double p2p_s = 0;
  if (plan.pp > 1) {
    const double bytes = layer.tp_message_bytes / plan.tp;
    const GroupPlacement neighbours{2, plan.tp * plan.cp * plan.dp};
    p2p_s = 2.0 * plan.vp *
            collective_cost(sc.fabric, sc.profile, sc.calibration, sc.job.gpus, Collective::send_recv, neighbours, bytes).seconds;
  }

  // Multi-token prediction (DeepSeek-V3 section 2.2): on the last stage, each module projects
  // [norm(h); norm(embedding)] from 2h to h (split over tp), runs one more layer of the model's main
  // kind, and the shared output head again (logits and loss).
  const MtpWork mtp = mtp_work(sc, plan, layers.main.recomputed, head_s);

  const StageLayers stage_layers = plan.uneven_pipeline && plan.pp > 1
                                       ? balanced_split(model, plan.pp, layers, head_s + mtp.total_s())
                                       : split_layers(model.layers, plan.pp);
  r.stage_layers_first = stage_layers.first;
  r.stage_layers_middle = plan.pp > 2 ? stage_layers.middle : 0;
  r.stage_layers_last = stage_layers.last;
  // Leading dense layers of an MoE model: in the first stage, then (if it cannot hold them all) in
  // the next ones. The busiest middle stage is the one with the fewest dense layers, the last
  // middle one (with pp <= 2 there is no middle stage: it mirrors the first).
  const int dense_first = dense_layers_in_stage(model, 0, stage_layers.first);
  const int dense_middle =
      plan.pp <= 2 ? dense_first
                   : dense_layers_in_stage(model, model.layers - stage_layers.last - stage_layers.middle, stage_layers.middle);
  const int dense_last = plan.pp == 1 ? dense_first
                                      : dense_layers_in_stage(model, model.layers - stage_layers.last, stage_layers.last);
  const double first_s = layers.total_s(stage_layers.first, dense_first) + p2p_s + (plan.pp == 1 ? head_s + mtp.total_s() : 0.0);
  const double middle_s = plan.pp > 2 ? layers.total_s(stage_layers.middle, dense_middle) + p2p_s : 0.0;
  const double last_s = plan.pp == 1 ? first_s : layers.total_s(stage_layers.last, dense_last) + head_s + mtp.total_s() + p2p_s;
  const double per_microbatch_s = std::max({first_s, middle_s, last_s});
  // Attribute the busiest stage's time per micro-batch to its parts.
  const bool last_is_busiest = last_s >= middle_s && last_s >= first_s;
  const bool first_is_busiest = !last_is_busiest && first_s >= middle_s;
  const int busiest_layers = last_is_busiest ? stage_layers.last : (first_is_busiest ? stage_layers.first : stage_layers.middle);
  const int busiest_dense = last_is_busiest ? dense_last : (first_is_busiest ? dense_first : dense_middle);
  const bool busiest_has_head = last_is_busiest || plan.pp == 1;
  const double compute_per_mb =
      layers.compute_s(busiest_layers, busiest_dense) + (busiest_has_head ? head_s + mtp.compute_s : 0.0);

  const double m = microbatches;
  StepBreakdown& b = r.breakdown;
  b.compute_s = m * compute_per_mb;
  b.tp_comm_s = m * (layers.tp_comm_s(busiest_layers, busiest_dense) + (busiest_has_head ? mtp.tp_comm_s : 0.0));
  b.cp_comm_s = m * (layers.cp_comm_s(busiest_layers, busiest_dense) + (busiest_has_head ? mtp.cp_comm_s : 0.0));
  b.ep_comm_s = m * (layers.ep_comm_s(busiest_layers, busiest_dense) + (busiest_has_head ? mtp.ep_comm_s : 0.0));
  b.pp_comm_s = m * p2p_s;
  // DualPipe (an expert-overlap schedule, moe_dispatch_overlap.hpp) has its own, smaller bubble.
  const bool dualpipe = plan.ep_overlap && plan.ep_overlap_schedule == EpOverlapSchedule::dualpipe;
  b.pipeline_bubble_s = (dualpipe ? dualpipe_bubble_ratio(plan.pp, microbatches) : pipeline_bubble_ratio(plan.pp, plan.vp, microbatches)) *
                        m * per_microbatch_s;

  // Parameters per GPU of the first stage (embedding) and the last (output head). Routed experts
  // are split over expert_tp x ep; everything else over tp only.
  const double expert_shards = static_cast<double>(plan.routed_expert_tp()) * plan.ep;
  const double shared_mlp = model.is_moe() ? params.moe_mlp_per_layer - model.moe.routed_experts * expert_parameters(model, model.moe.expert_ffn) : 0.0;
  const double routed_mlp = model.is_moe() ? model.moe.routed_experts * expert_parameters(model, model.moe.expert_ffn) : 0.0;
  const double layer_common = params.attention_per_layer + params.norms_per_layer;
  auto stage_common = [&](int layers_in_stage, double dense_layers) {
    return dense_layers * (layer_common + params.dense_mlp_per_layer) + (layers_in_stage - dense_layers) * (layer_common + shared_mlp);
  };
  // The multi-token-prediction modules live on the last stage (with the head they share).
  const double mtp_experts = model.is_moe() ? model.mtp_layers * routed_mlp / expert_shards : 0.0;
  const double mtp_common = (params.mtp - (model.is_moe() ? model.mtp_layers * routed_mlp : 0.0)) / plan.tp;
  const double first_common = (stage_common(stage_layers.first, model.is_moe() ? dense_first : stage_layers.first) +
                               params.embedding + (plan.pp == 1 ? params.output_head + params.final_norm : 0.0)) / plan.tp +
                              (plan.pp == 1 ? mtp_common : 0.0);
  const double last_common =
      (stage_common(stage_layers.last, model.is_moe() ? dense_last : stage_layers.last) +
       params.final_norm + (plan.pp == 1 ? params.embedding : 0.0) +
       (model.tied_embeddings && plan.pp > 1 ? params.embedding : params.output_head)) / plan.tp + mtp_common;
  const double first_experts = (model.is_moe() ? (stage_layers.first - dense_first) * routed_mlp / expert_shards : 0.0) +
                               (plan.pp == 1 ? mtp_experts : 0.0);
  const double last_experts =
      (model.is_moe() ? (stage_layers.last - dense_last) * routed_mlp / expert_shards : 0.0) + mtp_experts;
  const bool first_is_larger = first_common + first_experts >= last_common + last_experts;
  double stage_params = first_is_larger ? first_common + first_experts : last_common + last_experts;
  double stage_expert_params = first_is_larger ? first_experts : last_experts;
  const double first_params = first_common + first_experts;
  const double last_params = last_common + last_experts;
  // An MoE model's middle stage (all MoE layers, no embedding) can hold more than either end.
  const bool moe_middle_stage = model.is_moe() && plan.pp > 2;
  const double middle_experts = moe_middle_stage ? (stage_layers.middle - dense_middle) * routed_mlp / expert_shards : 0.0;
  const double middle_params = moe_middle_stage ? stage_common(stage_layers.middle, dense_middle) / plan.tp + middle_experts : 0.0;
  if (middle_params > stage_params) {
    stage_params = middle_params;
    stage_expert_params = middle_experts;
  }
  const double stage_common_params = stage_params - stage_expert_params;

  // Data parallelism: gradients reduced over dp*cp ranks (stride tp in Megatron's order): an
  // all-reduce, or with ZeRO a reduce-scatter of gradients and an all-gather of bf16 weights.
  // Expert parameters are reduced over the expert-data-parallel group: tp*dp*cp / (expert_tp*ep)
  // ranks at stride expert_tp*ep (dp*cp/ep at stride tp*ep when expert_tp = tp).
  const int dp_ranks = plan.dp * plan.cp;
  const int expert_dp_ranks = static_cast<int>(std::max(1LL, plan.expert_data_parallel()));
  const bool experts_reduce_with_the_rest = plan.ep == 1 && plan.routed_expert_tp() == plan.tp;
  if (dp_ranks > 1 || expert_dp_ranks > 1) {
    double reduce_s = 0, gather_s = 0;
    const double grad_bytes_per_param = plan.fp32_grad_reduce ? 4.0 : 2.0;
    // ZeRO-3 gathers and reduce-scatters layer by layer (FSDP's units): each layer's collective
    // pays its own latency, which at thousands of ranks rivals the bandwidth term. ZeRO 0-2 reduce
    // in buckets large enough for one stage-sized collective to stand for them.
    const double units = plan.zero_stage == 3 ? std::max(1, busiest_layers) : 1.0;
    auto reduce_group = [&](GroupPlacement group, double group_params) {
      if (group.size <= 1 || group_params <= 0) return;
      const auto cost = [&](Collective kind, double bytes) {
        return units * collective_cost(sc.fabric, sc.profile, sc.calibration, sc.job.gpus, kind, group, bytes / units).seconds;
      };
      if (plan.zero_stage == 0) {
        reduce_s += cost(Collective::all_reduce, group_params * grad_bytes_per_param);
      } else {
        reduce_s += cost(Collective::reduce_scatter, group_params * grad_bytes_per_param);
        gather_s += cost(Collective::all_gather, group_params * 2.0);
      }
    };
    if (experts_reduce_with_the_rest) {
      reduce_group({dp_ranks, plan.tp}, stage_params);
    } else {
      reduce_group({dp_ranks, plan.tp}, stage_common_params);
      reduce_group({expert_dp_ranks, plan.routed_expert_tp() * plan.ep}, stage_expert_params);
    }
    if (plan.zero_stage == 3) {
      // ZeRO-3 gathers the weights for every micro-batch's forward and backward.
      gather_s *= 2.0 * m;
      reduce_s *= m;
    }
    if (plan.dp_overlap) {
      // Reduction overlaps the backward of the last micro-batch (bucketed, Megatron's
      // --overlap-grad-reduce); the gather overlaps the first forward (--overlap-param-gather).
      const double hide = sc.calibration.overlap_efficiency;
      const double window_layers = std::max(stage_layers.first, 1);
      double backward_window = (plan.zero_stage == 3 ? m : 1.0) * window_layers *
                               (per_layer.backward_compute_s + per_layer.recompute_compute_s);
      double forward_window = (plan.zero_stage == 3 ? 2.0 * m : 1.0) * window_layers * per_layer.forward_compute_s;
      if (dense_first > 0) {  // an MoE model's first stage with leading dense layers: its own layers
        backward_window = (plan.zero_stage == 3 ? m : 1.0) * layers.sum(stage_layers.first, dense_first, [](const LayerTime& t, double) {
                            return t.backward_compute_s + t.recompute_compute_s;
                          });
        forward_window = (plan.zero_stage == 3 ? 2.0 * m : 1.0) *
                         layers.sum(stage_layers.first, dense_first, [](const LayerTime& t, double) { return t.forward_compute_s; });
      }
      const double reduce_hidden_s = std::min(reduce_s, hide * backward_window);
      const double gather_hidden_s = std::min(gather_s, hide * forward_window);
      b.dp_comm_s = (reduce_s - reduce_hidden_s) + (gather_s - gather_hidden_s) +
                    overlap_slowdown_seconds(reduce_hidden_s + gather_hidden_s, sc);
    } else {
      b.dp_comm_s = reduce_s + gather_s;
    }
  }

  const double optimizer_params = plan.zero_stage >= 1
                                      ? stage_common_params / dp_ranks + stage_expert_params / expert_dp_ranks
                                      : stage_params;
  b.optimizer_s = memory_bound_seconds(optimizer_params * kOptimizerBytesPerParameter, 4, sc);

  r.step_time_s = b.total();
  r.pipeline_bubble_fraction = r.step_time_s > 0 ? b.pipeline_bubble_s / r.step_time_s : 0.0;
  r.tokens_per_second = r.tokens_per_step / r.step_time_s;

  // FLOPs: the model's (no recomputation) and what the hardware executes (with it).
  const double tokens = r.tokens_per_step;
  r.model_flops_per_step = model_flops_per_token(model, params, plan.seq_len) * tokens;
  double recompute_flops = 0;
  if (plan.recompute == Recompute::full) {
    const double recomputed_share = std::min(1.0, static_cast<double>(layers.recomputed_layers(stage_layers.middle)) /
                                                      std::max(1, stage_layers.middle));
    recompute_flops = recomputed_share *
                      (r.model_flops_per_step / 3.0 - 2.0 * static_cast<double>(model.vocab) * static_cast<double>(model.hidden) * tokens);
  } else if (plan.recompute == Recompute::selective && plan.attention_kernel == AttentionKernel::materialized) {
    const double attention_forward_per_token = model_flops_per_token(model, ParameterCount{}, plan.seq_len) / 3.0;
    recompute_flops = attention_forward_per_token * tokens;
  }
  // Multi-token prediction is work the hardware does but not the model's FLOPs (MFU counts the
  // main model, as its published active parameters do): a 6N-per-token matmul term plus attention.
  double mtp_flops = 0;
  if (model.mtp_layers > 0) {
    ModelShape one_layer = model;
    one_layer.layers = model.mtp_layers;
    mtp_flops = (6.0 * params.mtp_active_matmul + model_flops_per_token(one_layer, ParameterCount{}, plan.seq_len)) * tokens;
  }
  r.hardware_flops_per_step = r.model_flops_per_step + recompute_flops + mtp_flops;
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
