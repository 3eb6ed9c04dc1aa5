#pragma once
// Overlapping the expert-parallel exchange (dispatch and combine) with compute, as the published
// schedules do it: a micro-batch's all-to-all runs beside ANOTHER micro-batch's compute, so only
// passes that have a partner can hide it. Pipeline warm-up forwards and cool-down backwards have
// none; their exchange stays on the critical path. The communication kernels hold SMs while they
// run beside compute (charged by the caller at the calibrated SM share).
#include <algorithm>
#include <string>
#include <vector>

#include "planner/core/calibration.hpp"
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

// Micro-batch passes of the first (busiest) pipeline stage in a step, and how many of them run
// without a partner pass in the other direction (warm-up forwards; cool-down backwards mirror them).
struct EpOverlapPairing {
  double passes = 0;     // forward passes of one stage per step (model chunks x micro-batches)
  double unpaired = 0;   // of them, forwards with no backward beside them
  double paired_share() const { return passes > 0 ? std::max(0.0, 1.0 - unpaired / passes) : 0.0; }
};

// megatron_1f1b: Megatron-Core's combined 1F1B (the forward of one micro-batch merged with the
//   backward of another, layer by layer). Interleaved warm-up of the first stage:
//   2 (p - 1) + (v - 1) p model chunks (Megatron's get_num_warmup_microbatches, rank 0) of v m;
//   with p = 1 the first forward (and last backward) alone.
// dualpipe: DeepSeek-V3's DualPipe (section 3.2.1, and its reference schedule): rank 0 runs
//   2 (p - 1) forward chunks of one direction, then one of each direction, before its first
//   overlapped forward-and-backward pair: 2 (p - 1) + 1 of its m forwards.
EpOverlapPairing ep_overlap_pairing(EpOverlapSchedule schedule, int pp, int vp, int microbatches);

// One layer's work for one micro-batch, split the way the overlapped schedules split it: the
// attention side (attention, router, norms; backward with its recomputation) and the MLP side
// (the experts' and shared experts' GEMMs), and the two exchanges of each pass (a dispatch and a
// combine; in backward the combine's gradient travels as a dispatch and the dispatch's as a combine).
struct EpOverlapChunks {
  double forward_attention_s = 0, forward_mlp_s = 0;
  double backward_attention_s = 0, backward_mlp_s = 0;
  double dispatch_s = 0, combine_s = 0;
  double exchange_passes = 2;  // forward + backward (+1 when the forward is recomputed)
};

// What stays exposed of the layer's exchange and what hides. In a pair (one micro-batch's forward
// beside another's backward) each exchange runs beside one compute chunk of the partner, in
// Megatron-Core's combined 1F1B order (and DualPipe's Figure 4 pairing, the same four):
// backward's combine-gradient beside the forward attention, the forward dispatch beside the
// backward MLP, backward's dispatch-gradient beside the forward MLP, the forward combine beside
// the backward attention; each hides up to overlap_efficiency of its partner chunk. Unpaired
// passes, and a recomputed forward's exchange, stay exposed.
struct EpOverlapTime {
  double exposed_s = 0;
  double hidden_s = 0;
};
EpOverlapTime overlap_expert_exchange(const EpOverlapChunks& chunks, const EpOverlapPairing& pairing,
                                      const Calibration& calibration);

// DualPipe's bubble relative to the bubble-free time: (p/2 - 1)(F&B + B - 3W) per step (DeepSeek-V3
// Table 2) over m (F + B), with the weight-gradient half of backward W = B/2 and B = 2F, and an
// overlapped F&B chunk as long as F + B: (p/2 - 1) (2/3) / m. Zero for p <= 2.
double dualpipe_bubble_ratio(int pp, int microbatches);

// What the chosen schedule requires of the plan (empty when it is satisfied); checked only with
// ep_overlap. Megatron-Core (TransformerConfig): expert parallelism, the all-to-all or flex
// dispatcher (both modelled ones qualify), interleaving when pp > 1, no full recomputation, at most
// one MTP layer. DualPipe: an even pp >= 2, at least 2 pp micro-batches, no interleaving (its two
// chunks per rank are the schedule's own).
std::vector<std::string> ep_overlap_problems(const ModelShape& model, const ParallelPlan& plan, long long microbatches);

}  // namespace trainplan
