#pragma once
// The one entry for "this group moves these bytes" inside a scenario: the seconds of one
// collective of a parallel group on the scenario's fabric, profile and calibration
// (collective_cost.hpp has the model and the details: algorithm, tier, uplink sharing).
#include "planner/core/network/collective.hpp"
#include "planner/core/network/collective_cost.hpp"
#include "planner/core/network/collective_memo.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

// `bytes` as nccl-tests' "size" for `kind` (collective_cost.hpp). Pure, allocation-free.
inline double collective_seconds(const Scenario& scenario, Collective kind, GroupPlacement group, double bytes) {
  if (group.job_ranks == 0) group.job_ranks = scenario.job.gpus;  // placement: cost the slowest instance
  if (CollectiveMemo* memo = active_collective_memo; memo && memo->serves(scenario))  // search: per-collective cache
    return memo->seconds(kind, group, bytes);
  return collective_cost(scenario.fabric, scenario.profile, scenario.calibration, kind, group, bytes).seconds;
}

}  // namespace trainplan
