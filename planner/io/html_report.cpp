#include "html_report.hpp"
#include "number_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <sstream>

#include "html_blocks.hpp"
#include "html_sections.hpp"
#include "plan_report.hpp"

namespace trainplan {

namespace {

using namespace html;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Without --tokens there is no time to train, run cost or energy: the page says so instead of zeros.
constexpr const char* kNoTokens = "Give --tokens for the time to train, the run's cost and its energy.";
bool has_tokens(const DecisionReport& r) { return r.scenario.job.training_tokens > 0; }

struct Part {
  const char* name;
  double seconds;
};

std::vector<Part> step_parts(const StepBreakdown& b) {
  return {{"compute", b.compute_s},
          {"tensor-parallel comm", b.tp_comm_s},
          {"context-parallel comm", b.cp_comm_s},
          {"expert-parallel comm", b.ep_comm_s},
          {"pipeline p2p", b.pp_comm_s},
          {"data-parallel comm", b.dp_comm_s},
          {"pipeline bubble", b.pipeline_bubble_s},
          {"optimizer", b.optimizer_s},
          {"slowest GPU", b.straggler_s},
          {"links shared by kinds", b.link_sharing_s},
          {"activation offload", b.activation_offload_s}};
}

constexpr const char* kPartColours[] = {"#0072B2", "#D55E00", "#CC79A7", "#E69F00", "#56B4E9", "#009E73", "#999999", "#000000", "#F0E442", "#882255", "#44AA99"};

const ReportPlan* best_valid(const DecisionReport& r) {
  for (const ReportPlan& p : r.plans)
    if (p.result.valid) return &p;
  return nullptr;
}

// "tp2 pp8 dp384 cp8 ep64 vp15 mb1", for table cells.
std::string compact_layout(const ParallelPlan& p) {
  return "tp" + std::to_string(p.tp) + " pp" + std::to_string(p.pp) + " dp" + std::to_string(p.dp) + " cp" + std::to_string(p.cp) +
         " ep" + std::to_string(p.ep) + " vp" + std::to_string(p.vp) + " mb" + std::to_string(p.micro_batch);
}

// "bf16 · ZeRO 1 · SP · recompute full": the per-plan switches, in one cell.
std::string settings_text(const ParallelPlan& p) {
  std::string text = std::string(to_string(p.precision)) + " · ZeRO " + std::to_string(p.zero_stage);
  if (p.sequence_parallel && p.tp > 1) text += " · SP";  // as costed: nothing to split at tp 1
  if (p.recompute != Recompute::none) text += std::string(" · recompute ") + to_string(p.recompute);
  if (p.activation_offload_layers > 0) text += " · " + std::to_string(p.activation_offload_layers) + " layers offloaded";
  return text;
}

std::string layout_text(const ParallelPlan& p) {
  return "tp " + std::to_string(p.tp) + " · pp " + std::to_string(p.pp) + " · dp " + std::to_string(p.dp) + " · cp " +
         std::to_string(p.cp) + " · ep " + std::to_string(p.ep) + " · vp " + std::to_string(p.vp) + " · micro-batch " +
         std::to_string(p.micro_batch) + " · batch " + grouped(p.global_batch) + " × " + grouped(p.seq_len);
}

const char* kStyle = R"CSS(
:root { --ink:#1d1d1f; --muted:#5f6368; --rule:#d9d9de; --accent:#0072B2; --warn:#B00020; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: var(--ink);
       margin: 0; background: #fafafa; line-height: 1.45; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 32px 48px; background: white; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 8px; padding-top: 12px; border-top: 1px solid var(--rule); }
h3 { font-size: 15px; margin: 18px 0 6px; }
p.meta, p.caption, .note { color: var(--muted); font-size: 13px; }
code { font-family: "DejaVu Sans Mono", monospace; font-size: 12px; background: #f2f2f5; padding: 1px 4px; border-radius: 3px;
       overflow-wrap: anywhere; }
p.question { font-size: 18px; font-style: italic; }
p.answer { font-size: 20px; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0; }
.kpi { flex: 1 1 110px; border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }
.kpi .value { font-size: 22px; font-weight: 600; }
.kpi .label { font-size: 12px; color: var(--muted); }
.band { border: 1px solid var(--rule); border-radius: 6px; padding: 4px 14px 10px; margin: 12px 0; }
.placeholder { border: 2px dashed #b0b0b8; border-radius: 6px; padding: 10px 14px; color: var(--muted); margin: 12px 0; }
.problem { color: var(--warn); }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid var(--rule); padding: 4px 6px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
table.facts th { text-align: left; font-weight: 500; color: var(--muted); width: 40%; }
table.facts td { text-align: left; }
table.wide { width: 100%; }
table.wide td { white-space: nowrap; }
div.scroll { overflow-x: auto; max-width: 100%; }
nav a { margin-right: 12px; font-size: 13px; color: var(--accent); }
svg { max-width: 100%; height: auto; display: block; margin: 8px 0; }
footer { margin-top: 36px; font-size: 12px; color: var(--muted); }
)CSS";

// First in <head>: every script error and console error lands in the page, where a reader (and the
// headless-browser test, through --dump-dom) sees it.
const char* kErrorTrap = R"JS(
window.reportErrors = [];
window.addEventListener('error', function (e) {
  window.reportErrors.push(String(e.message || e));
  var check = document.getElementById('self-check');  // an error after the check still shows
  if (check) { check.setAttribute('data-js-errors', 'fail'); check.textContent += ' Script error: ' + String(e.message || e); }
});
(function () {
  var original = console.error;
  console.error = function () { window.reportErrors.push(Array.prototype.join.call(arguments, ' ')); original.apply(console, arguments); };
})();
)JS";

// Last in <body>: checks the charts as drawn by the browser (every text inside its chart; each legend
// inside its chart and clear of every plot frame) and writes the verdict into #self-check.
const char* kLayoutCheck = R"JS(
(function () {
  function inside(r, f) { return r.left >= f.left - 1 && r.top >= f.top - 1 && r.right <= f.right + 1 && r.bottom <= f.bottom + 1; }
  function overlap(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  var problems = [], charts = document.querySelectorAll('svg.chart'), legends = 0;
  charts.forEach(function (svg, i) {
    var frame = svg.getBoundingClientRect();
    var name = svg.getAttribute('data-name') || ('chart ' + (i + 1));
    svg.querySelectorAll('text').forEach(function (t) {
      if (!inside(t.getBoundingClientRect(), frame)) problems.push(name + ': text "' + t.textContent + '" is cut off');
    });
    svg.querySelectorAll('g.legend').forEach(function (g) {
      legends++;
      var box = g.getBoundingClientRect();
      if (!inside(box, frame)) problems.push(name + ': legend outside the chart');
      svg.querySelectorAll('rect.frame').forEach(function (plot) {
        if (overlap(box, plot.getBoundingClientRect())) problems.push(name + ': legend over a plot');
      });
    });
  });
  var page = document.documentElement;
  if (page.scrollWidth > page.clientWidth + 1) problems.push('the page is wider than the window (' + page.scrollWidth + ' > ' + page.clientWidth + ' px)');
  var check = document.getElementById('self-check');
  check.setAttribute('data-charts', String(charts.length));
  check.setAttribute('data-legends', String(legends));
  check.setAttribute('data-layout', problems.length ? 'fail' : 'ok');
  check.setAttribute('data-js-errors', window.reportErrors.length ? 'fail' : 'none');
  var lines = ['Page self-check: ' + charts.length + ' charts, ' + legends + ' legends; layout ' +
               (problems.length ? 'problems: ' + problems.join('; ') : 'ok') + '; script errors: ' +
               (window.reportErrors.length ? window.reportErrors.join('; ') : 'none') + '.'];
  check.textContent = lines.join(' ');
})();
)JS";

// How the answer was found (sentences under it), as a list.
void write_answer_notes(const DecisionReport& r, std::ostream& out) {
  if (r.answer_notes.empty()) return;
  out << "<ul class=\"note\">\n";
  for (const std::string& note : r.answer_notes) out << "<li>" << esc(note) << "</li>\n";
  out << "</ul>\n";
}

void write_answer(const DecisionReport& r, std::ostream& out) {
  const Scenario& sc = r.scenario;
  out << "<section id=\"answer\">\n<h2>The question</h2>\n<p class=\"question\">"
      << esc(r.question.empty() ? default_question(r) : r.question) << "</p>\n<h2>The answer</h2>\n";
  const ReportPlan* best = best_valid(r);
  if (r.has_calendar) {  // the finish dates answer; the last stretch's plan is detailed below
    write_calendar_answer(r, out);
    if (best)
      out << "<p>Last stretch: " << grouped(best->result.gpus) << " × " << esc(sc.gpu.name) << ", <code>" << esc(layout_text(best->result.plan))
          << "</code>, " << fixed(best->result.step_time_s, 2) << " s per step, MFU " << pct(best->result.mfu) << ".</p>\n";
    write_answer_notes(r, out);
    write_uncertainty_band(r, out);
    out << "</section>\n";
    return;
  }
  if (!best) {
    out << "<p class=\"answer problem\">No plan answers it.</p>\n<ul>\n";
    for (const ReportPlan& p : r.plans)
      for (const std::string& problem : p.result.problems) out << "<li>" << esc(problem) << "</li>\n";
    for (const std::string& note : r.answer_notes) out << "<li>" << esc(note) << "</li>\n";
    out << "</ul>\n";
  } else {
    const PlanResult& res = best->result;
    out << "<p class=\"answer\">";
    if (!has_tokens(r)) {  // no time to train, no run cost: what does not depend on the tokens
      out << "<b>" << fixed(res.step_time_s, 3) << " s per step</b> on <b>" << grouped(res.gpus) << " × " << esc(sc.gpu.name)
          << "</b>, MFU " << pct(res.mfu);
      if (best->has_economics)
        out << "; the cluster costs <b>" << usd(best->economics.cost_usd_per_hour) << " per hour</b> ("
            << esc(to_string(best->economics.basis)) << ")";
      out << ". " << kNoTokens;
    } else if (best->has_economics) {
      const RunEconomics& e = best->economics;
      out << "<b>" << days(e.time_to_train_days) << "</b> with failures and checkpoints";
      if (e.monte_carlo.runs > 0) {
        // A spread under a day gets hundredths, so a narrow range does not print as "4.3–4.3".
        const int decimals = e.monte_carlo.p90_days - e.monte_carlo.p10_days < 1 ? 2 : 1;
        out << " (p10–p90 " << fixed(e.monte_carlo.p10_days, decimals) << "–" << fixed(e.monte_carlo.p90_days, decimals)
            << " days over " << grouped(e.monte_carlo.runs) << " simulated runs)";
      }
      out << ", " << days(res.time_to_train_days) << " failure-free, on <b>" << grouped(res.gpus) << " × " << esc(sc.gpu.name)
          << "</b>; the run costs <b>" << usd(e.cost_usd) << "</b> (" << esc(to_string(e.basis)) << "; GPU price range "
          << usd(e.cost_usd_low) << "–" << usd(e.cost_usd_high) << ").";
      if (r.has_uncertainty)  // the band below, in one clause
        out << " With the model's own error and the uncertain inputs: <b>p10–p90 " << fixed(r.uncertainty.days.p10, 1) << "–"
            << fixed(r.uncertainty.days.p90, 1) << " days</b> with failures, " << usd(r.uncertainty.cost_usd.p10) << "–"
            << usd(r.uncertainty.cost_usd.p90) << ".";
    } else {
      out << "<b>" << days(res.time_to_train_days) << "</b> failure-free on <b>" << grouped(res.gpus) << " × " << esc(sc.gpu.name)
          << "</b>.";
    }
    out << "</p>\n";
    if (!res.fits_in_memory) out << "<p class=\"problem\">This plan does not fit in GPU memory.</p>\n";
    out << "<div class=\"kpis\">\n";
    const auto kpi = [&](const std::string& value, const std::string& label) {
      out << "<div class=\"kpi\"><div class=\"value\">" << esc(value) << "</div><div class=\"label\">" << esc(label) << "</div></div>\n";
    };
    kpi(grouped(res.gpus), "GPUs (" + sc.gpu.name + ")");
    if (!has_tokens(r)) kpi(fixed(res.step_time_s, 3) + " s", "per step");
    if (has_tokens(r) && best->has_economics) kpi(days(best->economics.time_to_train_days), "time to train with failures");
    if (has_tokens(r)) kpi(days(res.time_to_train_days), "failure-free");
    kpi(pct(res.mfu), "MFU (bf16 peak)");
    if (best->has_economics && !has_tokens(r)) kpi(usd(best->economics.cost_usd_per_hour), "per hour");
    if (best->has_economics && has_tokens(r)) {
      kpi(usd(best->economics.cost_usd), "cost (" + std::string(to_string(best->economics.basis)) + ")");
      kpi(pct(best->economics.goodput), "goodput");
      kpi(fixed(best->economics.power_mw, 1) + " MW", "power at the meter");
    }
    out << "</div>\n<p>Best layout: <code>" << esc(layout_text(res.plan)) << "</code>, " << esc(to_string(res.plan.precision))
        << ", recompute " << esc(to_string(res.plan.recompute)) << ", ZeRO " << res.plan.zero_stage
        << (res.plan.sequence_parallel && res.plan.tp > 1 ? ", sequence parallel" : "") << ".</p>\n";
    write_answer_notes(r, out);
  }
  write_uncertainty_band(r, out);
  out << "</section>\n";
}

void write_layouts(const DecisionReport& r, std::ostream& out) {
  out << "<section id=\"layouts\">\n<h2>Best layouts</h2>\n";
  if (!r.plans_caption.empty()) out << "<p class=\"caption\">" << esc(r.plans_caption) << "</p>\n";
  if (r.plans.empty()) {
    out << "<p>No plan was evaluated.</p>\n</section>\n";
    return;
  }
  const double capacity = r.plans.front().result.memory_capacity_gib;
  std::vector<std::vector<std::string>> rows{{"plan", "fabric", "tp", "pp", "dp", "cp", "ep", "vp", "mb", "batch", "settings", "step s",
                                              "MFU", "GiB of " + fixed(capacity, 0), "days", "with failures", "cost"}};
  for (const ReportPlan& p : r.plans) {
    const PlanResult& res = p.result;
    const ParallelPlan& pl = res.plan;
    if (!res.valid) {
      std::vector<std::string> row(rows[0].size(), "");
      row[0] = esc(p.label);
      row[1] = esc(p.fabric);
      row[2] = "<span class=\"problem\">" + esc(res.problems.empty() ? "impossible" : res.problems.front()) + "</span>";
      rows.push_back(row);
      continue;
    }
    rows.push_back({esc(p.label), esc(p.fabric), std::to_string(pl.tp), std::to_string(pl.pp), std::to_string(pl.dp),
                    std::to_string(pl.cp), std::to_string(pl.ep), std::to_string(pl.vp), std::to_string(pl.micro_batch),
                    grouped(pl.global_batch), esc(settings_text(pl)), fixed(res.step_time_s, 3), pct(res.mfu),
                    fixed(res.memory_per_gpu_gib, 1),
                    has_tokens(r) ? fixed(res.time_to_train_days, 1) : "–",
                    has_tokens(r) && p.has_economics ? fixed(p.economics.time_to_train_days, 1) : "–",
                    has_tokens(r) && p.has_economics ? usd(p.economics.cost_usd) : "–"});
  }
  bool one_fabric = true;
  for (const ReportPlan& p : r.plans) one_fabric = one_fabric && p.fabric == r.plans.front().fabric;
  if (one_fabric) {
    for (auto& row : rows) row.erase(row.begin() + 1);
    out << "<p class=\"caption\">Fabric: " << esc(r.plans.front().fabric) << ".</p>\n";
  }
  table(out, rows, "wide");
  out << "</section>\n";
}

void write_step(const DecisionReport& r, std::ostream& out) {
  out << "<section id=\"step\">\n<h2>Where a step's time goes</h2>\n";
  const ReportPlan* best = best_valid(r);
  if (!best) {
    out << "<p>No valid plan.</p>\n</section>\n";
    return;
  }
  const PlanResult& res = best->result;
  out << "<p class=\"caption\">Plan " << esc(best->label) << ": " << fixed(res.step_time_s, 3) << " s per step ("
      << res.microbatches << " micro-batches per pipeline), seconds on the critical path of the busiest stage; "
      << "communication counts only where it is not hidden behind compute.</p>\n";
  out << step_breakdown_svg(res.breakdown);
  std::vector<std::vector<std::string>> rows{{"part", "seconds", "share"}};
  for (const Part& part : step_parts(res.breakdown))
    rows.push_back({part.name, fixed(part.seconds, 3), res.step_time_s > 0 ? pct(part.seconds / res.step_time_s) : "–"});
  table(out, rows);
  // What the compute line is made of (compute_parts.hpp).
  const ComputeParts& c = res.breakdown.compute_parts;
  const double compute = res.breakdown.compute_s;
  out << "<h3>Compute by kind of work</h3>\n<p class=\"caption\">Forward, backward and recomputation together, "
      << "m micro-batches of the busiest stage; the parts sum to the compute line above.</p>\n";
  std::vector<std::vector<std::string>> compute_rows{{"work", "seconds", "share of compute"}};
  const std::pair<const char*, double> compute_parts[] = {{"GEMMs (projections, MLP or experts, router)", c.gemm_s},
                                                          {"attention core", c.attention_s},
                                                          {"memory-bound kernels", c.memory_bound_s},
                                                          {"fp8 operand casts", c.fp8_cast_s},
                                                          {"output head and MTP", c.head_s}};
  for (const auto& [name, seconds] : compute_parts)
    compute_rows.push_back({name, fixed(seconds, 3), compute > 0 ? pct(seconds / compute) : "–"});
  table(out, compute_rows);
  const MemoryBreakdown& m = res.memory;
  const double gib = 1 << 30;
  out << "<h3>Memory per GPU (busiest stage)</h3>\n";
  table(out, {{"weights", "gradients", "optimizer", "activations", "overhead", "total", "capacity"},
              {fixed(m.weights_bytes / gib, 1), fixed(m.gradients_bytes / gib, 1), fixed(m.optimizer_bytes / gib, 1),
               fixed(m.activations_bytes / gib, 1), fixed(m.overhead_bytes / gib, 1), fixed(res.memory_per_gpu_gib, 1) + " GiB",
               fixed(res.memory_capacity_gib, 0) + " GiB"}});
  out << "</section>\n";
}

void write_sweep(const DecisionReport& r, std::ostream& out) {
  out << "<section id=\"sweep\">\n<h2>Time to train against GPUs</h2>\n";
  if (r.sweep.empty()) {
    out << "<p class=\"note\">No sweep in this report: <code>trainplan report</code> and <code>trainplan sweep --report</code> "
           "draw the curve over GPU counts.</p>\n</section>\n";
    return;
  }
  const Scenario& sc = r.scenario;
  out << "<p class=\"caption\">The best plan at each GPU count: failure-free (solid) and with failures and checkpoints (dashed";
  bool any_band = false, any_range = false;
  for (const ReportSweepCurve& c : r.sweep)
    for (const ReportSweepPoint& p : c.points) {
      any_band = any_band || (p.has_economics && p.economics.monte_carlo.runs > 0);
      any_range = any_range || p.has_range;
    }
  if (any_range)
    out << ", shaded from p10 to p90 with the model's own error and the uncertain inputs sampled (docs/uncertainty.md)";
  else if (any_band)
    out << ", shaded from the Monte-Carlo p10 to p90";
  out << ")";
  if (r.deadline_days > 0) out << "; the red dotted line is the deadline";
  out << ".</p>\n";
  out << strip_prolog(svg::line_chart_svg(sweep_chart(r.sweep, sc.model.name + " on " + sc.gpu.name, r.deadline_days)));
  std::vector<std::vector<std::string>> rows{{"fabric", "GPUs", "days", "days with failures", "p10–p90", "MFU", "cost", "layout"}};
  for (const ReportSweepCurve& c : r.sweep)
    for (const ReportSweepPoint& p : c.points) {
      const CountOutcome& o = p.outcome;
      if (!o.found) {
        rows.push_back({esc(c.fabric), grouped(o.gpus), "<span class=\"problem\">" + esc(p.problem.empty() ? "no plan" : p.problem) + "</span>",
                        "", "", "", "", ""});
        continue;
      }
      const RunEconomics* e = p.has_economics ? &p.economics : nullptr;
      rows.push_back({esc(c.fabric), grouped(o.gpus), fixed(o.best.time_to_train_days, 1), e ? fixed(e->time_to_train_days, 1) : "–",
                      p.has_range ? fixed(p.days_range.p10, 1) + "–" + fixed(p.days_range.p90, 1)
                      : e && e->monte_carlo.runs > 0 ? fixed(e->monte_carlo.p10_days, 1) + "–" + fixed(e->monte_carlo.p90_days, 1)
                                                     : "–",
                      pct(o.best.mfu), e ? usd(e->cost_usd) : "–", esc(compact_layout(o.best.plan))});
    }
  table(out, rows, "wide");
  out << "</section>\n";
}

void write_fabric_and_cost(const DecisionReport& r, std::ostream& out) {
  const Fabric& f = r.scenario.fabric;
  out << "<section id=\"fabric\">\n<h2>Fabric: bill of materials</h2>\n";
  facts(out, {{"fabric", f.name},
              {"technology", f.technology},
              {"NICs", std::to_string(f.nics_per_gpu) + " per GPU at " + fixed(f.nic_gbit_s, 0) + " Gbit/s" +
                           (f.rail_optimized ? ", rail-optimized" : "") + (f.planes > 1 ? ", " + std::to_string(f.planes) + " planes" : "")},
              {"scale-up domain", std::to_string(f.scale_up.gpus) + " GPUs at " + fixed(f.scale_up.gb_s_per_direction, 0) +
                                      " GB/s per GPU per direction"},
              {"in-network reduction", f.in_network_reduction ? "yes (SHARP)" : "no"},
              {"source", provenance_text(f.provenance)}});
  if (r.has_fabric_size) {
    const FabricSize& s = r.fabric_size;
    std::vector<std::vector<std::string>> rows{{"tier", "switches", "radix", "link Gbit/s", "ports down / up", "oversubscription",
                                                "cables from below", "GB/s per GPU up"}};
    for (std::size_t i = 0; i < s.tiers.size(); ++i) {
      const TierSize& t = s.tiers[i];
      const FabricTier* spec = nullptr;
      for (const FabricTier& ft : f.tiers)
        if (ft.name == t.name) spec = &ft;
      rows.push_back({esc(t.name), grouped(t.switches), spec ? std::to_string(spec->switch_radix) : "–",
                      spec ? fixed(spec->link_gbit_s, 0) : "–",
                      spec ? std::to_string(spec->ports_down) + " / " + std::to_string(spec->ports_up) : "–",
                      spec ? fixed(spec->oversubscription(), 2) + ":1" : "–", grouped(t.cables_down), fixed(t.gb_s_per_gpu, 1)});
    }
    rows.push_back({"<b>total</b>", "<b>" + grouped(s.total_switches) + "</b>", "", "", "", "", "<b>" + grouped(s.total_cables) + "</b>", ""});
    out << "<p class=\"caption\">Sized for " << grouped(s.gpus) << " GPUs (" << grouped(s.nodes) << " nodes, " << grouped(s.nics)
        << " NICs); bisection " << fixed(s.bisection_gb_s / 1000, 1) << " TB/s per direction; the design reaches at most "
        << grouped(s.max_gpus) << " GPUs" << (s.reachable ? "" : " — <span class=\"problem\">fewer than the job needs</span>")
        << ".</p>\n";
    table(out, rows);
  }
  out << "<h2 id=\"cost\">Cost and energy</h2>\n";
  const ReportPlan* best = best_valid(r);
  if (!best || !best->has_economics) {
    out << "<p>No valid plan to cost.</p>\n</section>\n";
    return;
  }
  const RunEconomics& e = best->economics;
  const CapitalCost& c = e.capital;
  out << "<p class=\"caption\">Capital at typical prices (the inventory of plan " << esc(best->label) << ": "
      << grouped(e.inventory.gpus) << " GPUs, " << grouped(e.inventory.spare_gpus) << " spares, " << fixed(e.inventory.switches, 0)
      << " switches, " << fixed(e.inventory.cables, 0) << " cables, " << fixed(e.inventory.nics, 0) << " NICs, "
      << fixed(e.inventory.storage_tb, 0) << " TB of storage).</p>\n";
  table(out, {{"GPUs", "servers", "switches", "cables", "NICs", "storage", "total"},
              {usd(c.gpus_usd), usd(c.servers_usd), usd(c.switches_usd), usd(c.cables_usd), usd(c.nics_usd), usd(c.storage_usd),
               "<b>" + usd(c.total()) + "</b>"}});
  write_cost_breakdown_table(e, out);  // ---- cost breakdown with sources (html_cost_breakdown_section.cpp) ----
  if (!has_tokens(r)) {
    facts(out, {{"basis used", to_string(e.basis)},
                {"per hour", usd(e.cost_usd_per_hour) + " (range " + usd(e.cost_usd_per_hour_low) + "–" + usd(e.cost_usd_per_hour_high) + ")"},
                {"power", fixed(e.power_mw, 1) + " MW at the meter (" + fixed(e.it_power_mw, 1) + " MW IT; " + fixed(e.gpu_power_w, 0) +
                              " W per GPU)"},
                {"the run", kNoTokens}});
    out << "</section>\n";
    return;
  }
  facts(out, {{"basis used", to_string(e.basis)},
              {"buy: amortised capital + energy", usd(e.buy_usd) + " (range " + usd(e.buy_usd_low) + "–" + usd(e.buy_usd_high) + "; the run uses " +
                                                      pct(e.amortized_fraction) + " of the capital's life)"},
              {"rent: GPU-hours × rate", usd(e.rent_usd) + " (range " + usd(e.rent_usd_low) + "–" + usd(e.rent_usd_high) + ", " +
                                             std::to_string(e.rent_price_year) + " prices; " + human(e.gpu_hours) + " GPU-hours)"},
              {"power", fixed(e.power_mw, 1) + " MW at the meter (" + fixed(e.it_power_mw, 1) + " MW IT; " + fixed(e.gpu_power_w, 0) +
                            " W per GPU)"},
              {"energy", fixed(e.energy_mwh, 0) + " MWh, " + usd(e.energy_usd)}});
  out << "</section>\n";
}

void write_failures(const DecisionReport& r, std::ostream& out) {
  out << "<section id=\"failures\">\n<h2>Failures and goodput</h2>\n";
  const ReportPlan* best = best_valid(r);
  if (!best || !best->has_economics) {
    out << "<p>No valid plan.</p>\n</section>\n";
    return;
  }
  const RunEconomics& e = best->economics;
  const ReliabilityEstimate& rel = e.reliability;
  if (!has_tokens(r)) {  // what does not depend on the run's length
    facts(out, {{"job MTBF", fixed(rel.job_mtbf_s / 3600, 2) + " h"},
                {"checkpoint", fixed(rel.checkpoint_bytes / 1e12, 2) + " TB every " + fixed(rel.interval_s / 60, 1) + " min" +
                                   (rel.interval_optimal ? " (Young/Daly optimum)" : "") + ", blocking " +
                                   fixed(rel.checkpoint_block_s, 1) + " s"},
                {"goodput and time lost", kNoTokens}});
    out << "</section>\n";
    return;
  }
  facts(out, {{"goodput", pct(e.goodput) + " of the wall time trains"},
              {"job MTBF", fixed(rel.job_mtbf_s / 3600, 2) + " h"},
              {"interruptions expected", fixed(rel.expected_unexpected_interruptions, 0) + " unexpected, " +
                                             fixed(rel.expected_planned_interruptions, 0) + " planned"},
              {"checkpoint", fixed(rel.checkpoint_bytes / 1e12, 2) + " TB every " + fixed(rel.interval_s / 60, 1) + " min" +
                                 (rel.interval_optimal ? " (Young/Daly optimum)" : "") + ", blocking " +
                                 fixed(rel.checkpoint_block_s, 1) + " s"},
              {"time lost to checkpoints", days(rel.checkpoint_overhead_s / 86400)},
              {"work lost to failures", days(rel.lost_work_s / 86400)},
              {"restarts", days(rel.restart_overhead_s / 86400)},
              {"time to train", days(e.time_to_train_days_failure_free) + " failure-free → " + days(e.time_to_train_days) +
                                    " expected"}});
  const MonteCarloSummary& mc = e.monte_carlo;
  if (mc.runs > 0) {
    out << "<h3>Monte-Carlo of the whole run</h3>\n";
    table(out, {{"runs", "seed", "mean", "p10", "p50", "p90", "min", "max", "mean goodput"},
                {grouped(mc.runs), std::to_string(mc.seed), fixed(mc.mean_days, 2), fixed(mc.p10_days, 2), fixed(mc.p50_days, 2),
                 fixed(mc.p90_days, 2), fixed(mc.min_days, 2), fixed(mc.max_days, 2), pct(mc.mean_goodput)}});
  }
  if (!r.monte_carlo_note.empty()) out << "<p class=\"note\">" << esc(r.monte_carlo_note) << "</p>\n";
  out << "</section>\n";
}

std::string flat_json(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.dump();
}

void write_assumptions(const DecisionReport& r, std::ostream& out) {
  const Scenario& sc = r.scenario;
  const ModelShape& m = sc.model;
  out << "<section id=\"assumptions\">\n<h2>Assumptions</h2>\n<h3>Model</h3>\n";
  std::vector<std::pair<std::string, std::string>> model_rows{
      {"name", m.name},
      {"layers × hidden", std::to_string(m.layers) + " × " + grouped(m.hidden)},
      {"attention heads (KV heads)", std::to_string(m.heads) + " (" + std::to_string(m.kv_heads) + "), " + to_string(m.attention)},
      {"MLP", std::string(to_string(m.mlp)) + ", width " + grouped(m.ffn)},
      {"vocabulary", grouped(m.vocab)},
      {"source", provenance_text(m.provenance)}};
  if (m.is_moe())
    model_rows.insert(model_rows.begin() + 4, {"experts", std::to_string(m.moe.routed_experts) + " routed (top " + std::to_string(m.moe.top_k) +
                                                              ") + " + std::to_string(m.moe.shared_experts) + " shared, width " +
                                                              grouped(m.moe.expert_ffn) + ", first " +
                                                              std::to_string(m.moe.first_dense_layers) + " layers dense" +
                                                              (m.moe.layer_interval > 1 ? ", then 1 layer in " + std::to_string(m.moe.layer_interval) +
                                                                                              " MoE (" + std::to_string(m.moe_layers()) + " of " +
                                                                                              std::to_string(m.layers) + ")"
                                                                                        : std::string())});
  facts(out, model_rows);
  out << "<h3>Job</h3>\n";
  facts(out, {{"GPUs", grouped(sc.job.gpus) + " (" + std::to_string(sc.job.gpus_per_node) + " per node)"},
              {"training tokens", human(sc.job.training_tokens)}});
  if (const ReportPlan* best = best_valid(r)) {
    out << "<h3>Settings of the best plan</h3>\n";
    std::vector<std::pair<std::string, std::string>> rows;
    const nlohmann::json settings = plan_settings_json(best->result.plan);
    for (const auto& [key, value] : settings.items()) rows.push_back({key, flat_json(value)});
    facts(out, rows);
  }
  const Calibration& c = sc.calibration;
  out << "<h3>Calibration constants</h3>\n<p class=\"note\">The same for every plan and every validation row "
         "(docs/model.md); sustained_kernel_fraction is the one fitted to published runs (docs/validation.md).</p>\n";
  facts(out, {{"sustained_kernel_fraction", fixed(c.sustained_kernel_fraction, 3)},
              {"kernel_overhead_s", fixed(c.kernel_overhead_s * 1e6, 1) + " µs"},
              {"nvlink_efficiency", fixed(c.nvlink_efficiency, 3)},
              {"network_efficiency", fixed(c.network_efficiency, 3)},
              {"overlap_efficiency", fixed(c.overlap_efficiency, 3)},
              {"overlapped_comm_sm_share", fixed(c.overlapped_comm_sm_share, 3)},
              {"memory_overhead", fixed(c.memory_overhead_bytes / (1 << 30), 2) + " GiB"}});
  out << "<h3>Failures, checkpoints, cost and energy</h3>\n";
  if (r.economics_provenance.empty()) {
    out << "<p class=\"note\">Not recorded by this command.</p>\n";
  } else {
    std::vector<std::vector<std::string>> rows{{"setting", "source"}};
    for (const auto& [key, p] : r.economics_provenance) rows.push_back({"<code>" + esc(key) + "</code>", esc(provenance_text(p))});
    table(out, rows, "wide");
  }
  std::vector<std::string> notes;
  if (const ReportPlan* best = best_valid(r)) {
    notes = best->result.notes;
    if (best->has_economics) notes.insert(notes.end(), best->economics.notes.begin(), best->economics.notes.end());
  }
  if (!notes.empty()) {
    out << "<h3>Notes of the estimate</h3>\n<ul>\n";
    for (const std::string& n : notes) out << "<li>" << esc(n) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</section>\n";
}

void write_provenance(const DecisionReport& r, std::ostream& out) {
  const Scenario& sc = r.scenario;
  const GpuSpec& g = sc.gpu;
  const std::string spec = provenance_text(g.provenance);
  out << "<section id=\"provenance\">\n<h2>Provenance of every hardware figure</h2>\n";
  std::vector<std::vector<std::string>> rows{{"figure", "value", "source"}};
  const auto row = [&](const std::string& figure, const std::string& value, const std::string& source) {
    rows.push_back({esc(figure), esc(value), esc(source)});
  };
  row("GPU", g.name, spec);
  row("bf16 dense peak", fixed(g.bf16_dense_tflops, 0) + " TFLOP/s", spec);
  row("fp8 dense peak", g.fp8_dense_tflops > 0 ? fixed(g.fp8_dense_tflops, 0) + " TFLOP/s" : "none", spec);
  row("HBM capacity", fixed(g.hbm_gib, 0) + " GiB", spec);
  row("HBM bandwidth", fixed(g.hbm_tb_s, 2) + " TB/s", spec);
  row("NVLink per direction", fixed(g.nvlink_gb_s_per_direction, 0) + " GB/s", spec);
  row("TDP", fixed(g.tdp_w, 0) + " W", spec);
  // One figure, or the range of the published curves by mask, head dimension and length.
  const auto attention_text = [](const AttentionKernelFigures& k) {
    if (k.curves.empty()) return fixed(k.fraction, 2);
    double low = 1, high = 0;
    for (const AttentionCurve& c : k.curves)
      for (const double v : c.fraction_by_keys.values) low = std::min(low, v), high = std::max(high, v);
    return fixed(low, 2) + "-" + fixed(high, 2) + " by mask, head dimension and length";
  };
  if (g.flash2.stated()) row("FlashAttention-2, fraction of peak", attention_text(g.flash2), spec);
  if (g.flash3.stated()) row("FlashAttention-3, fraction of peak", attention_text(g.flash3), spec);
  const PerformanceProfile& p = sc.profile;
  row("GEMM efficiency by size", p.gemm_measured ? "measured curve" : "published curve", p.gemm_measured ? "measured (probe file)" : "published");
  row("achieved HBM bandwidth", fixed(100 * p.hbm_fraction, 0) + "% of peak", p.hbm_measured ? "measured (probe file)" : "published");
  const char* levels[] = {"in a node", "across nodes"};
  for (int level = 0; level < 2; ++level)
    for (int kind = 0; kind < 5; ++kind) {
      if (p.busbw_gb_s[level][kind].empty()) continue;
      row(std::string(to_string(static_cast<Collective>(kind))) + " bus bandwidth " + levels[level], "curve",
          p.busbw_measured[level][kind] ? "measured (probe file)" : "published");
    }
  row("collectives without a curve", "nominal link speed × calibrated efficiency", "docs/model.md");
  row("fabric " + sc.fabric.name, sc.fabric.technology, provenance_text(sc.fabric.provenance));
  table(out, rows, "wide");
  if (!p.sources.empty()) {
    out << "<h3>Sources of the performance profile</h3>\n<ul>\n";
    for (const std::string& s : p.sources) out << "<li>" << esc(s) << "</li>\n";
    out << "</ul>\n";
  }
  out << "</section>\n";
}

void write_validation(const DecisionReport& r, std::ostream& out) {
  out << "<section id=\"validation\">\n<h2>Validation: the model against published runs</h2>\n";
  if (!r.has_validation) {
    out << "<p class=\"note\">Not run for this report; <code>trainplan validate</code> prints it.</p>\n</section>\n";
    return;
  }
  const ReportValidation& v = r.validation;
  out << "<p>Over <b>" << v.timing.cases << "</b> published timing rows the model's mean |error| is <b>"
      << fixed(v.timing.mean_abs_error_pct, 1) << "%</b> (worst " << fixed(v.timing.max_abs_error_pct, 1) << "%, "
      << esc(v.timing.worst_case) << ")";
  if (v.parameters.cases > 0)
    out << "; over " << v.parameters.cases << " parameter counts " << fixed(v.parameters.mean_abs_error_pct, 2) << "%";
  out << ". Speed bias &gt; 0: the model is faster than the published run (optimistic).</p>\n";
  std::vector<std::vector<std::string>> rows{{"group", "timing rows", "mean |error|", "speed bias"}};
  for (const GroupSummary& g : v.groups)
    rows.push_back({esc(g.group), std::to_string(g.cases), fixed(g.mean_abs_error_pct, 1) + "%",
                    (g.mean_speed_bias_pct >= 0 ? "+" : "") + fixed(g.mean_speed_bias_pct, 1) + "%"});
  table(out, rows);
  out << "<p class=\"note\">The rows, their sources and where the errors come from: docs/validation.md.</p>\n</section>\n";
}

}  // namespace

svg::LineChart sweep_chart(const std::vector<ReportSweepCurve>& curves, const std::string& title, double deadline_days) {
  svg::LineChart chart;
  chart.title = title;
  chart.x_label = "GPUs";
  chart.panel_height = 220;
  svg::Panel time{"time to train (days)", {}, true};
  svg::Panel mfu{"MFU (%)", {}, true};
  svg::Panel cost{"cost ($M)", {}, true};
  double low = std::numeric_limits<double>::infinity(), high = 0;
  bool any_cost = false;
  for (const ReportSweepCurve& c : curves) {
    svg::Series free{c.fabric + ", failure-free", {}, {}, c.fabric};
    svg::Series failing{c.fabric + ", with failures", {}, {}, c.fabric, true};
    // MFU does not depend on failures; the cost is that of the expected run, failures included.
    svg::Series m{free.name, {}, {}, c.fabric};
    svg::Series money{failing.name, {}, {}, c.fabric, true};
    bool any_band = false, any_range = false;
    for (const ReportSweepPoint& p : c.points) {
      const CountOutcome& o = p.outcome;
      const double x = o.gpus;
      const bool costed = o.found && p.has_economics;
      const std::string reason = o.found ? "" : (p.problem.empty() ? "no plan" : p.problem);
      const bool band = costed && (p.has_range || p.economics.monte_carlo.runs > 0);
      any_band = any_band || band;
      any_range = any_range || (band && p.has_range);
      any_cost = any_cost || costed;
      for (svg::Series* s : {&free, &failing, &m, &money}) {
        s->x.push_back(x);
        s->gap_reasons.push_back(reason);
      }
      free.y.push_back(o.found ? o.best.time_to_train_days : kNaN);
      failing.y.push_back(costed ? p.economics.time_to_train_days : kNaN);
      failing.y_low.push_back(!band ? kNaN : p.has_range ? p.days_range.p10 : p.economics.monte_carlo.p10_days);
      failing.y_high.push_back(!band ? kNaN : p.has_range ? p.days_range.p90 : p.economics.monte_carlo.p90_days);
      m.y.push_back(o.found ? 100 * o.best.mfu : kNaN);
      money.y.push_back(costed ? p.economics.cost_usd / 1e6 : kNaN);
      low = std::min(low, x);
      high = std::max(high, x);
    }
    if (any_band) {
      failing.band_name = c.fabric + (any_range ? ", p10–p90 (model error and inputs)" : ", failures p10–p90");
    } else {
      failing.y_low.clear();
      failing.y_high.clear();
    }
    time.series.push_back(free);
    time.series.push_back(failing);
    // The gap crosses once per curve: the time panel's failure-free line carries them.
    m.gap_reasons.clear();
    money.gap_reasons.clear();
    time.series.back().gap_reasons.clear();
    mfu.series.push_back(m);
    cost.series.push_back(money);
  }
  if (deadline_days > 0) time.lines.push_back({deadline_days, "deadline " + fixed(deadline_days, 0) + " days"});
  chart.log2_x = high >= 4 * low;  // doubling ranges read best on a log scale
  chart.panels = {time, mfu};
  if (any_cost) chart.panels.push_back(cost);
  return chart;
}

std::string step_breakdown_svg(const StepBreakdown& b) {
  const double total = b.total();
  const std::vector<Part> parts = step_parts(b);
  constexpr double kWidth = 760, kLeft = 16, kRight = 16, kBarTop = 10, kBarHeight = 28;
  const double bar_width = kWidth - kLeft - kRight;
  std::ostringstream out;
  // Legend entries in rows under the bar, sized as the chart module sizes its legend.
  struct Entry {
    std::string label;
    const char* colour;
    double x, y;
  };
  std::vector<Entry> entries;
  double x = kLeft, y = kBarTop + kBarHeight + 12;
  // Parts under 0.05% of the step would be invisible slivers: the table below the bar lists them.
  const auto shown = [&](const Part& part) { return total > 0 && part.seconds >= 5e-4 * total; };
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!shown(parts[i])) continue;
    const std::string label = std::string(parts[i].name) + " " + fixed(parts[i].seconds, 3) + " s (" +
                              (total > 0 ? fixed(100 * parts[i].seconds / total, 1) : "0") + "%)";
    const double w = 16 + 6 + svg::text_width(label);
    if (x > kLeft && x + w > kWidth - kRight) {
      x = kLeft;
      y += svg::kLineHeight + 2;
    }
    entries.push_back({label, kPartColours[i], x, y});
    x += w + 18;
  }
  const double height = y + svg::kLineHeight + 8;
  out << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" data-name=\"step breakdown\" width=\"" << fixed(kWidth, 0)
      << "\" height=\"" << fixed(height, 0) << "\" viewBox=\"0 0 " << fixed(kWidth, 0) << " " << fixed(height, 0)
      << "\" font-family=\"sans-serif\" font-size=\"12\">\n<title>Where a step's time goes</title>\n";
  out << "<rect class=\"frame\" x=\"" << kLeft << "\" y=\"" << kBarTop << "\" width=\"" << fixed(bar_width, 2) << "\" height=\""
      << kBarHeight << "\" fill=\"#f4f4f4\" stroke=\"#444\"/>\n";
  double at = kLeft;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!shown(parts[i])) continue;
    const double w = bar_width * parts[i].seconds / total;
    out << "<rect class=\"part\" x=\"" << fixed(at, 2) << "\" y=\"" << kBarTop << "\" width=\"" << fixed(w, 2) << "\" height=\""
        << kBarHeight << "\" fill=\"" << kPartColours[i] << "\"><title>" << esc(parts[i].name) << ": " << fixed(parts[i].seconds, 3)
        << " s</title></rect>\n";
    at += w;
  }
  out << "<g class=\"legend\">\n";
  for (const Entry& e : entries)
    out << "<rect x=\"" << fixed(e.x, 2) << "\" y=\"" << fixed(e.y + 3, 2) << "\" width=\"16\" height=\"12\" fill=\"" << e.colour
        << "\"/>\n<text x=\"" << fixed(e.x + 22, 2) << "\" y=\"" << fixed(e.y + 9, 2) << "\" dominant-baseline=\"middle\">"
        << esc(e.label) << "</text>\n";
  out << "</g>\n</svg>\n";
  return out.str();
}

