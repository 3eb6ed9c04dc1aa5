#include "planner/core/economics/band_coverage.hpp"

#include <algorithm>
#include <cmath>

#include "planner/core/economics/model_error_fit.hpp"

namespace trainplan {

int BandCoverage::fewest_other_groups() const {
  int fewest = 0;
  bool first = true;
  for (const GroupCoverage& g : groups)
    if (first || g.other_groups < fewest) fewest = g.other_groups, first = false;
  return fewest;
}

BandCoverage leave_one_group_out_coverage(const std::vector<ValidationCase>& cases, const std::vector<ValidationRow>& rows,
                                          double low_quantile, double high_quantile) {
  BandCoverage coverage;
  coverage.low_quantile = low_quantile;
  coverage.high_quantile = high_quantile;
  const std::size_t n = std::min(cases.size(), rows.size());
  // The real factor of a timing row (1 + speed bias), NaN for parameter rows and rows not evaluated.
  std::vector<double> factor(n);
  for (std::size_t i = 0; i < n; ++i) factor[i] = 1 + speed_bias_pct(rows[i]) / 100;
  for (std::size_t i = 0; i < n; ++i) {
    if (std::isnan(factor[i])) continue;
    const bool moe = cases[i].scenario.model.is_moe();
    GroupCoverage* group = nullptr;
    for (GroupCoverage& g : coverage.groups)
      if (g.group == rows[i].group && g.moe == moe) group = &g;
    if (!group) {
      // The band of this (group, class): the model error fitted (with its group term) on the other
      // groups of the same class, as planner/data/uncertainty.yaml's is fitted on all of them.
      GroupCoverage g;
      g.group = rows[i].group;
      g.moe = moe;
      std::vector<GroupedFactor> others;
      for (std::size_t k = 0; k < n; ++k)
        if (!std::isnan(factor[k]) && rows[k].group != g.group && cases[k].scenario.model.is_moe() == moe)
          others.push_back({rows[k].group, factor[k]});
      const ModelErrorFit fit = fit_model_error(others);
      g.other_groups = fit.groups;
      if (!fit.factors.empty()) {
        g.band_low = fit.quantile(low_quantile);
        g.band_high = fit.quantile(high_quantile);
      }
      coverage.groups.push_back(g);
      group = &coverage.groups.back();
    }
    const bool inside = group->band_high > 0 && factor[i] >= group->band_low && factor[i] <= group->band_high;
    ++group->rows;
    group->inside += inside;
    ++coverage.rows;
    coverage.inside += inside;
    (moe ? coverage.moe_rows : coverage.dense_rows) += 1;
    (moe ? coverage.moe_inside : coverage.dense_inside) += inside;
  }
  return coverage;
}

}  // namespace trainplan
