#pragma once
// A measured quantity against message size (busbw against bytes, GEMM TFLOP/s against FLOPs):
// interpolated log-linearly between measured points, clamped (and flagged) beyond them.
#include <vector>

namespace trainplan {

struct SizeCurve {
  std::vector<double> sizes;   // ascending, > 0
  std::vector<double> values;  // same length as sizes
  bool empty() const { return sizes.empty(); }
};

struct CurveValue {
  double value = 0;
  bool extrapolated = false;   // the size lay outside the measured range
};

// Linear in log(size) between the two neighbouring points. Below the first point the value is
// scaled down in proportion to size (a latency-bound regime: never more optimistic than measured);
// above the last point the last value is kept (conservative). Both cases are flagged.
CurveValue interpolate(const SizeCurve& curve, double size);

}  // namespace trainplan
