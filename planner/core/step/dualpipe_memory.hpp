#pragma once
// Memory of a DualPipe rank (DeepSeek-V3 report, section 3.2.1 and Table 2; deepseek-ai/DualPipe,
// dualpipe/dualpipe.py). Rank r of pp holds two chunks: stage r of the forward direction and stage
// pp-1-r of the reverse one, so every stage is held twice over the pipeline ("2x parameters") and
// rank 0 holds the first stage (embedding) with the last (output head, MTP modules): the pairing
// that lets the MTP module share the embedding and head with the main model (section 3.2.3).
//
// Micro-batches in flight (dualpipe.py, step 1 and 2 of its schedule): with half_rank
// k = min(r, pp-1-r), the chunk of stage k runs 2(pp/2 - k - 1) + k + 1 forwards before its first
// backward, i.e. pp - k in flight, and the chunk of stage pp-1-k runs k + 1: pp + 1 in all, the
// table's figure. Rank 0 keeps pp micro-batches of the first stage and one of the last.
#include "planner/core/plan_result.hpp"

namespace trainplan {

struct DualPipeInFlight {
  double near_chunk = 0;  // of stage k (the first for rank 0)
  double far_chunk = 0;   // of stage pp-1-k (the last for rank 0)
};

// For half_rank k of a pp-stage DualPipe with `microbatches` per step (half in each direction).
DualPipeInFlight dualpipe_in_flight(int pp, int half_rank, int microbatches);

// One rank's memory from the memory of its two chunks, each computed as a stage of its own
// (weights, gradients, activations of its micro-batches in flight, ZeRO shards over one copy's
// data-parallel ranks): weights, gradients and activations add; the two copies of a stage are
// replicas reduced together, so what ZeRO shards (the optimizer state from stage 1, the gradients
// from 2, the weights from 3) spreads over both copies' ranks: each chunk contributes half of it.
// The fixed overhead counts once.
MemoryBreakdown dualpipe_rank_memory(const MemoryBreakdown& near_chunk, const MemoryBreakdown& far_chunk, int zero_stage);

}  // namespace trainplan
