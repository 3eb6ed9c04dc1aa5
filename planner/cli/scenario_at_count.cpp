#include "scenario_at_count.hpp"

#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/scenario_defaults.hpp"

namespace trainplan {

ScenarioAtGpus scenario_at_gpus(const SearchSetup& setup) {
  const Scenario base = setup.plan_setup.scenario;
  const std::string topology = setup.flags.topology;
  const std::vector<Override> overrides = setup.plan_setup.overrides;
  const bool slurm = !setup.flags.slurm.empty();
  return [base, topology, overrides, slurm](int gpus) {
    Scenario sc = base;
    sc.job.gpus = gpus;
    if (slurm) return sc;  // --slurm: the file's fabric, whatever the count (its reach is the file's nodes)
    // Not refused here: size and sweep keep counts beyond fabric_reach_gpus out of their ladders.
    sc.fabric = load_fabric_for(topology, sc.job, sc.gpu, overrides, true);
    return sc;
  };
}

int fabric_reach_gpus(const SearchSetup& setup) {
  const Scenario& sc = setup.plan_setup.scenario;
  return fabric_reach(sc.fabric, sc.job.gpus).max_gpus;
}

}  // namespace trainplan
