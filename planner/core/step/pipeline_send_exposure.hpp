#pragma once
// How many of a step's pipeline sends stay on the critical path.
//
// Without overlap every send and receive of the busiest stage waits in line with its compute:
// m micro-batches x (one pass each way per virtual stage). With interleaved 1F1B and overlapped
// sends (Megatron-Core's overlap_p2p_comm), a send in the steady state runs while the stage computes
// the other direction's chunk, and its receiver has that chunk's worth of slack. Only where the
// schedule has no slack does a send delay the next op: in warm-up and cool-down, where each wrap of
// a group of pp micro-batches from the last stage back to the first waits for the sends in flight.
// That is about min(m, pp) micro-batches' worth of sends a step, whatever m beyond pp. An event
// simulation of Megatron-Core's interleaved order (bench/interleaved_send_exposure.py) gives the
// same within 1% on the MLPerf GPT-3 175B layout (pp 8, vp 12) at m = 8 .. 128.
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

// Micro-batches' worth of the busiest stage's sends (pipeline_send_seconds) that are exposed in a
// step of `microbatches` micro-batches.
double exposed_send_microbatches(const ParallelPlan& plan, int microbatches);

}  // namespace trainplan
