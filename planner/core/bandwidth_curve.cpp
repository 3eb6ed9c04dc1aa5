#include "bandwidth_curve.hpp"

#include <algorithm>
#include <cmath>

namespace trainplan {

CurveValue interpolate(const SizeCurve& curve, double size) {
  if (curve.empty()) return {0.0, true};
  const auto& x = curve.sizes;
  const auto& y = curve.values;
  if (size <= x.front()) {
    if (size == x.front()) return {y.front(), false};
    return {y.front() * size / x.front(), true};
  }
  if (size >= x.back()) return {y.back(), size > x.back()};
  const auto upper = std::upper_bound(x.begin(), x.end(), size);
  const std::size_t i = static_cast<std::size_t>(upper - x.begin());
  const double t = (std::log(size) - std::log(x[i - 1])) / (std::log(x[i]) - std::log(x[i - 1]));
  return {y[i - 1] + t * (y[i] - y[i - 1]), false};
}

}  // namespace trainplan
