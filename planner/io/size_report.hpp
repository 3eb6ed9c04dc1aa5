#pragma once
// The report of `trainplan size`: the count chosen, its time, cost and best plan, and the counts
// searched; table, JSON or CSV.
#include <iosfwd>
#include <optional>
#include <string>

#include "plan_report.hpp"
#include "planner/core/economics/uncertainty.hpp"
#include "planner/core/search/sizing_choice.hpp"
#include "planner/io/layout_shortfall_text.hpp"  // ---- no layout ----
#include "planner/io/ranges_sampling.hpp"

namespace trainplan {

struct SizeReport {
  std::string model, gpu, fabric;
  int reach_gpus = 0;           // the most GPUs the fabric connects
  bool fabric_sites = false;    // the fabric has a site (DCI) tier: the table shows the plan's rank order
  double training_tokens = 0;
  bool by_deadline = false;     // --deadline-days (otherwise --gpus N)
  double deadline_days = 0;
  GpuGrid grid;                 // the counts considered (by deadline)
  int gpus = 0;                 // the count asked for (--gpus N)
  SizingResult result;
  std::optional<RunEconomics> economics;  // of the chosen count's best plan, when found
  std::optional<UncertaintySummary> ranges;  // ---- its p10/p50/p90 under the uncertainty model; none: not sampled ----
  std::optional<RangesSampling> ranges_sampling;  // ---- how: the layout re-searched per sample, or fixed by flags ----
  // The days the deadline held each count to: "with-failures" (wall-clock with failures, checkpoints
  // and restarts), "failure-free", or "confidence" (days with failures at quantile `confidence`).
  std::string deadline_basis = "with-failures";
  std::vector<double> searched_days_with_failures;  // of result.searched, in order (0 where none fits)
  // ---- size --power-cap-mw: the most power (at the meter) the site can feed; 0: no cap ----
  double power_cap_mw = 0;
  std::string power_cap_problem;  // set when the answer needs more power than the cap (result.found is then false)
  // ---- size --confidence C: the count's days with failures at quantile C of the uncertainty model ----
  double confidence = 0;        // 0: sized on the point estimate
  double confident_days = 0;    // of the chosen count, when found
  std::vector<double> searched_days_at_confidence;  // of result.searched, in order (0: not sampled)
  // ---- --gpus N without a layout for the batch: why, and the nearest counts with a plan ----
  std::optional<NoLayoutNote> no_layout;
};

// Why nothing was found, in one sentence (the table's line, the JSON's "problem").
std::string sizing_problem(const SizeReport& report);

void write_size_report(const SizeReport& report, ReportFormat format, std::ostream& out);

}  // namespace trainplan
