#pragma once
// The largest useful GPU count under a batch law: more GPUs need a larger batch to stay busy, and past
// the critical batch each token counts for less (batch_efficiency.hpp). Pure: no I/O; the caller's
// RateAt (the plan search) gives the speed of the best plan at a count and batch.
//
// The time to reach the run's target at G GPUs is the least, over the candidate batches B, of
//   days(G, B) = target / efficiency(B) / tokens_per_second(G, B) / 86,400.
// A doubling of the GPUs is useful when it cuts that time by more than `min_doubling_cut` (default a
// quarter). The quarter is McCandlish et al.'s critical batch in other words: with hardware that scales
// perfectly (batch and speed both proportional to G), time is proportional to S/S_min = 1 + B_crit/B,
// and doubling the batch from B_crit to 2 B_crit cuts it from 2 to 1.5, by exactly a quarter; every
// doubling below B_crit cuts more. So the answer is the count whose batch reaches the critical batch
// on ideal hardware, and a smaller one where the step stops shrinking with more GPUs (bubbles,
// latencies, a batch that no longer divides).
#include <cstdint>
#include <vector>

#include "planner/core/calendar/training_schedule.hpp"

namespace trainplan {

// One candidate batch at one count.
struct BatchCandidate {
  std::int64_t global_batch = 0;   // sequences
  bool found = false;              // a plan fits
  double days = 0;                 // time to the target (reference tokens), failure-free
  double efficiency = 1;           // reference tokens per trained token
  PlanResult plan;
};

struct ScalePoint {
  int gpus = 0;
  bool found = false;              // some candidate batch has a plan that fits
  std::int64_t global_batch = 0;   // the batch of least time (sequences)
  double days = 0;                 // time to the target at that batch, failure-free
  double efficiency = 1;           // reference tokens per trained token at that batch
  double cut = 0;                  // 1 - days / days at the previous count (0 for the first)
  PlanResult plan;
  std::vector<BatchCandidate> candidates;  // every batch tried, in the order given
};

struct UsefulScale {
  std::vector<ScalePoint> points;  // one per count, in the order given
  int largest_useful_gpus = 0;     // the last count reached by useful doublings from the first (0: the first has no plan)
};

// `counts`: a doubling ladder (each twice the one before); `batches`: candidate global batches in
// sequences of `seq_len` tokens. `target_tokens` are at the efficiency's reference batch.
UsefulScale largest_useful_gpus(const std::vector<int>& counts, const std::vector<std::int64_t>& batches, int seq_len,
                                double target_tokens, const BatchEfficiency& efficiency, const RateAt& rate_at,
                                double min_doubling_cut = 0.25);

}  // namespace trainplan
