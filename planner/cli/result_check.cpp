#include "result_check.hpp"

#include <sstream>
#include <string>

#include "planner/core/result_guard.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {

// "model 'llama3-8b', GPU 'H100 SXM', fabric 'dgx...', 64 GPUs, tp 8 pp 1 dp 8 cp 1 ep 1, ...": the
// inputs that produced a result, for an error about it.
std::string inputs_of(const Scenario& sc, const PlanResult& r) {
  std::ostringstream text;
  const ParallelPlan& p = r.plan;
  text << "model '" << sc.model.name << "', GPU '" << sc.gpu.name << "', fabric '" << sc.fabric.name << "', "
       << sc.job.gpus << " GPUs, tp " << p.tp << " pp " << p.pp << " dp " << p.dp << " cp " << p.cp << " ep " << p.ep
       << " vp " << p.vp << ", micro-batch " << p.micro_batch << ", global batch " << p.global_batch << " x "
       << p.seq_len << " tokens, " << sc.job.training_tokens << " training tokens";
  return text.str();
}

}  // namespace

void check_result_figures(const Scenario& scenario, const PlanResult& result) {
  if (!result.valid) return;
  if (const auto bad = first_bad_figure(result))
    throw InputError(inputs_of(scenario, result), "", "these inputs give " + *bad +
                                                          " (expected a finite number >= 0); some input is near the end of its range "
                                                          "(docs/formats.md, Ranges) or inconsistent with the others");
}

void check_economics_figures(const Scenario& scenario, const PlanResult& result, const RunEconomics& economics,
                             const EconomicsModel& model) {
  if (!result.valid) return;
  if (const auto bad = first_bad_figure(economics))
    throw InputError(inputs_of(scenario, result), "", "with the failure, checkpoint, cost and energy settings these inputs give " +
                                                          *bad + " (expected a finite number >= 0); check --failure-rate, "
                                                                 "--restart-minutes, prices and --economics");
  if (model.monte_carlo.runs > 0 && economics.monte_carlo.runs == 0) {
    std::ostringstream draws;
    draws << monte_carlo_draws(economics.reliability, model.monte_carlo.runs);
    throw InputError("--runs " + std::to_string(model.monte_carlo.runs), "",
                     "the simulation would draw about " + draws.str() + " interruptions, more than the limit of " +
                         std::to_string(static_cast<long long>(max_monte_carlo_draws)) +
                         " (fewer runs, or a lower failure rate or restart time)");
  }
}

void check_calendar_figures(const Scenario& scenario, const std::string& source, const CalendarResult& calendar) {
  if (const auto bad = first_bad_figure(calendar))
    throw InputError("model '" + scenario.model.name + "', GPU '" + scenario.gpu.name + "', fabric '" + scenario.fabric.name +
                         "', schedule " + source,
                     "", "these inputs give " + *bad + " over the calendar: an input is outside what the model can compute "
                         "(docs/formats.md, Ranges) or inconsistent with the others");
}

}  // namespace trainplan
