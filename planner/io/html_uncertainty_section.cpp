// The decision report's uncertainty band (docs/uncertainty.md): the answer as a range rather than one
// number, from the same samples `plan` prints.
#include <ostream>

#include "html_blocks.hpp"
#include "html_sections.hpp"

namespace trainplan {

using namespace html;

namespace {

std::string multiplier(double m) { return "×" + fixed(m, 2); }

}  // namespace

void write_uncertainty_band(const DecisionReport& r, std::ostream& out) {
  if (!r.has_uncertainty && r.scenario.job.training_tokens <= 0) {
    out << "<div class=\"placeholder\" id=\"model-uncertainty\"><b>No range without --tokens:</b> the band is one of days "
           "and dollars.</div>\n";
    return;
  }
  if (!r.has_uncertainty) {
    out << "<div class=\"placeholder\" id=\"model-uncertainty\"><b>Model uncertainty: not sampled for this report.</b> "
           "The range above is the Monte-Carlo spread of failures, restarts and lost work; it assumes the step time is right. "
           "The model's own error against published runs is in <a href=\"#validation\">Validation</a>";
    if (r.has_validation && r.validation.timing.cases > 0)
      out << " (mean |error| " << fixed(r.validation.timing.mean_abs_error_pct, 1) << "% over " << r.validation.timing.cases
          << " timing rows)";
    out << "; <code>plan</code>, <code>search</code>, <code>size</code> and <code>report</code> sample it unless "
           "<code>--uncertainty-samples 0</code>.</div>\n";
    return;
  }
  const UncertaintySummary& u = r.uncertainty;
  out << "<div class=\"band\" id=\"model-uncertainty\"><h3>The answer as a range</h3>\n<p>With the model's own error and the "
         "uncertain inputs sampled (" << u.samples << " Latin hypercube samples, seed " << u.seed
      << "; the layout kept, not re-searched), p10 / p50 / p90:</p>\n";
  std::vector<std::vector<std::string>> rows{{"", "p10", "p50", "p90"},
                                             {"days with failures", fixed(u.days.p10, 1), fixed(u.days.p50, 1), fixed(u.days.p90, 1)},
                                             {"days failure-free", fixed(u.days_failure_free.p10, 1), fixed(u.days_failure_free.p50, 1),
                                              fixed(u.days_failure_free.p90, 1)},
                                             {"cost", usd(u.cost_usd.p10), usd(u.cost_usd.p50), usd(u.cost_usd.p90)}};
  for (auto& row : rows) row[0] = esc(row[0]);
  table(out, rows);
  if (u.valid_samples < u.samples)
    out << "<p class=\"problem\">The plan is impossible in " << (u.samples - u.valid_samples) << " of " << u.samples
        << " samples; the percentiles are over the others.</p>\n";
  if (!u.tornado.empty()) {
    out << "<p class=\"caption\">What moves it most: each input swung from its p10 to its p90, the others at their p50.</p>\n";
    std::vector<std::vector<std::string>> bars{{"input", "multiplier p10 → p90", "days with failures", "cost"}};
    for (const TornadoBar& bar : u.tornado)
      bars.push_back({esc(to_string(bar.input)), multiplier(bar.multiplier_p10) + " → " + multiplier(bar.multiplier_p90),
                      fixed(bar.days_at_p10, 1) + " → " + fixed(bar.days_at_p90, 1), usd(bar.cost_at_p10) + " → " + usd(bar.cost_at_p90)});
    table(out, bars);
  }
  out << "<p class=\"note\">The model error is the " << esc(to_string(u.model_error_input))
      << " class, fitted from the residuals of <code>trainplan validate</code>; the distributions and their sources: "
      << esc(r.uncertainty_source.empty() ? "bundled uncertainty" : r.uncertainty_source)
      << " (docs/uncertainty.md). The Monte-Carlo range above covers failures alone.</p>\n</div>\n";
}

}  // namespace trainplan
