#pragma once
// A sweep: the best plan at each GPU count of a list, one series per fabric (cluster_sizing.hpp's
// sweep_counts plans one series). Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/core/search/cluster_sizing.hpp"
#include "planner/core/economics/cost_energy.hpp"

namespace trainplan {

struct SweepSeries {
  std::string topology;            // as asked for (empty: the default fabric)
  std::string fabric_name;         // the fabric's own name, for labels
  int reach_gpus = 0;              // the most GPUs the fabric connects; counts above are not planned
  bool sites = false;              // the fabric has a site (DCI) tier: the table shows each plan's rank order
  std::vector<CountOutcome> points;
  std::vector<std::optional<RunEconomics>> economics;  // per point: failures, cost and energy of its best plan
};

struct SweepTotals {
  std::int64_t evaluated = 0;      // plans evaluated over every point of every series
  bool any_found = false;          // some point has a plan
};
SweepTotals sweep_totals(const std::vector<SweepSeries>& series);

// Why a point has no plan (empty when it has one).
enum class PointProblem { none, beyond_reach, no_layout, none_fits };
PointProblem point_problem(const CountOutcome& point);

}  // namespace trainplan
