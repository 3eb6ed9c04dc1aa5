#include "layer_time.hpp"

#include <algorithm>

#include "collective_cost.hpp"

namespace trainplan {

double memory_bound_seconds(double bytes, double kernels, const Scenario& scenario) {
  return bytes / achieved_hbm_bytes_per_s(scenario.gpu, scenario.profile) + kernels * scenario.calibration.kernel_overhead_s;
}

double flash_attention_fraction(AttentionKernel kernel, const PerformanceProfile& profile) {
  const double flash2 = profile.flash_attention_fraction[0];
  const double flash3 = profile.flash_attention_fraction[1];
  const double fraction = kernel == AttentionKernel::flash3 && flash3 > 0 ? flash3 : flash2;
  return fraction > 0 ? fraction : 0.35;  // FlashAttention-2 on H100 (Shah et al. 2024): the lowest published figure
}

namespace {

struct PassTimes {
  double gemm_s = 0;        // the four projection GEMMs
  double attention_s = 0;   // attention core (GEMMs or flash kernel, softmax/dropout)
  double elementwise_s = 0; // norms, residuals, activation, rotary
};

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
  for (const GemmShape* g : {&w.qkv, &w.out_proj, &w.mlp_up, &w.mlp_down, &w.shared_up, &w.shared_down, &w.mla_down, &w.mla_kv_up})
    t.gemm_s += grouped_gemm_seconds(*g, sc, plan);
  // The router stays in bf16 under fp8 (Transformer Engine's recipe runs only the linear layers in
  // fp8; DeepSeek-V3 section 3.3.1 keeps the gating module in bf16/fp32).
  t.gemm_s += gemm_seconds(w.router, Precision::bf16, sc.gpu, sc.profile, sc.calibration);
  if (plan.attention_kernel == AttentionKernel::materialized) {
    // Attention GEMMs stay in bf16 (Transformer Engine runs only the projections in fp8).
    t.attention_s = gemm_seconds(w.attention_scores, Precision::bf16, sc.gpu, sc.profile, sc.calibration) +
                    gemm_seconds(w.attention_context, Precision::bf16, sc.gpu, sc.profile, sc.calibration) +
                    w.attention_elementwise_bytes / achieved_hbm_bytes_per_s(sc.gpu, sc.profile);
  } else if (w.flash_attention_flops > 0) {
    t.attention_s = w.flash_attention_flops / (peak_flops_per_s(sc.gpu, Precision::bf16) *
                                               flash_attention_fraction(plan.attention_kernel, sc.profile)) +
                    sc.calibration.kernel_overhead_s;
  }
  t.elementwise_s = memory_bound_seconds(w.elementwise_bytes, w.elementwise_kernels, sc);
  return t;
}

// One tensor-parallel collective of the layer on a `bytes` activation: an all-reduce, or with
// sequence parallelism an all-gather plus a reduce-scatter of it (same bytes on the wire).
double tp_collective_seconds(double bytes, const Scenario& sc, const ParallelPlan& plan) {
  if (plan.tp <= 1) return 0.0;
  const GroupPlacement group{plan.tp, 1};
  const int gpus = sc.job.gpus;
  if (plan.sequence_parallel)
    return collective_cost(sc.fabric, sc.profile, sc.calibration, gpus, Collective::all_gather, group, bytes).seconds +
           collective_cost(sc.fabric, sc.profile, sc.calibration, gpus, Collective::reduce_scatter, group, bytes).seconds;
  return collective_cost(sc.fabric, sc.profile, sc.calibration, gpus, Collective::all_reduce, group, bytes).seconds;
}

}  // namespace

