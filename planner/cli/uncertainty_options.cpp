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

double plan_days_at_confidence(const Scenario& scenario, const ParallelPlan& plan, const EconomicsModel& economics,
                               const UncertaintyModel& model, double confidence) {
  std::vector<double> days;
  for (const SampleOutcome& o : sample_outcomes(scenario, plan, network_of(scenario), economics, model))
    if (o.valid) days.push_back(o.days);
  return days.empty() ? std::numeric_limits<double>::infinity() : quantile_of(days, confidence);
}

UncertaintySummary plan_uncertainty(const Scenario& scenario, const ParallelPlan& plan, const EconomicsModel& economics,
                                    const UncertaintyModel& model) {
  return estimate_uncertainty(scenario, plan, network_of(scenario), economics, model);
}

ResearchedUncertainty search_answer_uncertainty(const Scenario& scenario, const SearchSpace& space, const SearchOptions& options,
                                                const SearchResult& result, const EconomicsModel& economics,
                                                const UncertaintyModel& model) {
  return researched_uncertainty(scenario, space, options.objective, result.plans.front().plan, network_of(scenario), economics,
                                model, options.threads);
}

}  // namespace trainplan
