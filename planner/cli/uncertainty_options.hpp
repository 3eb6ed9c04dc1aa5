#pragma once
// The uncertainty flags of `plan` (--uncertainty FILE, --uncertainty-samples N, --uncertainty-seed N)
// and the ranges of an evaluated plan (docs/uncertainty.md). Thin: checking lives in
// planner/io/uncertainty_loader, the model in planner/core/economics/uncertainty.
#include <boost/program_options.hpp>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/economics/uncertainty.hpp"
#include "planner/core/search/researched_uncertainty.hpp"
#include "planner/io/uncertainty_loader.hpp"

namespace trainplan {

void add_uncertainty_options(boost::program_options::options_description& options, UncertaintyFlags& flags);

// The ranges of `plan` on `scenario`, counting the network of the scenario's fabric sized for the job.
UncertaintySummary plan_uncertainty(const Scenario& scenario, const ParallelPlan& plan, const EconomicsModel& economics,
                                    const UncertaintyModel& model);

// The ranges of `best`, the best plan a search of `space` found at `scenario`'s GPU count (search,
// size, sweep), with the layout re-searched per sample (researched_uncertainty.hpp; the ranking and
// the samples spread over options.threads), or, when the space holds one layout
// (search_space_is_one_layout), that layout kept: layout_fixed, nothing re-searched.
ResearchedUncertainty count_answer_uncertainty(const Scenario& scenario, const SearchSpace& space, const SearchOptions& options,
                                               const ParallelPlan& best, const EconomicsModel& economics,
                                               const UncertaintyModel& model);

// The same for a search's answer: rank 1 of `result` is the point answer.
ResearchedUncertainty search_answer_uncertainty(const Scenario& scenario, const SearchSpace& space, const SearchOptions& options,
                                                const SearchResult& result, const EconomicsModel& economics,
                                                const UncertaintyModel& model);

}  // namespace trainplan
