#pragma once
// The report of `trainplan compare`: one plan over several fabrics, one row each (table, JSON, CSV).
#include <iosfwd>
#include <string>
#include <vector>

#include "plan_report.hpp"
#include "planner/core/network/fabric_sizing.hpp"

namespace trainplan {

struct CompareRow {
  std::string label;             // the topology or the what-if, as given
  std::string fabric;
  PlanResult plan;
  RunEconomics economics;        // when plan.valid
  FabricSize size;
};

void write_compare_report(const std::vector<CompareRow>& rows, ReportFormat format, std::ostream& out);

}  // namespace trainplan
