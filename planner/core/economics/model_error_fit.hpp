#pragma once
// The model-error distribution of one class (dense or MoE) fitted from validate's residuals with a
// group (source) term. The rows of one group share a source, a software stack and a measurement
// habit, so their residuals are correlated: a plan for a new cluster is a new group, whose error is
// the group's own offset plus a row's scatter around it. Pooling the rows (one empirical list) gives
// the scatter of rows of groups already seen and understates the first.
//
// The estimator (one-way random effects on the log factor, method of moments; docs/uncertainty.md):
//   y = ln(real / predicted step time) of a timing row = mu + b_group + e_row
//   group means m_g over the n_g rows of group g; mu = the mean of the m_g (each source counts once)
//   within-group variance  s_w^2 = sum over groups of sum (y - m_g)^2 / sum (n_g - 1)  (groups of 2+ rows)
//   between-group variance tau^2 = max(0, var(m_g) - mean(s_w^2 / n_g))  (var over the groups, k - 1)
// The distribution of a new group's row is mu + d_g + r: d_g the groups' offsets (m_g - mu) scaled so
// their variance is tau^2, r the rows' deviations from their group mean scaled so their mean square is
// s_w^2, every (d_g, r) pair one value (the shapes of both are kept: a skewed class stays skewed).
// Pure; no tuned constant.
#include <string>
#include <vector>

#include "planner/core/validation.hpp"

namespace trainplan {

struct GroupedFactor {
  std::string group;
  double factor = 1;  // real step time / predicted (1 + speed bias / 100), > 0
};

struct ModelErrorFit {
  int groups = 0;               // distinct groups
  int rows = 0;
  double log_centre = 0;        // mu
  double within_sd = 0;         // s_w (log)
  double between_sd = 0;        // tau (log)
  std::vector<double> factors;  // exp(mu + d_g + r) for every pair, sorted; empty without rows
  // The factor below which a fraction q of `factors` lies (type 7); 1 when empty.
  double quantile(double q) const;
  // `count` evenly spaced quantiles 0, 1/(count-1), ..., 1 of `factors`: the list planner/data/uncertainty.yaml
  // ships (an empirical distribution interpolates linearly between them).
  std::vector<double> quantile_list(int count) const;
};

// The fit over `rows` (factors <= 0 or not finite are skipped).
ModelErrorFit fit_model_error(const std::vector<GroupedFactor>& rows);

// The timing rows of one class (`moe`) of a validation run with their groups: `cases[i]` produced
// `rows[i]`; rows without a speed bias (parameter counts, rows not evaluated) are left out.
std::vector<GroupedFactor> grouped_model_error(const std::vector<ValidationCase>& cases, const std::vector<ValidationRow>& rows, bool moe);

// What planner/data/uncertainty.yaml's model_error_dense / model_error_moe are: the fit of the class.
inline ModelErrorFit fit_model_error(const std::vector<ValidationCase>& cases, const std::vector<ValidationRow>& rows, bool moe) {
  return fit_model_error(grouped_model_error(cases, rows, moe));
}

}  // namespace trainplan
