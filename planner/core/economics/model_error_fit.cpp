#include "planner/core/economics/model_error_fit.hpp"

#include <algorithm>
#include <cmath>

#include "planner/core/economics/uncertainty.hpp"

namespace trainplan {

double ModelErrorFit::quantile(double q) const { return factors.empty() ? 1.0 : quantile_of(factors, q); }

std::vector<double> ModelErrorFit::quantile_list(int count) const {
  std::vector<double> list;
  if (factors.empty() || count < 1) return list;
  if (count == 1) return {quantile(0.5)};
  for (int i = 0; i < count; ++i) list.push_back(quantile(static_cast<double>(i) / (count - 1)));
  return list;
}

ModelErrorFit fit_model_error(const std::vector<GroupedFactor>& rows) {
  // Log factors by group, groups in order of first appearance.
  std::vector<std::string> names;
  std::vector<std::vector<double>> logs;
  for (const GroupedFactor& r : rows) {
    if (!(r.factor > 0) || !std::isfinite(r.factor)) continue;
    const auto it = std::find(names.begin(), names.end(), r.group);
    const std::size_t g = static_cast<std::size_t>(it - names.begin());
    if (it == names.end()) names.push_back(r.group), logs.emplace_back();
    logs[g].push_back(std::log(r.factor));
  }
  ModelErrorFit fit;
  fit.groups = static_cast<int>(names.size());
  if (names.empty()) return fit;

  const std::size_t k = names.size();
  std::vector<double> means(k);
  for (std::size_t g = 0; g < k; ++g) {
    double sum = 0;
    for (double y : logs[g]) sum += y;
    means[g] = sum / static_cast<double>(logs[g].size());
    fit.rows += static_cast<int>(logs[g].size());
  }
  double mu = 0;
  for (double m : means) mu += m;
  mu /= static_cast<double>(k);
  fit.log_centre = mu;

  // Within: deviations from the group mean, over groups of two rows or more.
  std::vector<double> deviations;
  double squares = 0, degrees = 0;
  for (std::size_t g = 0; g < k; ++g) {
    if (logs[g].size() < 2) continue;
    for (double y : logs[g]) {
      deviations.push_back(y - means[g]);
      squares += (y - means[g]) * (y - means[g]);
    }
    degrees += static_cast<double>(logs[g].size() - 1);
  }
  const double within_var = degrees > 0 ? squares / degrees : 0.0;
  fit.within_sd = std::sqrt(within_var);

  // Between: the spread of the group means less what the within scatter alone gives them.
  double between_var = 0, means_var = 0;
  if (k >= 2) {
    for (double m : means) means_var += (m - mu) * (m - mu);
    means_var /= static_cast<double>(k - 1);
    double noise = 0;
    for (std::size_t g = 0; g < k; ++g) noise += within_var / static_cast<double>(logs[g].size());
    noise /= static_cast<double>(k);
    between_var = std::max(0.0, means_var - noise);
  }
  fit.between_sd = std::sqrt(between_var);

  // Offsets scaled to variance tau^2; deviations scaled to mean square s_w^2.
  std::vector<double> offsets(k, 0.0);
  if (means_var > 0)
    for (std::size_t g = 0; g < k; ++g) offsets[g] = (means[g] - mu) * std::sqrt(between_var / means_var);
  if (!deviations.empty()) {
    const double mean_square = squares / static_cast<double>(deviations.size());
    const double scale = mean_square > 0 ? std::sqrt(within_var / mean_square) : 0.0;
    for (double& d : deviations) d *= scale;
  } else {
    deviations.push_back(0.0);
  }
  fit.factors.reserve(k * deviations.size());
  for (double d_g : offsets)
    for (double r : deviations) fit.factors.push_back(std::exp(mu + d_g + r));
  std::sort(fit.factors.begin(), fit.factors.end());
  return fit;
}

std::vector<GroupedFactor> grouped_model_error(const std::vector<ValidationCase>& cases, const std::vector<ValidationRow>& rows, bool moe) {
  std::vector<GroupedFactor> out;
  for (std::size_t i = 0; i < rows.size() && i < cases.size(); ++i) {
    if (cases[i].scenario.model.is_moe() != moe) continue;
    const double bias = speed_bias_pct(rows[i]);
    if (std::isnan(bias)) continue;
    out.push_back({rows[i].group, 1 + bias / 100});
  }
  return out;
}

}  // namespace trainplan
