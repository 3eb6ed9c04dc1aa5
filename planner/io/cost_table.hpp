#pragma once
// The cost of a run as a finance reader checks it: the purchase split into GPUs, servers, network
// (per tier: count x unit price at its port speed) and storage, the run's amortised share of it,
// energy, and rent, each line with its basis and the source of its prices (the provenance of
// planner/data/economics.yaml, or the user's file or flag). One table block, one JSON object.
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "planner/core/economics/cost_energy.hpp"

namespace trainplan {

// The lines under the plan table's "cost" line; without training tokens, the purchase and what an
// hour of the cluster costs by part (write-off, energy, rent).
void write_cost_breakdown(const RunEconomics& economics, std::ostream& out);

// The same as JSON (`cost_breakdown`): purchase lines, amortisation, energy, rent, with sources.
nlohmann::json cost_breakdown_json(const RunEconomics& economics);

// "(range $89.6M - $119.2M)", or, when low == high, why there is one value.
std::string cost_range_text(double low, double high, CostBasis basis);

// One line saying what a cost column holds under `economics`' basis, for the search/size/compare
// tables: "buy, the run's share (days / 4 years) of the purchase + energy; ...".
std::string cost_basis_line(const RunEconomics& economics);

}  // namespace trainplan
