#pragma once
// Seconds one layer's work takes on one GPU for one micro-batch: compute (GEMMs, attention,
// memory-bound kernels) for forward, backward and recomputation, and the exposed communication of
// tensor and context parallelism.
#include "planner/core/compute_parts.hpp"
#include "planner/core/scenario.hpp"
#include "planner/core/model/layer_work.hpp"

namespace trainplan {

struct LayerTime {
  double forward_compute_s = 0;
  double backward_compute_s = 0;
  double recompute_compute_s = 0;   // extra forward work re-done in backward
  double tp_comm_s = 0;             // exposed, forward + backward + recomputation
  double cp_comm_s = 0;             // exposed K/V ring exchange, forward + backward
  double ep_comm_s = 0;             // exposed expert-parallel all-to-all, forward + backward + recomputation
  double ep_hidden_s = 0;           // of the all-to-all, hidden behind compute (ep_overlap); not in total_s
  ComputeParts parts;               // compute_s() by kind of work (sums to it)
  double compute_s() const { return forward_compute_s + backward_compute_s + recompute_compute_s; }
  double total_s() const { return compute_s() + tp_comm_s + cp_comm_s + ep_comm_s; }
};

// The fused attention kernel whose figures cost a plan's `kernel`: flash3 without a figure in the
// profile falls back to flash2 (index into PerformanceProfile::fused_attention: 0 flash2, 1 flash3).
int fused_attention_figures_index(AttentionKernel kernel, const PerformanceProfile& profile);
// The fraction used when that kernel has no figure at all: FlashAttention-2's lowest published
// H100 figure (Shah et al. 2024), an assumption for GPUs whose file states none.
inline constexpr double kUnstatedFusedAttentionFraction = 0.35;

// Fraction of the bf16 peak the plan's fused attention kernel reaches at `shape` (the profile's
// figure or curves, attention_efficiency.hpp), kUnstatedFusedAttentionFraction without any.
double flash_attention_fraction(AttentionKernel kernel, const PerformanceProfile& profile, const AttentionShape& shape);

// The fraction the full-attention layers of `work` run at, over their launches' shapes: the causal
// (or unmasked) launch over flash_keys and, under ring context parallelism, the unmasked ring blocks
// (the FLOP-weighted harmonic mean). Used by the layer's time and the plan report.
double full_attention_fraction(AttentionKernel kernel, const PerformanceProfile& profile, bool causal, const LayerWork& work);

// Time of the memory-bound kernels moving `bytes` through HBM in `kernels` launches.
double memory_bound_seconds(double bytes, double kernels, const Scenario& scenario);

// What communication hidden behind compute still costs: for `hidden_comm_s` seconds the collective's
// kernels hold the calibrated share of the SMs, so the compute beside them takes that much longer.
// Charged to the communication's own line of the breakdown.
double overlap_slowdown_seconds(double hidden_comm_s, const Scenario& scenario);

LayerTime layer_time(const LayerWork& work, const Scenario& scenario, const ParallelPlan& plan);

}  // namespace trainplan