std::string default_question(const DecisionReport& r) {
  const Scenario& sc = r.scenario;
  const std::string tokens = human(sc.job.training_tokens) + " tokens";
  if (r.has_calendar && r.calendar.schedule)
    return "When does " + sc.model.name + " finish training on " + human(r.calendar.training_tokens) + " tokens as the " + sc.gpu.name +
           " GPUs of schedule " + r.calendar.schedule->name + " arrive, and with which layout at each phase?";
  if (r.command == "size" && r.deadline_days > 0)
    return "How many " + sc.gpu.name + " GPUs does " + sc.model.name + " need to train on " + tokens + " within " +
           fixed(r.deadline_days, 0) + " days, and what does the run cost?";
  if (r.command == "sweep")
    return "How does the time to train " + sc.model.name + " on " + tokens + " fall as " + sc.gpu.name + " GPUs are added" +
           (r.deadline_days > 0 ? ", and which count meets " + fixed(r.deadline_days, 0) + " days" : std::string()) + "?";
  if (r.command == "compare")
    return "Which fabric trains " + sc.model.name + " on " + grouped(sc.job.gpus) + " × " + sc.gpu.name + " fastest and cheapest?";
  const std::string deadline = r.command == "report" && r.deadline_days > 0
                                   ? " How many GPUs does a " + fixed(r.deadline_days, 0) + "-day deadline need?"
                                   : std::string();
  return "How long does " + sc.model.name + " take to train on " + tokens + " with " + grouped(sc.job.gpus) + " × " + sc.gpu.name +
         " (" + sc.fabric.name + "), with which layout, and what does it cost?" + deadline;
}

