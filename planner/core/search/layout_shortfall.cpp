#include "planner/core/search/layout_shortfall.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <set>

#include "planner/core/evaluate.hpp"
#include "planner/core/search/knob_candidates.hpp"

namespace trainplan {

namespace {

// The most counts the scan for the nearest ones looks at on each side (each an enumeration of layouts).
constexpr std::int64_t max_scanned_counts = 16384;

// The batch the search evaluates: LayoutSearch's rule (a fixed batch, or every batch up to the maximum).
std::int64_t fixed_batch(const SearchSpace& space) {
  return space.global_batch > 0 ? space.global_batch : space.max_global_batch > 0 ? 0 : space.base.global_batch;
}

}  // namespace

bool layout_admits_batch(const ParallelPlan& layout, const SearchSpace& space) {
  const std::int64_t dp = std::max(1, layout.dp);
  const std::int64_t step = layout.vp > 1 ? layout.pp : 1;
  const std::int64_t mb_min = std::max(1, space.micro_batch.min);
  const std::int64_t mb_max = space.micro_batch.max;
  const std::int64_t batch = fixed_batch(space);
  if (batch > 0) {
    if (batch % dp != 0) return false;
    const std::int64_t per_replica = batch / dp;
    for (std::int64_t mb = mb_min; mb <= per_replica && (mb_max == 0 || mb <= mb_max); ++mb)
      if (per_replica % mb == 0 && (per_replica / mb) % step == 0) return true;
    return false;
  }
  return dp * mb_min * step <= space.max_global_batch && (mb_max == 0 || mb_min <= mb_max);
}

bool has_batch_layout(const Scenario& scenario, const SearchSpace& space) {
  for (const ParallelPlan& layout : enumerate_layouts(scenario, space))
    if (layout_admits_batch(layout, space)) return true;
  return false;
}

LayoutShortfall layout_shortfall(const Scenario& sc, const SearchSpace& space) {
  LayoutShortfall s;
  s.gpus = sc.job.gpus;
  s.tp = tensor_parallel_sizes(sc, space);
  s.pp = pipeline_sizes(sc, space);
  s.cp = context_parallel_sizes(space);
  for (int tp : s.tp)
    for (int pp : s.pp)
      for (int cp : s.cp)
        if (s.gpus > 0 && s.gpus % (1LL * tp * pp * cp) == 0) ++s.splits;
  std::set<int> dps;
  for (const ParallelPlan& layout : enumerate_layouts(sc, space)) {
    ++s.layouts;
    dps.insert(layout.dp);
    if (layout_admits_batch(layout, space)) ++s.batch_layouts;
  }
  s.dp_values.assign(dps.begin(), dps.end());
  s.global_batch = fixed_batch(space);
  s.max_global_batch = s.global_batch > 0 ? 0 : space.max_global_batch;
  s.min_micro_batch = std::max(1, space.micro_batch.min);
  s.seq_len = space.base.seq_len;
  return s;
}

std::int64_t most_layout_gpus(const Scenario& sc, const SearchSpace& space) {
  const auto largest = [](const std::vector<int>& values) {
    return values.empty() ? 0.0 : static_cast<double>(*std::max_element(values.begin(), values.end()));
  };
  const std::int64_t batch = fixed_batch(space);
  double dp = batch > 0 ? static_cast<double>(batch)
                        : static_cast<double>(space.max_global_batch) / std::max(1, space.micro_batch.min);
  if (space.dp.max > 0) dp = std::min(dp, static_cast<double>(space.dp.max));
  // In doubles: the product of four bounds can pass 2^63; anything past a count's range is capped.
  const double most = largest(tensor_parallel_sizes(sc, space)) * largest(pipeline_sizes(sc, space)) *
                      largest(context_parallel_sizes(space)) * std::floor(std::max(0.0, dp));
  return static_cast<std::int64_t>(std::min(most, static_cast<double>(std::numeric_limits<std::int32_t>::max())));
}

NearestCounts nearest_counts_with_plan(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options,
                                       int gpus, int step, int reach_gpus, int searches) {
  NearestCounts nearest;
  step = std::max(1, step);
  SearchOptions quiet = options;
  quiet.progress = nullptr;
  // Whether a count has a layout does not depend on the fabric sized for it (tp's candidates come
  // from the scale-up domain): one scenario, its count changed, spares sizing a fabric per count.
  Scenario probe = scenario_at(gpus);
  const auto has_layout = [&](std::int64_t count) {
    probe.job.gpus = static_cast<int>(count);
    return has_batch_layout(probe, space);
  };
  const auto try_count = [&](std::int64_t count, int& tries, int& found) {
    if (!has_layout(count)) return false;
    ++tries;
    if (!best_plan_at(scenario_at, space, quiet, static_cast<int>(count)).found) return false;
    found = static_cast<int>(count);
    return true;
  };
  // No count above this has a layout: neither scan looks past it.
  const std::int64_t most = most_layout_gpus(probe, space);
  // Below: the multiples of step under gpus (and not above `most`), nearest first.
  int tries = 0;
  std::int64_t scanned = 0;
  for (std::int64_t count = std::min<std::int64_t>(gpus - 1, most) / step * step;
       count >= step && tries < searches && scanned < max_scanned_counts; count -= step, ++scanned)
    if (try_count(count, tries, nearest.below)) break;
  // Above: up to the fabric's reach, or twice the count when it has none.
  const std::int64_t limit = std::min<std::int64_t>(reach_gpus > 0 ? reach_gpus : 2LL * gpus, most);
  tries = 0;
  scanned = 0;
  for (std::int64_t count = (static_cast<std::int64_t>(gpus) / step + 1) * step;
       count <= limit && tries < searches && scanned < max_scanned_counts; count += step, ++scanned)
    if (try_count(count, tries, nearest.above)) break;
  return nearest;
}

NearestCounts nearest_counts_for_plan(const Scenario& scenario, const ParallelPlan& plan, int step, int max_steps) {
  NearestCounts nearest;
  step = std::max(1, step);
  Scenario sc = scenario;
  const auto fits_at = [&](std::int64_t count) {
    sc.job.gpus = static_cast<int>(count);
    const PlanResult r = evaluate(sc, plan);
    return r.valid && r.fits_in_memory;
  };
  const std::int64_t gpus = scenario.job.gpus;
  for (std::int64_t count = (gpus - 1) / step * step, n = 0; count >= step && n < max_steps; count -= step, ++n)
    if (fits_at(count)) {
      nearest.below = static_cast<int>(count);
      break;
    }
  for (std::int64_t count = (gpus / step + 1) * step, n = 0; n < max_steps; count += step, ++n)
    if (fits_at(count)) {
      nearest.above = static_cast<int>(count);
      break;
    }
  return nearest;
}

}  // namespace trainplan
