#pragma once
// Why a GPU count has no layout the search can use with the batch asked for, and the nearest GPU
// counts that do have a plan: the true reason behind an empty search (docs/search.md, "When no
// layout exists"). Pure: no I/O.
#include <cstdint>
#include <vector>

#include "planner/core/search/cluster_sizing.hpp"

namespace trainplan {

// The stages at which the candidate layouts of a count fall away, each a subset of the one before.
struct LayoutShortfall {
  int gpus = 0;
  std::vector<int> tp, pp, cp;        // each knob's candidates (plan_search.hpp), before the count
  std::int64_t splits = 0;            // (tp, pp, cp) whose product divides the count
  std::int64_t layouts = 0;           // layouts enumerate_layouts gives (dp, vp, ep rules as well)
  std::int64_t batch_layouts = 0;     // layouts whose dp and a micro-batch split the global batch
  std::vector<int> dp_values;         // the distinct dp of the layouts, ascending
  std::int64_t global_batch = 0;      // the fixed batch in sequences; 0: every batch up to max_global_batch
  std::int64_t max_global_batch = 0;
  int min_micro_batch = 1;            // the smallest micro-batch searched
  int seq_len = 0;                    // tokens per sequence (cp divides it)
  bool no_layout() const { return batch_layouts == 0; }
};

LayoutShortfall layout_shortfall(const Scenario& scenario, const SearchSpace& space);

// True when some micro-batch of the space splits a global batch of the search over this layout's
// dp (and, interleaved, into a multiple of pp micro-batches): the search evaluates it.
bool layout_admits_batch(const ParallelPlan& layout, const SearchSpace& space);
// True when some layout of the count admits the batch.
bool has_batch_layout(const Scenario& scenario, const SearchSpace& space);

// The most GPUs a layout of the space can fill whatever the count: the largest tp x pp x cp
// candidates times the largest dp the batch admits (a fixed batch: dp divides it; a batch up to a
// maximum: dp x the smallest micro-batch fits in it), capped at INT32_MAX. No count above it has a
// layout, so the scans for the nearest counts stop there.
std::int64_t most_layout_gpus(const Scenario& scenario, const SearchSpace& space);

// The nearest multiples of `step` below and above `gpus` whose best plan fits in memory (0: none
// within the scan). Counts without a layout are skipped cheaply (at most 16,384 counts looked at on
// each side, none above most_layout_gpus); at most `searches` counts with one are searched on each
// side, and the scan above stops at `reach_gpus` (0: at twice `gpus`).
struct NearestCounts {
  int below = 0;
  int above = 0;
};
NearestCounts nearest_counts_with_plan(const ScenarioAtGpus& scenario_at, const SearchSpace& space, const SearchOptions& options,
                                       int gpus, int step, int reach_gpus, int searches = 4);

// plan --tp/--pp/... with a layout the count does not admit: the nearest multiples of `step` below and
// above scenario.job.gpus at which `plan` (dp derived when 0) is valid and fits in memory (0: none
// within `max_steps` steps on that side).
NearestCounts nearest_counts_for_plan(const Scenario& scenario, const ParallelPlan& plan, int step, int max_steps = 4096);

}  // namespace trainplan
