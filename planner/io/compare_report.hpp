#pragma once
// The report of `trainplan compare`: one plan over several fabrics, one row each (table, JSON, CSV).
#include <iosfwd>
#include <string>
#include <optional>
#include <vector>

#include "planner/core/economics/uncertainty.hpp"

#include "plan_report.hpp"
#include "ranges_sampling.hpp"
#include "planner/core/network/fabric_sizing.hpp"

namespace trainplan {

struct CompareRow {
  std::string label;             // the topology or the what-if, as given
  std::string fabric;
  PlanResult plan;
  RunEconomics economics;        // when plan.valid
  FabricSize size;
  std::optional<UncertaintySummary> ranges;  // ---- p10/p50/p90 under the uncertainty model; none: not sampled ----
  std::optional<RangesSampling> ranges_sampling;  // ---- how: the one plan's layout kept (or fixed by flags) ----
};

void write_compare_report(const std::vector<CompareRow>& rows, ReportFormat format, std::ostream& out);

}  // namespace trainplan
