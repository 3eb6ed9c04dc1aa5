#pragma once
// How honest the stated band is: leave one validation group out, fit the model-error distribution
// (as planner/data/uncertainty.yaml's model_error_* are fitted: validate's residuals, dense and MoE
// apart, with the group term of planner/core/economics/model_error_fit.hpp) on the other groups, and
// check whether each left-out row's real factor (published step time over predicted) falls inside
// that distribution's p10..p90. A calibrated 80% band covers about 80% of rows. Pure: the rows come
// from the caller (trainplan validate).
#include <string>
#include <vector>

#include "planner/core/validation.hpp"

namespace trainplan {

struct GroupCoverage {
  std::string group;
  bool moe = false;
  int rows = 0;            // timing rows of the group with a speed bias
  int inside = 0;          // of those, inside the band fitted without the group
  double band_low = 0;     // that band's factors (p10, p90); 0 when the other groups give none (JSON: null)
  double band_high = 0;
  int other_groups = 0;    // groups of the class the band was fitted on
};

struct BandCoverage {
  double low_quantile = 0.1, high_quantile = 0.9;
  int rows = 0, inside = 0;                 // all classes
  int dense_rows = 0, dense_inside = 0;
  int moe_rows = 0, moe_inside = 0;
  std::vector<GroupCoverage> groups;        // (group, class) in order of first appearance
  double fraction() const { return rows > 0 ? static_cast<double>(inside) / rows : 0.0; }
  // The fewest groups any held-out band of a class with rows was fitted on. Under 2, that band has
  // no between-group spread to estimate and the coverage says little about a new group.
  int fewest_other_groups() const;
};

// `cases[i]` produced `rows[i]`. A row whose class has no other group is counted outside.
BandCoverage leave_one_group_out_coverage(const std::vector<ValidationCase>& cases, const std::vector<ValidationRow>& rows,
                                          double low_quantile = 0.1, double high_quantile = 0.9);

}  // namespace trainplan
