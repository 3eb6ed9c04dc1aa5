#include "uncertainty_options.hpp"

#include "planner/core/fabric_sizing.hpp"

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

UncertaintySummary plan_uncertainty(const Scenario& scenario, const ParallelPlan& plan, const EconomicsModel& economics,
                                    const UncertaintyModel& model) {
  const FabricSize size = size_fabric(scenario.fabric, scenario.job.gpus);
  const NetworkCounts counts{static_cast<double>(size.total_switches), static_cast<double>(size.total_cables),
                             static_cast<double>(size.nics)};
  return estimate_uncertainty(scenario, plan, counts, economics, model);
}

}  // namespace trainplan
