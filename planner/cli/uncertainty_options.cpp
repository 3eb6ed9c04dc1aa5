#include "uncertainty_options.hpp"

#include <limits>

#include "planner/core/network/fabric_sizing.hpp"

namespace trainplan {

void add_uncertainty_options(boost::program_options::options_description& options, UncertaintyFlags& flags) {
  namespace po = boost::program_options;
  options.add_options()(
      "uncertainty", po::value(&flags.file)->value_name("FILE"),
      "input distributions laid over planner/data/uncertainty.yaml (docs/uncertainty.md)")(
      "uncertainty-samples", po::value(&flags.samples)->value_name("N"),
      "Latin hypercube samples for the p10/p50/p90 ranges (default 256, planner/data/uncertainty.yaml; 0: no ranges)")(
      "uncertainty-seed", po::value(&flags.seed)->value_name("N"), "seed of the samples (default 1; same seed, same ranges)");
}

namespace {
NetworkCounts network_of(const Scenario& scenario) {
  const FabricSize size = size_fabric(scenario.fabric, scenario.job.gpus);
  return {static_cast<double>(size.total_switches), static_cast<double>(size.total_cables), static_cast<double>(size.nics),
          network_tiers_of(scenario.fabric, size)};  // ---- network capital by tier ----
}
}  // namespace

UncertaintySummary plan_uncertainty(const Scenario& scenario, const ParallelPlan& plan, const EconomicsModel& economics,
                                    const UncertaintyModel& model) {
  return estimate_uncertainty(scenario, plan, network_of(scenario), economics, model);
}

ResearchedUncertainty count_answer_uncertainty(const Scenario& scenario, const SearchSpace& space, const SearchOptions& options,
                                               const ParallelPlan& best, const EconomicsModel& economics,
                                               const UncertaintyModel& model) {
  const NetworkCounts network = network_of(scenario);
  if (!search_space_is_one_layout(space, scenario.model))
    return researched_uncertainty(scenario, space, options.objective, best, network, economics, model, options.threads);
  ResearchedUncertainty kept;  // ---- layout fixed by flags: every sample keeps it ----
  kept.layout_fixed = true;
  kept.summary = estimate_uncertainty(scenario, best, network, economics, model);
  kept.outcomes = sample_outcomes(scenario, best, network, economics, model);
  kept.distinct_plans = 1;
  return kept;
}

ResearchedUncertainty search_answer_uncertainty(const Scenario& scenario, const SearchSpace& space, const SearchOptions& options,
                                                const SearchResult& result, const EconomicsModel& economics,
                                                const UncertaintyModel& model) {
  return count_answer_uncertainty(scenario, space, options, result.plans.front().plan, economics, model);
}

}  // namespace trainplan