LayerTime layer_time(const LayerWork& w, const Scenario& sc, const ParallelPlan& plan) {
  LayerTime t;
  const PassTimes fwd = forward_times(w, sc, plan);
  t.forward_compute_s = fwd.gemm_s + fwd.attention_s + fwd.elementwise_s;

  // Backward: data- and weight-gradient GEMMs (2x forward), elementwise gradients (2x traffic).
  double attention_backward_s = 2.0 * fwd.attention_s;
  if (is_flash(plan.attention_kernel) && w.flash_attention_flops > 0) {
    // FlashAttention's backward recomputes the scores: 5 matmuls against the forward's 2. The
    // published fraction is for forward + backward together, so the split keeps that ratio.
    attention_backward_s = 2.5 * (fwd.attention_s - sc.calibration.kernel_overhead_s) + sc.calibration.kernel_overhead_s;
  }
  t.backward_compute_s = 2.0 * fwd.gemm_s + attention_backward_s + 2.0 * fwd.elementwise_s;

  switch (plan.recompute) {
    case Recompute::none: break;
    case Recompute::selective:  // Megatron re-runs the attention core; flash already recomputes
      t.recompute_compute_s = plan.attention_kernel == AttentionKernel::materialized ? fwd.attention_s : 0.0;
      break;
    case Recompute::full: t.recompute_compute_s = t.forward_compute_s; break;
  }

  // Tensor parallelism: two collectives per forward, two per backward, two more when the forward
  // is recomputed in full. With tp_overlap they hide behind the GEMMs of the same pass.
  const double collective_s = tp_collective_seconds(w.tp_message_bytes, sc, plan);
  const double passes = 2.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0);
  double tp_total_s = passes * w.tp_collectives_forward * collective_s;
  if (w.tp_expert_collectives_forward > 0)  // MoE: the routed tokens' gather/scatter around the experts
    tp_total_s += passes * w.tp_expert_collectives_forward * tp_collective_seconds(w.tp_expert_message_bytes, sc, plan);
  const double gemm_total_s = fwd.gemm_s * (1.0 + 2.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0));
  t.tp_comm_s = plan.tp_overlap ? std::max(0.0, tp_total_s - gemm_total_s) : tp_total_s;

  // Expert parallelism: dispatch and combine all-to-alls in forward, their mirror images in
  // backward, and again when the forward is recomputed; not overlapped (Megatron's default).
  if (plan.ep > 1 && w.ep_all_to_alls_forward > 0) {
    const GroupPlacement experts{plan.ep, plan.tp};
    const double a2a_s = collective_cost(sc.fabric, sc.profile, sc.calibration, sc.job.gpus, Collective::all_to_all, experts,
                                         w.ep_message_bytes).seconds;
    const double a2a_total_s = passes * w.ep_all_to_alls_forward * a2a_s;
    // Overlapped, it hides behind the layer's compute to the calibrated overlap efficiency.
    t.ep_comm_s = plan.ep_overlap
                      ? std::max(0.0, a2a_total_s - sc.calibration.dp_overlap_efficiency *
                                                         (t.forward_compute_s + t.backward_compute_s + t.recompute_compute_s))
                      : a2a_total_s;
  }

  // Context parallelism (ring attention): cp-1 exchanges of the K/V chunk in forward, of K/V and
  // their gradients in backward, each hidden behind the attention of the chunk in hand.
  if (plan.cp > 1 && plan.cp_all_gather) {
    const GroupPlacement group{plan.cp, plan.tp};
    const double gathered = plan.cp * w.cp_kv_chunk_bytes;  // K and V of the whole sequence
    const double gather_s =
        collective_cost(sc.fabric, sc.profile, sc.calibration, sc.job.gpus, Collective::all_gather, group, gathered).seconds;
    const double scatter_s =
        collective_cost(sc.fabric, sc.profile, sc.calibration, sc.job.gpus, Collective::reduce_scatter, group, gathered).seconds;
    // Forward gathers; backward gathers again (K/V are not kept whole) and reduce-scatters dK, dV.
    t.cp_comm_s = gather_s * (2.0 + (plan.recompute == Recompute::full ? 1.0 : 0.0)) + scatter_s;
  } else if (plan.cp > 1) {
    const GroupPlacement ring{plan.cp, plan.tp};
    const double step_s = collective_cost(sc.fabric, sc.profile, sc.calibration, sc.job.gpus, Collective::send_recv, ring,
                                          w.cp_kv_chunk_bytes).seconds;
    const double forward_comm_s = (plan.cp - 1) * step_s;
    const double backward_comm_s = 2.0 * forward_comm_s;
    t.cp_comm_s = std::max(0.0, forward_comm_s - fwd.attention_s) + std::max(0.0, backward_comm_s - attention_backward_s);
  }
  return t;
}

}  // namespace trainplan
