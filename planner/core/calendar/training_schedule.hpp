#pragma once
// A training run over calendar time: GPUs that arrive in phases, a batch that ramps with the tokens
// trained, spares and an elastic shrink, and the token efficiency of each batch (batch_efficiency.hpp).
// The run is re-planned at every phase and ramp stage by the caller's `RateAt` (the CLI: the plan
// search of plan_search.hpp at that GPU count and batch). Pure: no I/O; days are counted from the
// first phase (the edge turns them into dates). docs/calendar.md states the model.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "planner/core/calendar/batch_efficiency.hpp"
#include "planner/core/search/cluster_sizing.hpp"
#include "planner/core/plan_result.hpp"

namespace trainplan {

// GPUs that come online on one day.
struct ArrivalPhase {
  int day = 0;              // days after the first phase (the first phase is day 0)
  int gpus = 0;             // GPUs that arrive
  int spare_gpus = 0;       // of those, held out of the job as hot spares
  std::string segment;      // the fabric segment (hall, pod) they form; a label
};

// From `from_tokens` trained tokens on, the run steps with `global_batch` sequences.
struct BatchStage {
  double from_tokens = 0;
  std::int64_t global_batch = 0;
};

struct TrainingSchedule {
  std::vector<ArrivalPhase> phases;     // by day, the first on day 0
  std::vector<BatchStage> batch_ramp;   // by from_tokens, the first from 0
  // The job runs on a multiple of this many GPUs (a node, a pod): the usable count of a phase is the
  // GPUs online less spares and the shrink, rounded down to it.
  int granularity_gpus = 8;
  // Elastic shrink: the share of the job's GPUs out of service at any time (failed, awaiting
  // repair); the job runs on the rest instead of waiting for them. 0: the job waits (goodput models that).
  double elastic_shrink = 0;
};

// The GPUs a job can use once phases [0, phase] are online.
int usable_gpus(const TrainingSchedule& schedule, std::size_t phase);
// The global batch (sequences) of the ramp stage that covers `trained_tokens`.
std::int64_t batch_at(const TrainingSchedule& schedule, double trained_tokens);

// The speed of the best plan at a GPU count and global batch (sequences).
struct Rate {
  bool found = false;               // some plan fits
  double tokens_per_second = 0;
  double goodput = 1;               // share of wall time training with failures and checkpoints (reliability.hpp)
  PlanResult plan;                  // the plan (valid when found)
};
using RateAt = std::function<Rate(int gpus, std::int64_t global_batch)>;

// One stretch of the run with one GPU count and one batch.
struct CalendarSegment {
  double start_day = 0, end_day = 0;
  std::size_t phase = 0;            // the last phase online
  int gpus_online = 0;              // arrived so far (spares included)
  int gpus_used = 0;                // the job's count (0: idle, no plan fits)
  std::int64_t global_batch = 0;    // sequences
  double tokens_start = 0, tokens_end = 0;            // trained (processed) tokens
  double effective_start = 0, effective_end = 0;      // tokens at the reference batch (batch law)
  double efficiency = 1;            // effective tokens per trained token at this batch
  double tokens_per_second = 0;    // while training (with failures: times the goodput)
  double goodput = 1;
  PlanResult plan;                  // valid when gpus_used > 0
};

struct CalendarPoint {
  double day = 0;
  double tokens = 0;                // trained tokens
  double effective_tokens = 0;      // at the reference batch
};

struct CalendarResult {
  bool finished = false;
  double finish_day = 0;            // days after the first phase (valid when finished)
  std::vector<CalendarSegment> segments;
  std::vector<CalendarPoint> tokens_by_day;  // at every segment boundary, from day 0 to the finish
  std::string problem;              // why it does not finish (when not finished)
};

// Trains `target_tokens` (tokens at the reference batch of `efficiency`) over the schedule. Each
// stretch runs at the rate of the best of the usable counts seen so far (a phase that would be slower,
// e.g. a count with no good layout, keeps the earlier count). The run ends when the effective tokens
// reach the target; it does not finish when the last phase has no plan that fits.
// `with_failures`: each stretch runs at its speed times its goodput (failures, restarts and
// checkpoints at that GPU count); otherwise failure-free.
CalendarResult run_calendar(const TrainingSchedule& schedule, double target_tokens, const BatchEfficiency& efficiency,
                            const RateAt& rate_at, bool with_failures = false);

// Tokens trained by the end of each whole day of the run: day k (0 = the first phase's day) holds the
// tokens at min(k + 1, end), where end is the finish (or the last stretch's end when unfinished).
// Interpolated linearly inside the stretches, which run at constant speed.
std::vector<CalendarPoint> tokens_by_whole_day(const CalendarResult& result);

// Memoises a RateAt by (gpus, batch): the search runs once per pair.
class RateCache {
 public:
  explicit RateCache(RateAt rate_at) : rate_at_(std::move(rate_at)) {}
  const Rate& at(int gpus, std::int64_t global_batch);
  RateAt as_function();
  std::size_t size() const { return cache_.size(); }

 private:
  RateAt rate_at_;
  std::map<std::pair<int, std::int64_t>, Rate> cache_;
};

// The latest day (an integer in [earliest_day, latest_day]) on which phase `phase` may arrive for the
// run to finish by `deadline_day`, by bisection (a later arrival never finishes sooner). -1: not even
// earliest_day meets it.
int latest_arrival_day(TrainingSchedule schedule, std::size_t phase, int earliest_day, int latest_day, double target_tokens,
                       const BatchEfficiency& efficiency, const RateAt& rate_at, double deadline_day);

// The fewest GPUs phase `phase` must bring for the run to finish by `deadline_day`: its spares plus a
// count of `grid` (smallest_count_meeting of cluster_sizing.hpp). 0: no count of the grid does.
int fewest_phase_gpus(TrainingSchedule schedule, std::size_t phase, const GpuGrid& grid, double target_tokens,
                      const BatchEfficiency& efficiency, const RateAt& rate_at, double deadline_day);

}  // namespace trainplan
