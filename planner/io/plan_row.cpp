#include "plan_row.hpp"

#include "number_text.hpp"
#include "plan_option_table.hpp"
#include "plan_report.hpp"

namespace trainplan {

namespace {

// The plan's figures, by their JSON keys; breakdown keys are looked up under "breakdown".
const std::vector<std::string>& figure_keys() {
  static const std::vector<std::string> keys = {
      "valid", "step_time_s", "tokens_per_second", "tflops_per_gpu", "mfu", "hfu", "memory_per_gpu_gib", "fits_in_memory",
      "time_to_train_days_failure_free", "time_to_train_days", "compute_s", "tp_comm_s", "cp_comm_s", "ep_comm_s",
      "pp_comm_s", "dp_comm_s", "pipeline_bubble_s", "optimizer_s", "straggler_s", "link_sharing_s", "activation_offload_s"};
  return keys;
}
const std::vector<std::string>& economics_keys() {
  static const std::vector<std::string> keys = {"goodput", "cost_usd", "energy_mwh", "power_mw"};
  return keys;
}
bool is_breakdown_key(const std::string& key) {
  for (const char* k : {"compute_s", "tp_comm_s", "cp_comm_s", "ep_comm_s", "pp_comm_s", "dp_comm_s", "pipeline_bubble_s", "optimizer_s",
                        "straggler_s", "link_sharing_s", "activation_offload_s"})
    if (key == k) return true;
  return false;
}

std::string json_cell(const nlohmann::json& value) { return value.is_null() ? "" : option_cell(value); }

}  // namespace

std::vector<std::string> plan_csv_header(bool with_economics) {
  std::vector<std::string> header;
  for (const PlanOption& o : plan_option_table())
    if (o.written() && !o.job) header.push_back(o.key);
  header.insert(header.end(), figure_keys().begin(), figure_keys().end());
  if (with_economics) header.insert(header.end(), economics_keys().begin(), economics_keys().end());
  return header;
}

std::vector<std::string> plan_csv_cells(const PlanResult& r, const RunEconomics* e) {
  nlohmann::json j = plan_result_json(r);
  if (e && r.valid) j.update(economics_json(*e));
  std::vector<std::string> cells;
  for (const PlanOption& o : plan_option_table())
    if (o.written() && !o.job) cells.push_back(json_cell(j["settings"][o.key]));
  for (const std::string& key : figure_keys())
    cells.push_back(json_cell(is_breakdown_key(key) ? (j["breakdown"].is_null() ? nullptr : j["breakdown"][key]) : j[key]));
  if (e)
    for (const std::string& key : economics_keys()) cells.push_back(r.valid ? json_cell(j[key]) : "");
  return cells;
}

std::vector<std::string> plan_csv_empty_cells(bool with_economics) {
  return std::vector<std::string>(plan_csv_header(with_economics).size());
}

std::vector<std::string> plan_layout_table_header() {
  return {"tp", "pp", "dp", "cp", "ep", "etp", "vp", "mb", "batch", "prec", "recompute", "sp", "zero", "dispatch"};
}

// sp: as costed, so "no" at tp 1 whatever the setting (sequence parallelism has nothing to split there).
std::vector<std::string> plan_layout_table_cells(const ParallelPlan& p) {
  return {std::to_string(p.tp), std::to_string(p.pp), std::to_string(p.dp), std::to_string(p.cp), std::to_string(p.ep),
          std::to_string(p.routed_expert_tp()), std::to_string(p.vp), std::to_string(p.micro_batch), std::to_string(p.global_batch),
          to_string(p.precision), to_string(p.recompute), p.sequence_parallel && p.tp > 1 ? "yes" : "no", std::to_string(p.zero_stage),
          to_string(p.moe_dispatcher)};
}

std::vector<std::string> plan_table_header(bool with_economics) {
  std::vector<std::string> header = plan_layout_table_header();
  header.insert(header.end(), {"step s", "days"});
  if (with_economics) header.push_back("days+fail");
  for (const char* label : {"MFU%", "tokens/s", "GiB", "compute", "tp comm", "ep comm", "pp comm", "dp comm", "bubble", "other"})
    header.push_back(label);
  if (with_economics) header.insert(header.end(), {"cost $M", "MWh"});
  return header;
}

std::vector<std::string> plan_table_cells(const PlanResult& r, const RunEconomics* e) {
  const ParallelPlan& p = r.plan;
  const StepBreakdown& b = r.breakdown;
  const auto seconds = [](double v) { return fixed_decimals(v, 3); };
  // Without --tokens there is no time to train: '-' rather than 0.0 days and $0.0M.
  const bool timed = r.time_to_train_days > 0;
  const auto when_timed = [timed](const std::string& cell) { return timed ? cell : std::string("-"); };
  std::vector<std::string> cells = plan_layout_table_cells(p);
  cells.insert(cells.end(), {seconds(r.step_time_s), when_timed(fixed_decimals(r.time_to_train_days, 1))});
  if (e) cells.push_back(when_timed(fixed_decimals(e->time_to_train_days, 1)));
  for (const std::string& cell :
       {fixed_decimals(100 * r.mfu, 1), fixed_decimals(r.tokens_per_second, 0), fixed_decimals(r.memory_per_gpu_gib, 1),
        seconds(b.compute_s), seconds(b.tp_comm_s), seconds(b.ep_comm_s), seconds(b.pp_comm_s), seconds(b.dp_comm_s),
        seconds(b.pipeline_bubble_s), seconds(b.cp_comm_s + b.optimizer_s + b.straggler_s + b.link_sharing_s + b.activation_offload_s)})
    cells.push_back(cell);
  if (e) cells.insert(cells.end(), {when_timed(fixed_decimals(e->cost_usd / 1e6, 1)), when_timed(fixed_decimals(e->energy_mwh, 0))});
  return cells;
}

std::vector<std::string> plan_table_empty_cells(bool with_economics) {
  return std::vector<std::string>(plan_table_header(with_economics).size());
}

std::string activation_offload_cell(const PlanResult& r) {
  if (r.plan.activation_offload_layers <= 0) return "none";
  return std::to_string(r.plan.activation_offload_layers) + " (" + fixed_decimals(r.host_memory_gib, 1) + " GiB)";
}

}  // namespace trainplan
