#include "planner/core/economics/band_coverage.hpp"

#include <cmath>

#include "planner/core/economics/uncertainty.hpp"

namespace trainplan {

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
      // The band of this (group, class): the other groups' factors of the same class.
      GroupCoverage g;
      g.group = rows[i].group;
      g.moe = moe;
      std::vector<double> others;
      for (std::size_t k = 0; k < n; ++k)
        if (!std::isnan(factor[k]) && rows[k].group != g.group && cases[k].scenario.model.is_moe() == moe) others.push_back(factor[k]);
      if (!others.empty()) {
        g.band_low = quantile_of(others, low_quantile);
        g.band_high = quantile_of(others, high_quantile);
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
