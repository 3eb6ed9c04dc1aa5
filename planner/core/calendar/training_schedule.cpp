// A run over calendar time: arrival phases, a batch ramp, re-planning at each (training_schedule.hpp).
#include "planner/core/calendar/training_schedule.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace trainplan {

namespace {

constexpr double kSecondsPerDay = 86400.0;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Relative slack when comparing token counts that were summed from many segments.
bool reached(double value, double target) { return value >= target * (1 - 1e-12); }

}  // namespace

int usable_gpus(const TrainingSchedule& schedule, std::size_t phase) {
  long long online = 0;
  for (std::size_t i = 0; i <= phase && i < schedule.phases.size(); ++i)
    online += schedule.phases[i].gpus - schedule.phases[i].spare_gpus;
  const double in_service = static_cast<double>(std::max(0LL, online)) * (1.0 - schedule.elastic_shrink);
  const int step = std::max(1, schedule.granularity_gpus);
  // The small epsilon keeps an exact multiple (e.g. 49,152 x 1.0) from rounding down a step.
  const long long steps = static_cast<long long>(std::floor(in_service / step + 1e-9));
  return static_cast<int>(std::min<long long>(steps * step, std::numeric_limits<int>::max()));
}

std::int64_t batch_at(const TrainingSchedule& schedule, double trained_tokens) {
  std::int64_t batch = 0;
  for (const BatchStage& s : schedule.batch_ramp)
    if (reached(trained_tokens, s.from_tokens)) batch = s.global_batch;
  return batch;
}

const Rate& RateCache::at(int gpus, std::int64_t global_batch) {
  const auto key = std::make_pair(gpus, global_batch);
  auto it = cache_.find(key);
  if (it == cache_.end()) it = cache_.emplace(key, rate_at_(gpus, global_batch)).first;
  return it->second;
}

RateAt RateCache::as_function() {
  return [this](int gpus, std::int64_t batch) { return at(gpus, batch); };
}

CalendarResult run_calendar(const TrainingSchedule& schedule, double target_tokens, const BatchEfficiency& efficiency,
                            const RateAt& rate_at, bool with_failures) {
  CalendarResult result;
  if (schedule.phases.empty()) {
    result.problem = "the schedule has no arrival phase";
    return result;
  }
  double day = schedule.phases.front().day;
  double trained = 0, effective = 0;
  std::size_t phase = 0;
  std::vector<int> counts_seen;  // usable counts of the phases online, best chosen per batch
  result.tokens_by_day.push_back({day, 0, 0});
  // Bounded: every pass ends a phase, a ramp stage or the run (plus one idle pass per phase).
  const std::size_t most_passes = 4 * (schedule.phases.size() + schedule.batch_ramp.size()) + 8;
  for (std::size_t pass = 0; pass < most_passes; ++pass) {
    while (phase + 1 < schedule.phases.size() && schedule.phases[phase + 1].day <= day + 1e-12) ++phase;
    const int usable = usable_gpus(schedule, phase);
    if (usable > 0 && std::find(counts_seen.begin(), counts_seen.end(), usable) == counts_seen.end())
      counts_seen.push_back(usable);
    const std::int64_t batch = batch_at(schedule, trained);
    const double next_phase_day = phase + 1 < schedule.phases.size() ? schedule.phases[phase + 1].day : kInfinity;

    // The fastest plan among the counts online so far at this batch.
    Rate best;
    int best_gpus = 0;
    double best_speed = 0;
    for (int gpus : counts_seen) {
      const Rate r = rate_at(gpus, batch);
      const double speed = r.tokens_per_second * (with_failures ? r.goodput : 1.0);
      if (r.found && speed > best_speed) {
        best = r;
        best_gpus = gpus;
        best_speed = speed;
      }
    }
    CalendarSegment seg;
    seg.start_day = day;
    seg.phase = phase;
    for (std::size_t i = 0; i <= phase; ++i) seg.gpus_online += schedule.phases[i].gpus;
    seg.global_batch = batch;
    seg.tokens_start = trained;
    seg.effective_start = effective;
    if (!best.found) {
      if (next_phase_day == kInfinity) {
        result.problem = "no plan fits on " + std::to_string(usable) + " GPUs at a global batch of " + std::to_string(batch) +
                         " sequences, and no more GPUs arrive";
        return result;
      }
      seg.end_day = next_phase_day;  // idle until more GPUs arrive
      seg.tokens_end = trained;
      seg.effective_end = effective;
      seg.efficiency = 0;
      result.segments.push_back(seg);
      day = next_phase_day;
      result.tokens_by_day.push_back({day, trained, effective});
      continue;
    }
    const double batch_tokens = static_cast<double>(batch) * best.plan.plan.seq_len;
    const double eff = efficiency.efficiency(batch_tokens);
    const double tokens_per_day = best_speed * kSecondsPerDay;
    // Where this stretch ends: the target, the next ramp stage, or the next phase.
    double stretch_tokens = (target_tokens - effective) / eff;
    for (const BatchStage& s : schedule.batch_ramp)
      if (s.from_tokens > trained && !reached(trained, s.from_tokens)) stretch_tokens = std::min(stretch_tokens, s.from_tokens - trained);
    double stretch_days = stretch_tokens / tokens_per_day;
    bool phase_ends = false;
    if (day + stretch_days > next_phase_day) {
      stretch_days = next_phase_day - day;
      stretch_tokens = stretch_days * tokens_per_day;
      phase_ends = true;
    }
    seg.gpus_used = best_gpus;
    seg.efficiency = eff;
    seg.tokens_per_second = best_speed;
    seg.goodput = best.goodput;
    seg.plan = best.plan;
    trained += stretch_tokens;
    effective += stretch_tokens * eff;
    day += stretch_days;
    seg.end_day = day;
    seg.tokens_end = trained;
    seg.effective_end = effective;
    result.segments.push_back(seg);
    result.tokens_by_day.push_back({day, trained, effective});
    if (!phase_ends && reached(effective, target_tokens)) {
      result.finished = true;
      result.finish_day = day;
      return result;
    }
  }
  result.problem = "the schedule did not converge (too many stretches)";
  return result;
}

