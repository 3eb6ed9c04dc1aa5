#pragma once
// One plan as one row, the same columns in every command (plan, search, size, sweep, compare):
// its options (every plan row of planner/io/plan_option_table) and its figures.
//  CSV: the headers are the keys of the plan's JSON (plan_result_json, economics_json), each cell
//  that key's JSON value as JSON writes it; an impossible plan has empty figure cells.
//  Table: short labels and rounded figures, for people.
// time_to_train_days is, as in the JSON, with failures and checkpoints when the row carries the
// economics columns and failure-free otherwise; time_to_train_days_failure_free is always failure-free.
#include <string>
#include <vector>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/plan_result.hpp"

namespace trainplan {

std::vector<std::string> plan_csv_header(bool with_economics);
// `economics` null: no economics columns (the header's with_economics false).
std::vector<std::string> plan_csv_cells(const PlanResult& result, const RunEconomics* economics);
// The cells of a point that has no plan (sweep): all empty.
std::vector<std::string> plan_csv_empty_cells(bool with_economics);

// The layout part of the table row (tp ... dispatch), also the plan report's layout.
std::vector<std::string> plan_layout_table_header();
std::vector<std::string> plan_layout_table_cells(const ParallelPlan& plan);

std::vector<std::string> plan_table_header(bool with_economics);
std::vector<std::string> plan_table_cells(const PlanResult& result, const RunEconomics* economics);
std::vector<std::string> plan_table_empty_cells(bool with_economics);
// A plan's activation offloading, for the tables that show it when some plan offloads: the layers
// and the host memory they take ("35 (118.3 GiB)"), or "none".
std::string activation_offload_cell(const PlanResult& r);

}  // namespace trainplan
