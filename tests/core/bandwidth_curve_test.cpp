#include "planner/core/network/bandwidth_curve.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <type_traits>
#include <vector>

#include "planner/io/description_loader.hpp"
#include "planner/io/scenario_defaults.hpp"

namespace trainplan {

namespace {

// interpolate() as it was before SizeCurve cached log(size) of its points: three logarithms per
// lookup. The cached version must give the same bits.
CurveValue interpolate_taking_every_log(const std::vector<double>& x, const std::vector<double>& y, double size) {
  if (x.empty()) return {0.0, true};
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

// Sizes from a tenth of the first point to ten times the last, 64 per decade, plus every point and
// its two neighbouring doubles.
std::vector<double> sizes_across(const SizeCurve& curve) {
  std::vector<double> sizes;
  const double lo = std::log10(curve.sizes.front()) - 1, hi = std::log10(curve.sizes.back()) + 1;
  for (double e = lo; e <= hi; e += 1.0 / 64) sizes.push_back(std::pow(10.0, e));
  for (double x : curve.sizes) {
    sizes.push_back(x);
    sizes.push_back(std::nextafter(x, 0.0));
    sizes.push_back(std::nextafter(x, HUGE_VAL));
  }
  return sizes;
}

void expect_same_as_taking_every_log(const SizeCurve& curve) {
  for (double size : sizes_across(curve)) {
    const CurveValue cached = interpolate(curve, size);
    const CurveValue reference = interpolate_taking_every_log(curve.sizes.as_vector(), curve.values.as_vector(), size);
    EXPECT_EQ(cached.value, reference.value) << "size " << size;  // bit for bit
    EXPECT_EQ(cached.extrapolated, reference.extrapolated) << "size " << size;
  }
}

}  // namespace

// A curve's points can only be set by building a curve: its cached logarithms cannot go stale.
static_assert(!std::is_copy_assignable_v<CurveColumn>);
static_assert(!std::is_move_assignable_v<CurveColumn>);
static_assert(std::is_copy_assignable_v<SizeCurve>);
static_assert(std::is_move_assignable_v<SizeCurve>);

TEST(SizeCurve, HandComputedLogLinearValues) {
  // Points a decade apart: halfway in log(size) is the geometric mean of the neighbours.
  const SizeCurve curve({1e6, 1e8, 1e9}, {10.0, 30.0, 50.0});
  EXPECT_NEAR(interpolate(curve, 1e7).value, 20.0, 20.0 * 1e-12);
  // log(1e8 * 10^0.25) lies a quarter of the way from log(1e8) to log(1e9).
  EXPECT_NEAR(interpolate(curve, 1e8 * std::pow(10.0, 0.25)).value, 35.0, 35.0 * 1e-12);
  // 2^20 -> 2^22 in bytes; 2^21 is halfway.
  const SizeCurve bytes({1048576.0, 4194304.0}, {58.81, 163.11});
  EXPECT_NEAR(interpolate(bytes, 2097152.0).value, (58.81 + 163.11) / 2, 1e-12 * 110.96);
  // ln(3)/ln(4) of the way from 2^20 to 2^22.
  EXPECT_NEAR(interpolate(bytes, 3.0 * 1048576).value, 58.81 + std::log(3.0) / std::log(4.0) * (163.11 - 58.81),
              1e-12 * 140);
  EXPECT_FALSE(interpolate(bytes, 3.0 * 1048576).extrapolated);
}

TEST(SizeCurve, MeasuredPointsAndBothEnds) {
  const SizeCurve curve({1e6, 1e8, 1e9}, {10.0, 30.0, 50.0});
  for (std::size_t i = 0; i < curve.sizes.size(); ++i) {
    const CurveValue at_point = interpolate(curve, curve.sizes[i]);
    EXPECT_EQ(at_point.value, curve.values[i]);
    EXPECT_FALSE(at_point.extrapolated);
  }
  const CurveValue below = interpolate(curve, 2.5e5);  // latency-bound: scaled down with size
  EXPECT_DOUBLE_EQ(below.value, 2.5);
  EXPECT_TRUE(below.extrapolated);
  const CurveValue above = interpolate(curve, 1e12);  // kept at the last measured value
  EXPECT_EQ(above.value, 50.0);
  EXPECT_TRUE(above.extrapolated);
  const CurveValue none = interpolate(SizeCurve{}, 1e6);
  EXPECT_EQ(none.value, 0.0);
  EXPECT_TRUE(none.extrapolated);
}

TEST(SizeCurve, CachesTheLogarithmOfEverySize) {
  const SizeCurve curve({1.0, 2.0, 1e18}, {0.1, 0.5, 0.8});
  ASSERT_EQ(curve.log_sizes().size(), curve.sizes.size());
  for (std::size_t i = 0; i < curve.sizes.size(); ++i) EXPECT_EQ(curve.log_sizes()[i], std::log(curve.sizes[i]));
  EXPECT_TRUE(SizeCurve{}.empty());
  EXPECT_TRUE(SizeCurve{}.log_sizes().empty());
}

TEST(SizeCurve, AssigningACurveCarriesItsLogarithms) {
  SizeCurve curve({1.0, 10.0}, {1.0, 2.0});
  const SizeCurve other({100.0, 1000.0, 1e4}, {3.0, 4.0, 5.0});
  curve = other;
  ASSERT_EQ(curve.log_sizes().size(), 3u);
  EXPECT_EQ(curve.log_sizes()[2], std::log(1e4));
  expect_same_as_taking_every_log(curve);
  curve = SizeCurve({5.0, 50.0}, {1.0, 9.0});
  EXPECT_EQ(curve.log_sizes(), (std::vector<double>{std::log(5.0), std::log(50.0)}));
  expect_same_as_taking_every_log(curve);
}

TEST(SizeCurve, RejectsPointsItCannotInterpolate) {
  EXPECT_THROW(SizeCurve({1.0, 2.0}, {1.0}), std::invalid_argument);
  EXPECT_THROW(SizeCurve({2.0, 1.0}, {1.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(SizeCurve({1.0, 1.0}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(SizeCurve({0.0, 1.0}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(SizeCurve({-1.0, 1.0}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(SizeCurve({1.0, HUGE_VAL}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(SizeCurve({std::nan(""), 1.0}, {1.0, 2.0}), std::invalid_argument);
  EXPECT_NO_THROW(SizeCurve({1.0}, {1.0}));
}

TEST(SizeCurve, SameBitsAsTakingEveryLogOnHandMadeCurves) {
  expect_same_as_taking_every_log(SizeCurve({1.0, 1e18}, {0.8, 0.8}));  // the test models' GEMM curve
  expect_same_as_taking_every_log(SizeCurve({1e6, 1e8, 1e9}, {10.0, 30.0, 50.0}));
  expect_same_as_taking_every_log(SizeCurve({8.0, 1024.0, 1048576.0, 1073741824.0, 17179869184.0},
                                            {0.05, 1.7, 58.81, 436.99, 478.9}));
}

TEST(SizeCurve, SameBitsAsTakingEveryLogOnTheBundledProfiles) {
  int curves = 0;
  for (const char* gpu_name : {"h100-sxm", "a100-sxm-80gb", "h200", "b200"}) {
    const PerformanceProfile profile = load_profile_for(load_gpu(gpu_name, {}), {});
    for (const SizeCurve* curve : {&profile.gemm_bf16_fraction_by_flops, &profile.gemm_fp8_fraction_by_flops}) {
      if (curve->empty()) continue;
      ++curves;
      expect_same_as_taking_every_log(*curve);
    }
    for (const auto& level : profile.busbw_gb_s)
      for (const SizeCurve& curve : level) {
        if (curve.empty()) continue;
        ++curves;
        expect_same_as_taking_every_log(curve);
      }
  }
  EXPECT_GT(curves, 0);
}

}  // namespace trainplan