void write_html_report(const DecisionReport& r, std::ostream& out) {
  const Scenario& sc = r.scenario;
  const std::string title = "trainplan: " + sc.model.name + " on " + sc.gpu.name;
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "script-src 'unsafe-inline'; img-src data:\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>"
      << esc(title) << "</title>\n<script>" << kErrorTrap << "</script>\n<style>" << kStyle << "</style>\n</head>\n<body>\n<main>\n";
  out << "<h1>" << esc(title) << "</h1>\n<p class=\"meta\">Written by <code>trainplan " << esc(r.command) << "</code>";
  if (!r.command_line.empty()) out << ": <code>" << esc(r.command_line) << "</code>";
  out << ". An analytical estimate (docs/model.md); every figure below says where it comes from.</p>\n";
  out << "<nav><a href=\"#answer\">Answer</a>" << (r.has_calendar ? "<a href=\"#calendar\">Calendar</a>" : "") << "<a href=\"#layouts\">Layouts</a><a href=\"#step\">Step time</a>"
         "<a href=\"#sweep\">GPU counts</a><a href=\"#fabric\">Fabric</a><a href=\"#cost\">Cost</a><a href=\"#failures\">Failures</a>"
         "<a href=\"#assumptions\">Assumptions</a><a href=\"#provenance\">Provenance</a><a href=\"#validation\">Validation</a></nav>\n";
  write_answer(r, out);
  if (r.has_calendar) write_calendar_section(r, out);
  write_layouts(r, out);
  write_step(r, out);
  write_sweep(r, out);
  write_fabric_and_cost(r, out);
  write_failures(r, out);
  write_assumptions(r, out);
  write_provenance(r, out);
  write_validation(r, out);
  out << "<footer><p id=\"self-check\" data-layout=\"pending\" data-js-errors=\"pending\">Page self-check did not run "
         "(scripts are off).</p><p>trainplan decision report; self-contained: nothing is fetched.</p></footer>\n"
         "</main>\n<script>"
      << kLayoutCheck << "</script>\n</body>\n</html>\n";
}

std::string html_report(const DecisionReport& report) {
  std::ostringstream out;
  write_html_report(report, out);
  return out.str();
}

}  // namespace trainplan
