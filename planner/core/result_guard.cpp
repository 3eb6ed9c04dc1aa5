#include "planner/core/result_guard.hpp"

#include <cmath>
#include <initializer_list>
#include <sstream>
#include <utility>

namespace trainplan {

namespace {

using Figure = std::pair<const char*, double>;

std::optional<std::string> first_bad(std::initializer_list<Figure> figures) {
  for (const auto& [name, value] : figures) {
    if (std::isfinite(value) && value >= 0) continue;
    std::ostringstream text;
    text << name << " = " << value;
    return text.str();
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> first_bad_figure(const PlanResult& r) {
  const StepBreakdown& b = r.breakdown;
  const MemoryBreakdown& m = r.memory;
  return first_bad({{"params_total", r.params_total},
                    {"params_active", r.params_active},
                    {"params_mtp", r.params_mtp},
                    {"tokens_per_step", r.tokens_per_step},
                    {"model_flops_per_step", r.model_flops_per_step},
                    {"hardware_flops_per_step", r.hardware_flops_per_step},
                    {"step_time_s", r.step_time_s},
                    {"tokens_per_second", r.tokens_per_second},
                    {"tflops_per_gpu", r.tflops_per_gpu},
                    {"mfu", r.mfu},
                    {"hfu", r.hfu},
                    {"mfu_fp8", r.mfu_fp8},
                    {"pipeline_bubble_fraction", r.pipeline_bubble_fraction},
                    {"breakdown.compute_s", b.compute_s},
                    {"breakdown.tp_comm_s", b.tp_comm_s},
                    {"breakdown.cp_comm_s", b.cp_comm_s},
                    {"breakdown.ep_comm_s", b.ep_comm_s},
                    {"breakdown.pp_comm_s", b.pp_comm_s},
                    {"breakdown.dp_comm_s", b.dp_comm_s},
                    {"breakdown.pipeline_bubble_s", b.pipeline_bubble_s},
                    {"breakdown.optimizer_s", b.optimizer_s},
                    {"breakdown.link_sharing_s", b.link_sharing_s},
                    {"breakdown.activation_offload_s", b.activation_offload_s},
                    {"host_memory_gib", r.host_memory_gib},
                    {"memory.weights_bytes", m.weights_bytes},
                    {"memory.gradients_bytes", m.gradients_bytes},
                    {"memory.optimizer_bytes", m.optimizer_bytes},
                    {"memory.activations_bytes", m.activations_bytes},
                    {"memory.overhead_bytes", m.overhead_bytes},
                    {"memory_per_gpu_gib", r.memory_per_gpu_gib},
                    {"memory_capacity_gib", r.memory_capacity_gib},
                    {"time_to_train_days", r.time_to_train_days}});
}

std::optional<std::string> first_bad_figure(const RunEconomics& e) {
  if (auto bad = first_bad({{"time_to_train_days_failure_free", e.time_to_train_days_failure_free},
                            {"time_to_train_days (with failures)", e.time_to_train_days},
                            {"goodput", e.goodput},
                            {"power_mw", e.power_mw},
                            {"energy_mwh", e.energy_mwh},
                            {"energy_usd", e.energy_usd},
                            {"gpu_hours", e.gpu_hours},
                            {"capital_usd", e.capital.total()},
                            {"buy_usd", e.buy_usd},
                            {"rent_usd", e.rent_usd},
                            {"cost_usd", e.cost_usd},
                            {"cost_usd_low", e.cost_usd_low},
                            {"cost_usd_high", e.cost_usd_high},
                            {"cost_usd_per_hour", e.cost_usd_per_hour}}))
    return bad;
  if (e.monte_carlo.runs > 0)
    return first_bad({{"monte_carlo.mean_days", e.monte_carlo.mean_days},
                      {"monte_carlo.p90_days", e.monte_carlo.p90_days},
                      {"monte_carlo.max_days", e.monte_carlo.max_days},
                      {"monte_carlo.mean_goodput", e.monte_carlo.mean_goodput}});
  return std::nullopt;
}

std::optional<std::string> first_bad_figure(const CalendarResult& calendar) {
  if (calendar.finished)
    if (auto bad = first_bad({{"finish_days", calendar.finish_day}})) return bad;
  for (const CalendarSegment& s : calendar.segments) {
    if (auto bad = first_bad({{"segment start_day", s.start_day}, {"segment end_day", s.end_day},
                              {"segment tokens", s.tokens_end}, {"segment effective_tokens", s.effective_end},
                              {"segment token_efficiency", s.efficiency}, {"segment tokens_per_second", s.tokens_per_second},
                              {"segment goodput", s.goodput}}))
      return bad;
    if (s.gpus_used > 0 && s.plan.valid)
      if (auto bad = first_bad_figure(s.plan)) return bad;
  }
  return std::nullopt;
}

}  // namespace trainplan
