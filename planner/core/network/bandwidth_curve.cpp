#include "planner/core/network/bandwidth_curve.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace trainplan {

SizeCurve::SizeCurve(std::vector<double> point_sizes, std::vector<double> point_values)
    : sizes(std::move(point_sizes)), values(std::move(point_values)) {
  const std::vector<double>& x = sizes.as_vector();
  if (x.size() != values.size())
    throw std::invalid_argument("size curve: " + std::to_string(x.size()) + " sizes but " +
                                std::to_string(values.size()) + " values");
  log_sizes_.reserve(x.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!(x[i] > 0) || !std::isfinite(x[i]))
      throw std::invalid_argument("size curve: size " + std::to_string(x[i]) + " is not a finite positive number");
    if (i > 0 && !(x[i] > x[i - 1]))
      throw std::invalid_argument("size curve: sizes must be strictly ascending (" + std::to_string(x[i - 1]) +
                                  " then " + std::to_string(x[i]) + ")");
    log_sizes_.push_back(std::log(x[i]));
  }
}

CurveValue interpolate(const SizeCurve& curve, double size) {
  if (curve.empty()) return {0.0, true};
  const CurveColumn& x = curve.sizes;
  const CurveColumn& y = curve.values;
  if (size <= x.front()) {
    if (size == x.front()) return {y.front(), false};
    return {y.front() * size / x.front(), true};
  }
  if (size >= x.back()) return {y.back(), size > x.back()};
  const auto upper = std::upper_bound(x.begin(), x.end(), size);
  const std::size_t i = static_cast<std::size_t>(upper - x.begin());
  // The same arithmetic as taking all three logarithms here: log() of a stored size is what the
  // constructor cached, bit for bit.
  const std::vector<double>& log_x = curve.log_sizes();
  const double t = (std::log(size) - log_x[i - 1]) / (log_x[i] - log_x[i - 1]);
  return {y[i - 1] + t * (y[i] - y[i - 1]), false};
}

}  // namespace trainplan
