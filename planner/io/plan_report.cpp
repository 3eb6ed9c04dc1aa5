#include "plan_report.hpp"

#include <cmath>
#include <ostream>
#include <sstream>
#include <string>

#include "input_error.hpp"
#include "number_text.hpp"
#include "cost_table.hpp"  // ---- cost labelling ----
#include "plan_option_table.hpp"
#include "plan_row.hpp"
#include "planner/core/group_placements.hpp"
#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/layer_work.hpp"
#include "row_writer.hpp"
#include "uncertainty_report.hpp"  // ---- uncertainty ranges ----

namespace trainplan {

ReportFormat parse_report_format(const std::string& text, const char* allowed) {
  if (text == "table") return ReportFormat::table;
  if (text == "json") return ReportFormat::json;
  if (text == "csv") return ReportFormat::csv;
  throw InputError("command line", "--format", std::string("expected one of ") + allowed + ", got '" + text + "'");
}

nlohmann::json plan_settings_json(const ParallelPlan& p) { return plan_options_json(p, TrainingJob{}, false); }

nlohmann::json plan_result_json(const PlanResult& r) {
  const StepBreakdown& b = r.breakdown;
  nlohmann::json j = {
      {"valid", r.valid},
      {"problems", r.problems},
      {"gpus", r.gpus},
      {"settings", plan_settings_json(r.plan)},
      {"params_total", r.params_total},
      {"params_active", r.params_active},
      {"params_mtp", r.params_mtp},
      {"tokens_per_step", r.tokens_per_step},
      {"microbatches", r.microbatches},
      {"step_time_s", r.step_time_s},
      {"tokens_per_second", r.tokens_per_second},
      {"tflops_per_gpu", r.tflops_per_gpu},
      {"mfu", r.mfu},
      {"hfu", r.hfu},
      {"mfu_fp8", r.mfu_fp8},
      {"memory_per_gpu_gib", r.memory_per_gpu_gib},
      {"memory_capacity_gib", r.memory_capacity_gib},
      {"memory_headroom_gib", r.memory_headroom_gib},
      {"fits_in_memory", r.fits_in_memory},
      // Failure-free: `time_to_train_days` (wall-clock with failures) comes with the economics.
      {"time_to_train_days_failure_free", r.time_to_train_days},
      {"pipeline_bubble_fraction", r.pipeline_bubble_fraction},
      {"stage_layers", {{"first", r.stage_layers_first}, {"middle", r.stage_layers_middle}, {"last", r.stage_layers_last}}},
      {"breakdown",
       {{"compute_s", b.compute_s},
        {"tp_comm_s", b.tp_comm_s},
        {"cp_comm_s", b.cp_comm_s},
        {"ep_comm_s", b.ep_comm_s},
        {"pp_comm_s", b.pp_comm_s},
        {"dp_comm_s", b.dp_comm_s},
        {"pipeline_bubble_s", b.pipeline_bubble_s},
        {"optimizer_s", b.optimizer_s},
        {"straggler_s", b.straggler_s},
        {"link_sharing_s", b.link_sharing_s},
        {"activation_offload_s", b.activation_offload_s}}},
      // breakdown.compute_s by kind of work (compute_parts.hpp): beside the breakdown, whose
      // entries alone sum to the step.
      {"compute_parts",
       {{"gemm_s", b.compute_parts.gemm_s},
        {"attention_s", b.compute_parts.attention_s},
        {"memory_bound_s", b.compute_parts.memory_bound_s},
        {"fp8_cast_s", b.compute_parts.fp8_cast_s},
        {"head_s", b.compute_parts.head_s}}},
      {"memory_gib",
       {{"weights", r.memory.weights_bytes / (1 << 30)},
        {"gradients", r.memory.gradients_bytes / (1 << 30)},
        {"optimizer", r.memory.optimizer_bytes / (1 << 30)},
        {"activations", r.memory.activations_bytes / (1 << 30)},
        {"overhead", r.memory.overhead_bytes / (1 << 30)}}},
      // Activation offloading: host memory per GPU its copies take, and what the GPU file states (0: none).
      {"host_memory_gib", r.host_memory_gib},
      {"host_memory_capacity_gib", r.host_memory_capacity_gib},
      {"notes", r.notes}};
  // No training tokens: no time to train, null rather than 0 (docs/formats.md, "Without --tokens").
  if (r.valid && !(r.time_to_train_days > 0)) j["time_to_train_days"] = nullptr;
  if (!r.valid) {
    // Nothing was timed: say so instead of printing zeros as if they were estimates.
    for (const char* key : {"step_time_s", "tokens_per_second", "tflops_per_gpu", "mfu", "hfu", "mfu_fp8",
                            "memory_per_gpu_gib", "fits_in_memory", "time_to_train_days_failure_free", "breakdown", "compute_parts", "memory_gib",
                            "host_memory_gib"})
      j[key] = nullptr;
    j["time_to_train_days"] = nullptr;
  }
  return j;
}

namespace {

// The fused attention figure a plan's layers were costed at: the kernel, its fraction of the bf16
// peak at the plan's full-attention shape (layer_work.hpp, attention_efficiency.hpp) and whence.
struct AttentionFigureUsed {
  bool fused = false;  // false: the materialized kernel (batched GEMMs), costed on the GEMM curve
  std::string kernel;
  double fraction = 0;
  bool by_shape = false;
  std::string provenance;
};

AttentionFigureUsed attention_figure_used(const Scenario& sc, const ParallelPlan& plan) {
  AttentionFigureUsed a;
  if (!is_flash(plan.attention_kernel)) return a;
  const LayerWork w = dense_layer_work(sc.model, plan);
  const int index = fused_attention_figures_index(plan.attention_kernel, sc.profile);
  const AttentionKernelFigures& figures = sc.profile.fused_attention[index];
  a.fused = true;
  a.kernel = index == 1 ? "flash3" : "flash2";
  a.fraction = full_attention_fraction(plan.attention_kernel, sc.profile, plan.causal, w);
  a.by_shape = !figures.curves.empty();
  a.provenance = figures.stated() ? sc.gpu.attention_provenance.kind + ": " + sc.gpu.attention_provenance.source
                                  : "assumption: no figure in the GPU file; FlashAttention-2's lowest published H100 figure, " +
                                        fixed_decimals(kUnstatedFusedAttentionFraction, 2);
  return a;
}

}  // namespace

nlohmann::json provenance_json(const Scenario& sc, const ParallelPlan& plan) {
  const PerformanceProfile& p = sc.profile;
  auto kind = [](bool measured) { return measured ? "measured" : "published"; };
  nlohmann::json busbw = nlohmann::json::object();
  const char* levels[] = {"intra_node", "inter_node"};
  for (int level = 0; level < 2; ++level)
    for (int c = 0; c < 5; ++c) {
      if (p.busbw_gb_s[level][c].empty()) continue;
      busbw[std::string(levels[level]) + "." + to_string(static_cast<Collective>(c))] = kind(p.busbw_measured[level][c]);
    }
  const AttentionFigureUsed attention = attention_figure_used(sc, plan);
  nlohmann::json fused_attention = nullptr;  // null: the materialized kernel, on the GEMM curve
  if (attention.fused)
    fused_attention = {{"kernel", attention.kernel},
                       {"fraction_of_bf16_peak", attention.fraction},
                       {"figures", attention.by_shape ? "curves by mask, head dimension and keys per query" : "one figure"},
                       {"source", attention.provenance}};
  return {{"gpu_spec", sc.gpu.provenance.kind + ": " + sc.gpu.provenance.source},
          {"gemm_efficiency", kind(p.gemm_measured)},
          {"hbm_bandwidth", kind(p.hbm_measured)},
          {"fused_attention", fused_attention},
          {"collective_busbw_curves", busbw},
          {"collectives_without_curves", "nominal link speed x calibrated efficiency (docs/model.md)"},
          {"sources", p.sources}};
}

nlohmann::json economics_json(const RunEconomics& e) {
  const ReliabilityEstimate& rel = e.reliability;
  nlohmann::json j = {
      {"time_to_train_days", e.time_to_train_days},
      {"time_to_train_days_failure_free", e.time_to_train_days_failure_free},
      {"goodput", e.goodput},
      {"cost_usd", e.cost_usd},
      {"cost_usd_low", e.cost_usd_low},
      {"cost_usd_high", e.cost_usd_high},
      {"cost_basis", to_string(e.basis)},
      {"energy_mwh", e.energy_mwh},
      {"power_mw", e.power_mw},
      {"it_power_mw", e.it_power_mw},
      {"gpu_hours", e.gpu_hours},
      {"buy_usd", e.buy_usd},
      {"rent_usd", e.rent_usd},
      {"rent_price_year", e.rent_price_year},
      {"capital_usd",
       {{"gpus", e.capital.gpus_usd},
        {"servers", e.capital.servers_usd},
        {"network", e.capital.network_usd()},
        {"storage", e.capital.storage_usd},
        {"total", e.capital.total()}}},
      {"reliability",
       {{"job_mtbf_hours", rel.job_mtbf_s / 3600},
        {"checkpoint_bytes", rel.checkpoint_bytes},
        {"checkpoint_block_s", rel.checkpoint_block_s},
        {"checkpoint_interval_s", rel.interval_s},
        {"checkpoint_interval_optimal", rel.interval_optimal},
        {"expected_unexpected_interruptions", rel.expected_unexpected_interruptions},
        {"expected_planned_interruptions", rel.expected_planned_interruptions},
        {"checkpoint_overhead_s", rel.checkpoint_overhead_s},
        {"lost_work_s", rel.lost_work_s},
        {"restart_overhead_s", rel.restart_overhead_s}}},
      {"economics_notes", e.notes}};
  j["cost_breakdown"] = cost_breakdown_json(e);  // ---- cost labelling: lines, basis, sources (planner/io/cost_table) ----
  j["cost_usd_per_hour"] = e.cost_usd_per_hour;  // token-independent: known without --tokens
  j["cost_usd_per_hour_low"] = e.cost_usd_per_hour_low;
  j["cost_usd_per_hour_high"] = e.cost_usd_per_hour_high;
  if (!has_time_to_train(e)) {
    // No training tokens: the run's time, energy, cost and interruptions are unknown, not 0
    // (docs/formats.md, "Without --tokens"); rates, power, capital and checkpoint size stay.
    for (const char* key : {"time_to_train_days", "time_to_train_days_failure_free", "goodput", "cost_usd", "cost_usd_low",
                            "cost_usd_high", "energy_mwh", "gpu_hours", "buy_usd", "rent_usd"})
      j[key] = nullptr;
    for (const char* key : {"expected_unexpected_interruptions", "expected_planned_interruptions", "checkpoint_overhead_s",
                            "lost_work_s", "restart_overhead_s"})
      j["reliability"][key] = nullptr;
    if (!(rel.interval_s > 0)) j["reliability"]["checkpoint_interval_s"] = nullptr;
    return j;
  }
  if (e.monte_carlo.runs > 0)
    j["monte_carlo"] = {{"runs", e.monte_carlo.runs},          {"seed", e.monte_carlo.seed},
                        {"mean_days", e.monte_carlo.mean_days}, {"p10_days", e.monte_carlo.p10_days},
                        {"p50_days", e.monte_carlo.p50_days},   {"p90_days", e.monte_carlo.p90_days}};
  return j;
}

namespace {

std::string human_count(double value) {
  const char* suffix[] = {"", "K", "M", "B", "T"};
  int i = 0;
  while (value >= 1000 && i < 4) {
    value /= 1000;
    ++i;
  }
  return fixed_decimals(value, value < 10 ? 2 : 1) + suffix[i];
}

void table_row(std::ostream& out, const std::string& label, const std::string& value) {
  std::string padded = label;
  padded.resize(30, ' ');
  out << "  " << padded << value << "\n";
}

// ---- without --tokens: what does not depend on the tokens, and no zeros for what does ----
void write_untimed_economics_table(const RunEconomics& e, std::ostream& out) {
  out << "\n  with failures and checkpoints\n";
  table_row(out, "time to train", "give --tokens for time-to-train and cost");
  const ReliabilityEstimate& rel = e.reliability;
  table_row(out, "  job MTBF", (std::isfinite(rel.job_mtbf_s) ? fixed_decimals(rel.job_mtbf_s / 3600, 2) + " h" : std::string("no failures")) +
                                   " (" + fixed_decimals(rel.unexpected_per_day, rel.unexpected_per_day < 1 ? 2 : 1) + " unexpected interruptions a day)");
  table_row(out, "  checkpoint", fixed_decimals(rel.checkpoint_bytes / 1e12, 1) + " TB, blocking " + fixed_decimals(rel.checkpoint_block_s, 1) +
                                     " s" + (rel.interval_s > 0 ? ", every " + fixed_decimals(rel.interval_s / 60, 1) + " min" +
                                                                      (rel.interval_optimal ? " (Young/Daly)" : "")
                                                                : std::string()));
  table_row(out, "power", fixed_decimals(e.power_mw, 1) + " MW at the meter");
  std::string cost_label = "cost per hour (";
  cost_label += to_string(e.basis);
  cost_label += ")";
  table_row(out, cost_label, "$" + human_count(e.cost_usd_per_hour) + " (range $" + human_count(e.cost_usd_per_hour_low) + " - $" +
                                 human_count(e.cost_usd_per_hour_high) + "); per day $" + human_count(24 * e.cost_usd_per_hour));
  write_cost_breakdown(e, out);  // ---- cost labelling: purchase and hourly parts with sources ----
  for (const auto& note : e.notes) out << "  note: " << note << "\n";
}

void write_economics_table(const RunEconomics& e, std::ostream& out) {
  if (!has_time_to_train(e)) return write_untimed_economics_table(e, out);
  out << "\n  with failures and checkpoints\n";
  table_row(out, "time to train", fixed_decimals(e.time_to_train_days, 1) + " days (goodput " + fixed_decimals(100 * e.goodput, 1) +
                                      "%; failure-free " + fixed_decimals(e.time_to_train_days_failure_free, 1) + ")");
  if (e.monte_carlo.runs > 0)
    table_row(out, "  Monte-Carlo p10 / p50 / p90", fixed_decimals(e.monte_carlo.p10_days, 1) + " / " + fixed_decimals(e.monte_carlo.p50_days, 1) +
                                                        " / " + fixed_decimals(e.monte_carlo.p90_days, 1) + " days (" +
                                                        std::to_string(e.monte_carlo.runs) + " runs)");
  table_row(out, "  interruptions expected", fixed_decimals(e.reliability.expected_unexpected_interruptions, 0) + " unexpected, " +
                                                 fixed_decimals(e.reliability.expected_planned_interruptions, 0) + " planned (job MTBF " +
                                                 fixed_decimals(e.reliability.job_mtbf_s / 3600, 2) + " h)");
  table_row(out, "  checkpoint", fixed_decimals(e.reliability.checkpoint_bytes / 1e12, 1) + " TB every " +
                                     fixed_decimals(e.reliability.interval_s / 60, 1) + " min, blocking " +
                                     fixed_decimals(e.reliability.checkpoint_block_s, 1) + " s");
  table_row(out, "power", fixed_decimals(e.power_mw, 1) + " MW at the meter; " + fixed_decimals(e.energy_mwh, 0) + " MWh for the run");
  std::string cost_label = "cost (";
  cost_label += to_string(e.basis);
  cost_label += ")";
  std::string cost = "$";
  cost += human_count(e.cost_usd);
  cost += " " + cost_range_text(e.cost_usd_low, e.cost_usd_high, e.basis);  // ---- cost labelling ----
  table_row(out, cost_label, cost);
  write_cost_breakdown(e, out);  // ---- cost labelling: purchase, share, energy, rent with sources ----
  for (const auto& note : e.notes) out << "  note: " << note << "\n";
}

// Placement: per group kind of more than one rank, the instance costed (the slowest under the rank
// order) and the tiers it crosses; "rank 0 stays below" when the rank-0 instance tops out lower.
void write_placement_lines(const Scenario& sc, const ParallelPlan& p, std::ostream& out) {
  const std::vector<PlacedGroup> groups = place_groups(sc, p);
  if (groups.empty()) return;
  out << "\n  placement, rank order " << to_string(p.rank_order) << " (the slowest instance of each group kind is costed)\n";
  for (const PlacedGroup& g : groups) {
    std::string label = g.kind;
    label.resize(14, ' ');
    std::string tiers;
    for (const std::string& t : g.tiers_crossed) tiers += (tiers.empty() ? "" : " > ") + t;
    std::string rank0;
    if (g.rank0_tier < g.tier)
      rank0 = ", rank 0's tops out at " + (g.rank0_tier < 0 ? std::string("nvlink") : g.tiers_crossed[std::size_t(g.rank0_tier + 1)]);
    const char* stride = g.one_stride ? ", stride " : ", not one stride (costed as stride ";
    out << "    " << label << g.size << " ranks" << stride << g.stride << (g.one_stride ? "" : ", the same span)") << ", from rank "
        << g.first_rank << ": " << tiers << rank0 << "\n";
  }
}

void write_table(const Scenario& sc, const PlanResult& r, std::ostream& out) {
  const ParallelPlan& p = r.plan;
  out << "trainplan: " << sc.model.name << " on " << r.gpus << " x " << sc.gpu.name << " (" << sc.fabric.name << ")\n";
  // The layout as the row every command prints (planner/io/plan_row), indented under the title.
  std::ostringstream layout;
  write_rows({plan_layout_table_header(), plan_layout_table_cells(p)}, false, layout);
  std::istringstream layout_lines(layout.str());
  for (std::string line; std::getline(layout_lines, line);) out << "  " << line << "\n";
  out << "  settings                      " << p.seq_len << "-token sequences"
      << (p.recompute == Recompute::full && p.recompute_layers > 0 ? ", " + std::to_string(p.recompute_layers) + " layers per stage recompute" : "")
      << ", attention " << to_string(p.attention_kernel) << "\n";
  if (sc.model.is_moe())
    out << "  experts                       expert tp " << p.routed_expert_tp() << ", ep " << p.ep << ", expert dp "
        << p.expert_data_parallel() << "\n";
  if (p.ep > 1)
    out << "  expert exchange               " << to_string(p.moe_dispatcher) << (p.dispatch_fp8 ? ", fp8 dispatch" : ", bf16 dispatch")
        << (p.ep_overlap ? std::string(", overlapped with compute (") + to_string(p.ep_overlap_schedule) + ")" : std::string(", not overlapped")) << "\n";
  table_row(out, "parameters", human_count(r.params_total) + " total, " + human_count(r.params_active) + " active" +
                                 (r.params_mtp > 0 ? ", + " + human_count(r.params_mtp) + " in multi-token prediction" : ""));
  if (!r.valid) {
    out << "\nimpossible plan:\n";
    for (const auto& problem : r.problems) out << "  - " << problem << "\n";
    return;
  }
  out << "\n";
  table_row(out, "step time", fixed_decimals(r.step_time_s, 3) + " s (" + std::to_string(r.microbatches) + (r.microbatches == 1 ? " micro-batch)" : " micro-batches)"));
  table_row(out, "throughput", human_count(r.tokens_per_second) + " tokens/s");
  table_row(out, "model TFLOP/s per GPU", fixed_decimals(r.tflops_per_gpu, 1));
  table_row(out, "MFU / HFU (bf16 peak)", fixed_decimals(100 * r.mfu, 1) + "% / " + fixed_decimals(100 * r.hfu, 1) + "%");
  if (r.mfu_fp8 > 0) table_row(out, "MFU (fp8 peak)", fixed_decimals(100 * r.mfu_fp8, 1) + "%");
  table_row(out, "memory per GPU", fixed_decimals(r.memory_per_gpu_gib, 1) + " of " + fixed_decimals(r.memory_capacity_gib, 0) + " GiB" +
                                       (r.memory_headroom_gib > 0 ? " less " + fixed_decimals(r.memory_headroom_gib, 1) + " GiB headroom" : "") +
                                       (r.fits_in_device_memory ? "" : "  -- DOES NOT FIT"));
  table_row(out, "  weights / grads / optimizer", fixed_decimals(r.memory.weights_bytes / (1 << 30), 1) + " / " +
                                                     fixed_decimals(r.memory.gradients_bytes / (1 << 30), 1) + " / " +
                                                     fixed_decimals(r.memory.optimizer_bytes / (1 << 30), 1) + " GiB");
  table_row(out, "  activations / overhead", fixed_decimals(r.memory.activations_bytes / (1 << 30), 1) + " / " +
                                                 fixed_decimals(r.memory.overhead_bytes / (1 << 30), 1) + " GiB");
  if (r.plan.activation_offload_layers > 0)
    table_row(out, "  offloaded to host memory", fixed_decimals(r.host_memory_gib, 1) + " of " +
                                                     fixed_decimals(r.host_memory_capacity_gib, 0) + " GiB (" +
                                                     std::to_string(r.plan.activation_offload_layers) + " layers' activations)" +
                                                     (r.host_memory_gib <= r.host_memory_capacity_gib ? "" : "  -- DOES NOT FIT"));
  if (r.time_to_train_days > 0) table_row(out, "time to train (no failures)", fixed_decimals(r.time_to_train_days, 1) + " days");
  out << "\n  where a step's time goes       seconds    share\n";
  const StepBreakdown& b = r.breakdown;
  std::vector<std::pair<const char*, double>> parts = {
      {"compute", b.compute_s},         {"tensor-parallel comm", b.tp_comm_s}, {"context-parallel comm", b.cp_comm_s},
      {"expert-parallel comm", b.ep_comm_s}, {"pipeline p2p", b.pp_comm_s},   {"data-parallel comm", b.dp_comm_s},
      {"pipeline bubble", b.pipeline_bubble_s}, {"optimizer", b.optimizer_s},
      {"slowest GPU", b.straggler_s}, {"links shared by kinds", b.link_sharing_s},
      {"activation offload", b.activation_offload_s}};
  if (r.plan.activation_offload_layers <= 0) parts.pop_back();  // the line of a plan that offloads
  for (const auto& [name, seconds] : parts) {
    std::string label = name;
    label.resize(30, ' ');
    std::string value = fixed_decimals(seconds, 3);
    value.insert(0, value.size() < 9 ? 9 - value.size() : 0, ' ');
    out << "  " << label << value << "   " << fixed_decimals(100 * seconds / r.step_time_s, 1) << "%\n";
    if (std::string(name) == "compute") {  // what the compute is made of (compute_parts.hpp)
      const ComputeParts& c = b.compute_parts;
      out << "    GEMMs " << fixed_decimals(c.gemm_s, 3) << ", attention " << fixed_decimals(c.attention_s, 3) << ", memory-bound "
          << fixed_decimals(c.memory_bound_s, 3) << (c.fp8_cast_s > 0 ? ", fp8 casts " + fixed_decimals(c.fp8_cast_s, 3) : "")
          << (c.head_s > 0 ? ", output head" + std::string(r.params_mtp > 0 ? " and MTP " : " ") + fixed_decimals(c.head_s, 3) : "") << "\n";
    }
  }
  write_placement_lines(sc, p, out);  // placement: the instance costed per group kind and the tiers it crosses
  for (const auto& note : r.notes) out << "  note: " << note << "\n";
  const PerformanceProfile& profile = sc.profile;
  // Collective bandwidth: which curves a measurement replaced (intra- and inter-node).
  auto busbw_kind = [&](int level) {
    int measured = 0, curves = 0;
    for (int kind = 0; kind < 5; ++kind) {
      if (profile.busbw_gb_s[level][kind].empty()) continue;
      ++curves;
      if (profile.busbw_measured[level][kind]) ++measured;
    }
    if (curves == 0) return std::string("nominal link rates");
    if (measured == curves) return std::string("measured");
    return measured == 0 ? std::string("published") : std::to_string(measured) + " of " + std::to_string(curves) + " curves measured";
  };
  const AttentionFigureUsed attention = attention_figure_used(sc, p);
  const std::string attention_text =
      attention.fused ? ", fused attention " + (attention.provenance.rfind("published", 0) == 0   ? std::string("published")
                                                : attention.provenance.rfind("measured", 0) == 0 ? std::string("measured")
                                                                                                : std::string("assumed")) +
                            " (" + attention.kernel + " at " + fixed_decimals(attention.fraction, 2) + " of the bf16 peak here)"
                      : std::string();
  out << "\n  hardware figures: GEMM efficiency " << (profile.gemm_measured ? "measured" : "published") << ", HBM bandwidth "
      << (profile.hbm_measured ? "measured" : "published") << attention_text << ", busbw in a node " << busbw_kind(0)
      << ", across nodes " << busbw_kind(1) << " (--format json lists the sources)\n";
}

// Per group kind: the instance costed (the slowest under the plan's rank order) and the tiers
// it crosses (docs/network-model.md, "The slowest instance").
nlohmann::json placement_json(const Scenario& scenario, const ParallelPlan& plan) {
  nlohmann::json j = nlohmann::json::object();
  j["rank_order"] = to_string(plan.rank_order);
  for (const PlacedGroup& g : place_groups(scenario, plan))
    j[g.kind] = {{"size", g.size}, {"stride", g.stride}, {"one_stride", g.one_stride}, {"instance_first_rank", g.first_rank},
                 {"tiers_crossed", g.tiers_crossed},
                 {"rank0_top_tier", g.rank0_tier < 0 ? std::string("nvlink") : g.tiers_crossed.size() > std::size_t(g.rank0_tier + 1)
                                                                               ? g.tiers_crossed[std::size_t(g.rank0_tier + 1)]
                                                                               : std::string("?")}};
  return j;
}

void write_csv(const PlanResult& r, const RunEconomics* e, std::ostream& out) {
  write_rows({plan_csv_header(e != nullptr), plan_csv_cells(r, e)}, true, out);
}

}  // namespace

void write_plan_report(const Scenario& scenario, const PlanResult& result, const RunEconomics* economics,
                       ReportFormat format, std::ostream& out, const UncertaintyReport& uncertainty) {
  switch (format) {
    case ReportFormat::table:
      write_table(scenario, result, out);
      if (economics && result.valid) write_economics_table(*economics, out);
      if (uncertainty.summary && result.valid && (!economics || has_time_to_train(*economics)))  // ---- uncertainty ----
        write_uncertainty_table(*uncertainty.summary, out);
      break;
    case ReportFormat::json: {
      nlohmann::json j = plan_result_json(result);
      if (economics && result.valid) j.update(economics_json(*economics));
      if (uncertainty.summary && uncertainty.model && result.valid && (!economics || has_time_to_train(*economics)))  // ---- uncertainty ----
        j.update(uncertainty_json(*uncertainty.summary, *uncertainty.model, uncertainty.source));
      j["model"] = scenario.model.name;
      j["gpu"] = scenario.gpu.name;
      j["fabric"] = scenario.fabric.name;
      j["job"] = plan_options_json(result.plan, scenario.job, true);
      j["provenance"] = provenance_json(scenario, result.plan);
      j["placement"] = placement_json(scenario, result.plan);  // placement: the group instances costed
      out << j.dump(2) << "\n";
      break;
    }
    case ReportFormat::csv: write_csv(result, economics, out); break;
  }
}

}  // namespace trainplan
