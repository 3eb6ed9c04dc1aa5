#pragma once
// The ranges of a search's answer with the layout re-searched per uncertainty sample
// (docs/uncertainty.md, docs/search.md "Re-search per sample").
//
// Of the sampled inputs, only the scale-out routing efficiency changes which plan is fastest: the
// model error multiplies every plan's step time alike, and the failure, restart, checkpoint and
// price inputs act on the run after its step time is fixed. So per sample the whole search space
// is searched again on the sample's fabric (routing efficiency varied) for the plan the search
// would answer with (the best by the search's objective), and the sample's days and cost are
// those of that plan (evaluate_sample). The same Latin hypercube samples as estimate_uncertainty
// (same model and seed): reproducible, and independent of the thread count.
//
// How: the scale-out routing efficiency of a sample is at most 1 (it is capped there), and every
// collective is at least as fast at efficiency 1, so a plan's objective at efficiency 1 bounds its
// objective under every sample from below. Every fitting plan of the space is ranked once at
// efficiency 1 (rank_all_plans); per sample the plans are evaluated in that order until the bound
// exceeds the best objective found: the sample's best plan, as a full search of the sample would
// give it (ties to the earlier enumerated plan), without evaluating the plans that cannot win.
// A test compares it with a full search per sample and checks the bound.
#include <cstdint>
#include <vector>

#include "planner/core/economics/uncertainty.hpp"
#include "planner/core/search/plan_search.hpp"

namespace trainplan {

struct ResearchedUncertainty {
  UncertaintySummary summary;       // p10 / p50 / p90 and the tornado, each point re-searched
  int samples_with_other_plan = 0;  // valid samples whose best plan is not the point search's best
  int distinct_plans = 0;           // different best plans over the valid samples
  std::int64_t plans_ranked = 0;    // fitting plans of the space (ranked once)
  std::int64_t plans_evaluated = 0;  // over every sample (and tornado point)
};

// `point_best`: the point search's answer (to count the samples that chose another plan).
// `threads`: for the ranking and the samples (0: every hardware thread); the result does not
// depend on it.
ResearchedUncertainty researched_uncertainty(const Scenario& scenario, const SearchSpace& space, SearchObjective objective,
                                             const ParallelPlan& point_best, const NetworkCounts& network,
                                             const EconomicsModel& economics, const UncertaintyModel& model, int threads);

}  // namespace trainplan
