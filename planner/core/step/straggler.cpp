#include "planner/core/step/straggler.hpp"

#include <cmath>

namespace trainplan {

namespace {
double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// Phi^-1(p) by bisection: monotone, exact to double precision in 100 halvings of [-40, 40].
double standard_normal_quantile(double p) {
  double lo = -40.0, hi = 40.0;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (standard_normal_cdf(mid) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}
}  // namespace

double expected_max_standard_normal(long long n) {
  if (n <= 1) return 0.0;
  // The quantile's 100 bisection steps cost more than the rest of a plan's evaluation, and a search
  // or a set of samples asks for the same job size every time: one remembered value per thread
  // (the same value, computed once; docs/search.md, "Caching").
  thread_local long long remembered_n = 0;
  thread_local double remembered = 0;
  if (n == remembered_n) return remembered;
  const double nn = static_cast<double>(n);
  remembered = standard_normal_quantile((nn - 0.375) / (nn + 0.25));
  remembered_n = n;
  return remembered;
}

double straggler_seconds(double compute_s, long long gpus, double gpu_speed_cv) {
  if (compute_s <= 0 || gpu_speed_cv <= 0) return 0.0;
  return compute_s * gpu_speed_cv * expected_max_standard_normal(gpus);
}

}  // namespace trainplan
