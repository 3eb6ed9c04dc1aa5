#include "planner/core/model/layer_time.hpp"

#include <algorithm>

#include "planner/core/network/collective_seconds.hpp"
#include "planner/core/network/group_layout.hpp"
#include "planner/core/model/expert_gemm.hpp"
#include "planner/core/model/fp8_operand_casts.hpp"
#include "planner/core/model/fp8_split_accumulator.hpp"
#include "planner/core/model/moe_dispatch_overlap.hpp"
#include "planner/core/model/moe_layer.hpp"
#include "planner/core/model/tp_backward_overlap.hpp"

namespace trainplan {

double memory_bound_seconds(double bytes, double kernels, const Scenario& scenario) {
  return bytes / achieved_hbm_bytes_per_s(scenario.gpu, scenario.profile) / scenario.calibration.sustained_kernel_fraction +
         kernels * scenario.calibration.kernel_overhead_s;
}

double overlap_slowdown_seconds(double hidden_comm_s, const Scenario& scenario) {
  return std::max(0.0, hidden_comm_s) * scenario.calibration.overlapped_comm_sm_share;
}

int fused_attention_figures_index(AttentionKernel kernel, const PerformanceProfile& profile) {
  return kernel == AttentionKernel::flash3 && profile.fused_attention[1].stated() ? 1 : 0;
}

double flash_attention_fraction(AttentionKernel kernel, const PerformanceProfile& profile, const AttentionShape& shape) {
  const double fraction = attention_fraction_at(profile.fused_attention[fused_attention_figures_index(kernel, profile)], shape);
  return fraction > 0 ? fraction : kUnstatedFusedAttentionFraction;
}

double full_attention_fraction(AttentionKernel kernel, const PerformanceProfile& profile, bool causal, const LayerWork& w) {
  const double full_flops = w.flash_attention_flops - w.flash_windowed_flops;
  const double first = flash_attention_fraction(kernel, profile, {causal, w.flash_head_dim, w.flash_keys});
  if (!(w.flash_ring_block_flops > 0) || !(full_flops > w.flash_ring_block_flops)) return first;
  const double blocks = flash_attention_fraction(kernel, profile, {false, w.flash_head_dim, w.flash_ring_block_keys});
  return full_flops / ((full_flops - w.flash_ring_block_flops) / first + w.flash_ring_block_flops / blocks);
}

namespace {

struct PassTimes {
  double gemm_s = 0;        // the four projection GEMMs
  double mlp_gemm_s = 0;    // of them, the MLP's (routed and shared experts on an MoE layer)
  double attention_s = 0;   // attention core (GEMMs or flash kernel, softmax/dropout)
  double elementwise_s = 0; // norms, residuals, activation, rotary
  // Of gemm_s, the routed experts' grouped GEMMs, and their backward (data + weight gradients,
  // costed shape by shape: expert_gemm.hpp) that replaces 2x their forward.
  double expert_gemm_s = 0;
  double expert_gemm_backward_s = 0;
  // The backward of the GEMMs: 2x the forward, the routed experts' as costed.
  double gemm_backward_s() const {
    if (fp8_backward_slowdown == 1.0) return 2.0 * (gemm_s - expert_gemm_s) + expert_gemm_backward_s;
    return fp8_backward_slowdown * (2.0 * (gemm_s - expert_gemm_s - router_s) + expert_gemm_backward_s) + 2.0 * router_s;
  }
  double mlp_gemm_backward_s() const {
    return fp8_backward_slowdown * (2.0 * (mlp_gemm_s - expert_gemm_s) + expert_gemm_backward_s);
  }
  // fp8 split accumulator (fp8_split_accumulator.hpp): the factor on the backward of the GEMMs that
  // run in fp8, i.e. all of gemm_s but the router's (router_s, kept in bf16).
  double fp8_backward_slowdown = 1.0;
  double router_s = 0;
  // fp8 only: casting the GEMMs' operands from bf16, in this pass and in the matching backward.
  double fp8_cast_s = 0;
  double fp8_cast_backward_s = 0;
  // fp8 current scaling under sequence parallelism: amax all-reduces over the TP group (fp8_operand_casts.hpp).
  int tp_amax_reductions_forward = 0;
  int tp_amax_reductions_backward = 0;
};

// fp8 GEMMs take fp8 operands: the casts and transposes Transformer Engine runs for them, as
// memory-bound passes (fp8_operand_casts.hpp). The forward may net negative (fused norms writing
// fp8); it is kept as part of the forward's memory-bound time.
void add_fp8_cast_times(PassTimes& t, const LayerWork& w, const Scenario& sc, const ParallelPlan& plan) {
  const Fp8CastBytes c = fp8_operand_cast_bytes(w, plan);
  t.fp8_cast_s = memory_bound_seconds(c.forward_bytes, c.forward_kernels, sc);
  t.fp8_cast_backward_s = memory_bound_seconds(c.backward_bytes, c.backward_kernels, sc);
  t.tp_amax_reductions_forward = c.tp_amax_reductions_forward;
  t.tp_amax_reductions_backward = c.tp_amax_reductions_backward;
}

// A grouped GEMM (the routed experts of one GPU, `batch` of them in one launch) runs each expert's
// GEMM at the efficiency of that expert's size on the same curve, with one kernel launch in all.
double grouped_gemm_seconds(const GemmShape& g, const Scenario& sc, const ParallelPlan& plan) {
  if (g.batch <= 1) return gemm_seconds(g, plan.precision, sc.gpu, sc.profile, sc.calibration);
  const double one_expert_s = gemm_seconds({g.m, g.n, g.k, 1}, plan.precision, sc.gpu, sc.profile, sc.calibration);
  if (one_expert_s <= 0) return 0.0;
  return g.batch * (one_expert_s - sc.calibration.kernel_overhead_s) + sc.calibration.kernel_overhead_s;
}

PassTimes forward_times(const LayerWork& w, const Scenario& sc, const ParallelPlan& plan) {
  PassTimes t;
  // An MoE layer (it has a router) runs mlp_up/mlp_down as the routed experts' grouped GEMMs.
  const bool routed = w.router.flops() > 0;
  ExpertGemmTimes up, down;
  if (routed) {
    up = expert_gemm_times(w.mlp_up, plan.precision, sc.gpu, sc.profile, sc.calibration, plan.expert_gemm);
    down = expert_gemm_times(w.mlp_down, plan.precision, sc.gpu, sc.profile, sc.calibration, plan.expert_gemm);
    t.expert_gemm_s = up.forward_s + down.forward_s;
    t.expert_gemm_backward_s = up.backward_s + down.backward_s;
  }
  auto forward_s = [&](const GemmShape* g) {
    if (routed && g == &w.mlp_up) return up.forward_s;
    if (routed && g == &w.mlp_down) return down.forward_s;
    return grouped_gemm_seconds(*g, sc, plan);
  };
  for (const GemmShape* g : {&w.qkv, &w.out_proj, &w.mlp_up, &w.mlp_down, &w.shared_up, &w.shared_down, &w.mla_down, &w.mla_kv_up})
    t.gemm_s += forward_s(g);
  for (const GemmShape* g : {&w.mlp_up, &w.mlp_down, &w.shared_up, &w.shared_down}) t.mlp_gemm_s += forward_s(g);
  // The router stays in bf16 under fp8 (Transformer Engine's recipe runs only the linear layers in
  // fp8; DeepSeek-V3 section 3.3.1 keeps the gating module in bf16/fp32).
  t.router_s = gemm_seconds(w.router, Precision::bf16, sc.gpu, sc.profile, sc.calibration);
  t.gemm_s += t.router_s;
  t.fp8_backward_slowdown = fp8_backward_gemm_slowdown(plan, sc.gpu);  // fp8: split accumulator in backward
  if (plan.attention_kernel == AttentionKernel::materialized) {
    // Attention GEMMs stay in bf16 (Transformer Engine runs only the projections in fp8).
    t.attention_s = gemm_seconds(w.attention_scores, Precision::bf16, sc.gpu, sc.profile, sc.calibration) +
                    gemm_seconds(w.attention_context, Precision::bf16, sc.gpu, sc.profile, sc.calibration) +
                    memory_bound_seconds(w.attention_elementwise_bytes, 0, sc);  // fused into the GEMMs' launches
  } else if (w.flash_attention_flops > 0) {
    // Full-attention layers at the sequence's keys, windowed or chunked ones at the window's.
    const double rate = peak_flops_per_s(sc.gpu, Precision::bf16) * sc.calibration.sustained_kernel_fraction;
    const AttentionShape windowed{plan.causal, w.flash_head_dim, w.flash_window_keys};
    t.attention_s = (w.flash_attention_flops - w.flash_windowed_flops) / (rate * full_attention_fraction(plan.attention_kernel, sc.profile, plan.causal, w)) +
                    sc.calibration.kernel_overhead_s;
    if (w.flash_windowed_flops > 0)
      t.attention_s += w.flash_windowed_flops / (rate * flash_attention_fraction(plan.attention_kernel, sc.profile, windowed));
  }
  t.elementwise_s = memory_bound_seconds(w.elementwise_bytes, w.elementwise_kernels, sc);
  if (plan.precision == Precision::fp8 && sc.gpu.fp8_dense_tflops > 0) add_fp8_cast_times(t, w, sc, plan);
  return t;
}

// One tensor-parallel collective of the layer on a `bytes` activation: an all-reduce, or with
// sequence parallelism an all-gather plus a reduce-scatter of it (same bytes on the wire).
double tp_collective_seconds(double bytes, const Scenario& sc, const ParallelPlan& plan, GroupPlacement group) {
  if (group.size <= 1) return 0.0;
  if (plan.sequence_parallel)
    return collective_seconds(sc, Collective::all_gather, group, bytes) +
           collective_seconds(sc, Collective::reduce_scatter, group, bytes);
  return collective_seconds(sc, Collective::all_reduce, group, bytes);
}

// One expert-parallel exchange (a dispatch or a combine) of `bytes_per_copy` per token copy.
// all_to_all: one all-to-all over the EP group (stride tp in Megatron's order) of every copy.
// hierarchical: the group's members on one node (m) form a node; each GPU sends one copy per
// destination node (distinct_nodes_per_token) to its own-rail peer there, which forwards the
// top_k copies to the experts inside the node over NVLink; the two stages pipeline, so the slower
// one sets the time.
double expert_exchange_seconds(const LayerWork& w, double bytes_per_copy, const Scenario& sc, const ParallelPlan& plan) {
  const GroupPlacement experts = group_layout(plan).expert;  // placement: the plan's rank order
  const int stride = experts.stride;
  const double all_copies = w.ep_tokens * w.ep_copies_per_token * bytes_per_copy;
  const int node_gpus = std::max(1, sc.fabric.scale_up.gpus);
  const int members_per_node = stride >= node_gpus ? 1 : std::min(plan.ep, node_gpus / stride);
  const int nodes = (plan.ep + members_per_node - 1) / members_per_node;
  if (plan.moe_dispatcher == MoeDispatcher::all_to_all || nodes <= 1)
    return collective_seconds(sc, Collective::all_to_all, experts, all_copies);
  const double node_copies = w.ep_tokens * distinct_nodes_per_token(sc.model.moe, nodes) * bytes_per_copy;
  const double across_s = collective_seconds(sc, Collective::all_to_all, {nodes, stride * members_per_node}, node_copies);
  const double inside_s = collective_seconds(sc, Collective::all_to_all, {members_per_node, stride}, all_copies);
  return std::max(across_s, inside_s);
}

}  // namespace

LayerTime layer_time(const LayerWork& w, const Scenario& sc, const ParallelPlan& plan) {
  LayerTime t;
  const PassTimes fwd = forward_times(w, sc, plan);
  t.forward_compute_s = fwd.gemm_s + fwd.attention_s + fwd.elementwise_s + fwd.fp8_cast_s;

  // Backward: data- and weight-gradient GEMMs (2x forward), elementwise gradients (2x traffic).
  double attention_backward_s = 2.0 * fwd.attention_s;
  if (is_flash(plan.attention_kernel) && w.flash_attention_flops > 0) {
    // FlashAttention's backward recomputes the scores: 5 matmuls against the forward's 2. The
    // published fraction is for forward + backward together, so the split keeps that ratio.
    attention_backward_s = 2.5 * (fwd.attention_s - sc.calibration.kernel_overhead_s) + sc.calibration.kernel_overhead_s;
  }
  t.backward_compute_s = fwd.gemm_backward_s() + attention_backward_s + 2.0 * fwd.elementwise_s + fwd.fp8_cast_backward_s;
  const ComputeParts forward_parts{fwd.gemm_s, fwd.attention_s, fwd.elementwise_s, fwd.fp8_cast_s, 0.0};
  t.parts = forward_parts;
  t.parts += {fwd.gemm_backward_s(), attention_backward_s, 2.0 * fwd.elementwise_s, fwd.fp8_cast_backward_s, 0.0};

  ComputeParts recompute;
  switch (plan.recompute) {
    case Recompute::none: break;
    case Recompute::selective:
      // Megatron-Core checkpoints the attention core (attention.py, _checkpointed_attention_forward):
      // its forward kernel runs again in backward to rebuild what the backward reads, a fused (flash)
      // kernel's output and log-sum-exp as much as the materialised scores. MLA's selective scheme
      // (DeepSeek-V3 section 3.2.3; Megatron-Core's recompute_modules mla_up_proj) re-runs its norms and
      // up-projections instead and keeps the fused attention's outputs.
      recompute.attention_s =
          !w.selective_recomputes_mla_up_projections || plan.attention_kernel == AttentionKernel::materialized ? fwd.attention_s : 0.0;
      t.recompute_compute_s = recompute.attention_s;
      if (w.selective_recomputes_mla_up_projections) {
        recompute.gemm_s = grouped_gemm_seconds(w.qkv, sc, plan) + grouped_gemm_seconds(w.mla_kv_up, sc, plan);
        recompute.memory_bound_s = memory_bound_seconds(w.selective_recompute_norm_bytes, 4, sc);
        t.recompute_compute_s += recompute.gemm_s + recompute.memory_bound_s;
      }
      break;
    case Recompute::full:
      recompute = forward_parts;
      t.recompute_compute_s = t.forward_compute_s;
      break;
  }
  // MoE with moe_act_recompute: the routed experts' activation re-run in backward (routed_activation.hpp).
  if (w.moe_act_recompute_bytes > 0) {
    const double act_s = memory_bound_seconds(w.moe_act_recompute_bytes, 1, sc);
    recompute.memory_bound_s += act_s;
    t.recompute_compute_s += act_s;
  }
  t.parts += recompute;

  // Tensor parallelism: two collectives per forward, two per backward, two more when the forward
  // is recomputed in full. With tp_overlap they hide behind the GEMMs of the same pass.
  const double collective_s = tp_collective_seconds(w.tp_message_bytes, sc, plan, group_layout(plan).tensor);
  const double passes = 2.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0);
  const double tp_layers_s = passes * w.tp_collectives_forward * collective_s;
  // MoE: the routed tokens' gather/scatter around the TP-split experts. The token dispatcher issues
  // these itself, outside the linear layers whose collectives tp_overlap pipelines with their GEMMs
  // (Transformer Engine's userbuffers), so they stay exposed.
  const double tp_dispatcher_s =
      w.tp_expert_collectives_forward > 0
          ? passes * w.tp_expert_collectives_forward * tp_collective_seconds(w.tp_expert_message_bytes, sc, plan, group_layout(plan).expert_tensor)
          : 0.0;
  const double gemm_total_s = fwd.gemm_s * (1.0 + 2.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0));
  // Overlapped (userbuffers-style), at most the calibrated overlap efficiency of it hides behind
  // the pass's GEMMs, which it cannot outlast; the hidden part still costs its SM share.
  const double tp_hidden_s = sc.calibration.overlap_efficiency * std::min(tp_layers_s, gemm_total_s);
  t.tp_comm_s = tp_dispatcher_s +
                (plan.tp_overlap ? tp_layers_s - tp_hidden_s + overlap_slowdown_seconds(tp_hidden_s, sc) : tp_layers_s);
  // ---- Megatron's asynchronous backward collectives beside their own GEMMs (tp_backward_overlap.hpp) ----
  if (!plan.tp_overlap && plan.tp_backward_overlap && w.tp_collectives_forward > 0 && group_layout(plan).tensor.size > 1) {
    const GroupPlacement tensor = group_layout(plan).tensor;
    const bool routed_layer = w.router.flops() > 0;
    // The column-parallel linear opening each pair: QKV, then the MLP's up projection (the shared
    // experts' on an MoE layer, whose routed experts' collectives the token dispatcher issues).
    const double column_gemm_s[2] = {grouped_gemm_seconds(w.qkv, sc, plan),
                                     grouped_gemm_seconds(routed_layer ? w.shared_up : w.mlp_up, sc, plan)};
    const double message = w.tp_message_bytes;
    const TpBackwardCollectives backward = tp_backward_collectives(
        std::min(w.tp_collectives_forward, 2), column_gemm_s, plan.sequence_parallel,
        plan.sequence_parallel ? 0.0 : collective_seconds(sc, Collective::all_reduce, tensor, message),
        plan.sequence_parallel ? collective_seconds(sc, Collective::all_gather, tensor, message) : 0.0,
        plan.sequence_parallel ? collective_seconds(sc, Collective::reduce_scatter, tensor, message) : 0.0);
    const double forward_passes = 1.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0);
    t.tp_comm_s = tp_dispatcher_s + forward_passes * w.tp_collectives_forward * collective_s + backward.exposed_s +
                  overlap_slowdown_seconds(backward.hidden_s, sc);
  }
  // ---- end of the asynchronous backward collectives ----
  // fp8 current scaling: each amax all-reduce over the TP group (4 bytes) waits on the compute stream
  // before its cast; the forward's again when the forward is recomputed in full.
  if (fwd.tp_amax_reductions_forward + fwd.tp_amax_reductions_backward > 0) {
    const double amax_s = collective_seconds(sc, Collective::all_reduce, group_layout(plan).tensor, 4.0);
    const double forward_passes = 1.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0);
    t.tp_comm_s += amax_s * (forward_passes * fwd.tp_amax_reductions_forward + fwd.tp_amax_reductions_backward);
  }

  // Expert parallelism: dispatch and combine in forward, their mirror images in backward (the
  // gradient of the combine travels as a dispatch, in fp8 with dispatch_fp8), and again when the
  // forward is recomputed; not overlapped unless ep_overlap (Megatron's default).
  if (plan.ep > 1 && w.ep_tokens > 0) {
    const double dispatch_s = expert_exchange_seconds(w, w.ep_dispatch_bytes_per_copy, sc, plan);
    const double combine_s = expert_exchange_seconds(w, w.ep_combine_bytes_per_copy, sc, plan);
    const double a2a_total_s = passes * (dispatch_s + combine_s);
    // Overlapped: the passes the schedule pairs with another micro-batch's pass hide their
    // exchange behind its compute (moe_dispatch_overlap.hpp); warm-up and cool-down passes cannot.
    if (plan.ep_overlap) {
      const long long batch_unit = std::max(1LL, 1LL * plan.dp * plan.micro_batch);
      const EpOverlapPairing pairing =
          ep_overlap_pairing(plan.ep_overlap_schedule, plan.pp, plan.vp, static_cast<int>(plan.global_batch / batch_unit));
      EpOverlapChunks chunks;
      chunks.forward_mlp_s = fwd.mlp_gemm_s;
      chunks.forward_attention_s = t.forward_compute_s - fwd.mlp_gemm_s;
      chunks.backward_mlp_s = fwd.mlp_gemm_backward_s();
      chunks.backward_attention_s = t.backward_compute_s + t.recompute_compute_s - chunks.backward_mlp_s;
      chunks.dispatch_s = dispatch_s;
      chunks.combine_s = combine_s;
      chunks.exchange_passes = passes;
      const EpOverlapTime overlap = overlap_expert_exchange(chunks, pairing, sc.calibration);
      t.ep_comm_s = overlap.exposed_s + overlap_slowdown_seconds(overlap.hidden_s, sc);
      t.ep_hidden_s = overlap.hidden_s;  // shares the links with other kinds (step_link_sharing.hpp)
    } else {
      t.ep_comm_s = a2a_total_s;
    }
  }

  // Context parallelism (ring attention): cp-1 exchanges of the K/V chunk in forward, of K/V and
  // their gradients in backward, each hidden behind the attention of the chunk in hand.
  if (plan.cp > 1 && plan.cp_all_gather) {
    const GroupPlacement group = group_layout(plan).context;
    const double gathered = plan.cp * w.cp_kv_chunk_bytes;  // K and V of the whole sequence
    const double gather_s = collective_seconds(sc, Collective::all_gather, group, gathered);
    const double scatter_s = collective_seconds(sc, Collective::reduce_scatter, group, gathered);
    // Forward gathers; backward gathers again (K/V are not kept whole) and reduce-scatters dK, dV.
    t.cp_comm_s = gather_s * (2.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0)) + scatter_s;
  } else if (plan.cp > 1) {
    const GroupPlacement ring = group_layout(plan).context;
    const double step_s = collective_seconds(sc, Collective::send_recv, ring, w.cp_kv_chunk_bytes);
    const double forward_comm_s = (plan.cp - 1) * step_s;
    const double backward_comm_s = 2.0 * forward_comm_s;
    t.cp_comm_s = std::max(0.0, forward_comm_s - fwd.attention_s) + std::max(0.0, backward_comm_s - attention_backward_s) +
                  overlap_slowdown_seconds(std::min(forward_comm_s, fwd.attention_s) + std::min(backward_comm_s, attention_backward_s), sc);
  }
  return t;
}

}  // namespace trainplan
