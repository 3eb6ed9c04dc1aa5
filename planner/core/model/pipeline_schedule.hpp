#pragma once
// Pipeline schedules: 1F1B (PipeDream-Flush) and Megatron's interleaved 1F1B.

namespace trainplan {

// Idle time of the schedule relative to the ideal (bubble-free) time: (p - 1) / (v * m)
// (Narayanan et al. 2021, sections 2.2.1 and 2.2.2). p stages, v virtual stages per GPU, m micro-batches.
double pipeline_bubble_ratio(int stages, int virtual_stages, int microbatches);

// Micro-batches' worth of the first stage's activations alive at its peak, in units of one
// micro-batch through all of that stage's layers: min(p, m) for 1F1B, times
// (1 + (p - 1) / (p * v)) with interleaving (Korthikanti et al. 2022, section 4.2.3).
double in_flight_microbatches(int stages, int virtual_stages, int microbatches);

}  // namespace trainplan