std::vector<CalendarPoint> tokens_by_whole_day(const CalendarResult& result) {
  std::vector<CalendarPoint> daily;
  const std::vector<CalendarPoint>& points = result.tokens_by_day;
  if (points.empty()) return daily;
  const double first = points.front().day;
  const double end = points.back().day;
  std::size_t i = 0;  // points[i].day <= t < points[i + 1].day
  for (long long k = 0;; ++k) {
    const double t = std::min(first + static_cast<double>(k + 1), end);
    while (i + 1 < points.size() && points[i + 1].day < t) ++i;
    CalendarPoint p{static_cast<double>(k), points[i].tokens, points[i].effective_tokens};
    if (i + 1 < points.size()) {
      const CalendarPoint& a = points[i];
      const CalendarPoint& b = points[i + 1];
      const double f = b.day > a.day ? (t - a.day) / (b.day - a.day) : 1.0;
      p.tokens = a.tokens + f * (b.tokens - a.tokens);
      p.effective_tokens = a.effective_tokens + f * (b.effective_tokens - a.effective_tokens);
    }
    daily.push_back(p);
    if (t >= end) break;
  }
  return daily;
}

int latest_arrival_day(TrainingSchedule schedule, std::size_t phase, int earliest_day, int latest_day, double target_tokens,
                       const BatchEfficiency& efficiency, const RateAt& rate_at, double deadline_day) {
  const auto meets = [&](int day) {
    schedule.phases[phase].day = day;
    const CalendarResult r = run_calendar(schedule, target_tokens, efficiency, rate_at);
    return r.finished && r.finish_day <= deadline_day + 1e-9;
  };
  if (phase >= schedule.phases.size() || earliest_day > latest_day || !meets(earliest_day)) return -1;
  if (meets(latest_day)) return latest_day;
  int good = earliest_day, bad = latest_day;  // meets(good), not meets(bad)
  while (bad - good > 1) {
    const int mid = good + (bad - good) / 2;
    (meets(mid) ? good : bad) = mid;
  }
  return good;
}

int fewest_phase_gpus(TrainingSchedule schedule, std::size_t phase, const GpuGrid& grid, double target_tokens,
                      const BatchEfficiency& efficiency, const RateAt& rate_at, double deadline_day) {
  if (phase >= schedule.phases.size()) return 0;
  const int spares = schedule.phases[phase].spare_gpus;
  const auto meets = [&](int gpus) {
    schedule.phases[phase].gpus = gpus + spares;
    const CalendarResult r = run_calendar(schedule, target_tokens, efficiency, rate_at);
    return r.finished && r.finish_day <= deadline_day + 1e-9;
  };
  const int gpus = smallest_count_meeting(meets, grid);
  return gpus > 0 ? gpus + spares : 0;
}

}  // namespace trainplan
