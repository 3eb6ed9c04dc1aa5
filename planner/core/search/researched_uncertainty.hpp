#pragma once
// The ranges of the best plan a search found at one GPU count (search's answer, size's count,
// sweep's points) with the layout re-searched per uncertainty sample (docs/uncertainty.md,
// docs/search.md "Re-search per sample").
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
//
// Memory: only the plans that can win under some sample are kept. The point search's answer is a
// plan of the space, so under every sample the best objective is at most that plan's objective
// there; its largest over the samples' (and tornado points') routing efficiencies is an objective no
// sample's best exceeds. A plan whose objective at efficiency 1 (its lower bound) is above it cannot
// win under any sample, and is neither kept nor (when its step-time bound already exceeds it)
// evaluated. A test checks that every sample's plan is the same as with every fitting plan kept.
#include <cstdint>
#include <limits>
#include <vector>

#include "planner/core/economics/uncertainty.hpp"
#include "planner/core/search/plan_search.hpp"

namespace trainplan {

struct ResearchedUncertainty {
  UncertaintySummary summary;       // p10 / p50 / p90 and the tornado, each point re-searched
  std::vector<SampleOutcome> outcomes;    // per sample, in sample order (invalid ones included)
  std::vector<ParallelPlan> sample_plans;  // per sample its best plan (a default plan where none was found)
  // true: not re-searched, the layout fixed by the caller's flags (every sample kept point_best;
  // the CLI sets it, see search_space_is_one_layout).
  bool layout_fixed = false;
  int samples_with_other_plan = 0;  // valid samples whose best plan is not the point search's best
  int distinct_plans = 0;           // different best plans over the valid samples
  std::int64_t plans_ranked = 0;    // fitting plans kept (ranked once): those that can win under some sample
  std::int64_t plans_evaluated = 0;  // over every sample (and tornado point)
  // The objective (at routing efficiency 1) above which a plan cannot win under any sample: plans
  // above it are not kept. Infinity: every fitting plan kept.
  double kept_objective_limit = std::numeric_limits<double>::infinity();
};

// Which plans the ranking keeps: those that can win under some sample (the default), or every
// fitting plan (tests compare both).
enum class KeptPlans { can_win, every_fitting };

// `point_best`: the point search's answer (to count the samples that chose another plan, and to
// bound the plans kept). `threads`: for the ranking and the samples (0: every hardware thread);
// the result does not depend on it.
ResearchedUncertainty researched_uncertainty(const Scenario& scenario, const SearchSpace& space, SearchObjective objective,
                                             const ParallelPlan& point_best, const NetworkCounts& network,
                                             const EconomicsModel& economics, const UncertaintyModel& model, int threads,
                                             KeptPlans kept = KeptPlans::can_win);

// Whether the space holds one layout per GPU count (every searched knob fixed: tp, pp, cp, vp,
// micro-batch, ep for MoE, expert tp, ZeRO stage, recomputation, sequence parallelism, precision,
// rank order, and a fixed global batch): then nothing is left to re-search.
bool search_space_is_one_layout(const SearchSpace& space, const ModelShape& model);

}  // namespace trainplan
