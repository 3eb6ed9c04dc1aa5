#pragma once
// A measured quantity against message size (busbw against bytes, GEMM TFLOP/s against FLOPs):
// interpolated log-linearly between measured points, clamped (and flagged) beyond them.
#include <cstddef>
#include <utility>
#include <vector>

namespace trainplan {

class SizeCurve;

// One column of a SizeCurve's points (its sizes or its values). Anyone can read it; only SizeCurve
// can set it, so what the curve precomputes from its points (the logarithms of the sizes) cannot go
// stale: a curve with other points is a new curve, built by SizeCurve's constructor.
class CurveColumn {
 public:
  using value_type = double;
  using const_iterator = std::vector<double>::const_iterator;
  using iterator = const_iterator;

  CurveColumn(const CurveColumn&) = default;  // a copy is detached from its curve
  CurveColumn(CurveColumn&&) = default;
  ~CurveColumn() = default;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  double operator[](std::size_t i) const { return entries_[i]; }
  double front() const { return entries_.front(); }
  double back() const { return entries_.back(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  const std::vector<double>& as_vector() const { return entries_; }
  friend bool operator==(const CurveColumn&, const CurveColumn&) = default;

 private:
  friend class SizeCurve;
  CurveColumn() = default;
  explicit CurveColumn(std::vector<double> entries) : entries_(std::move(entries)) {}
  CurveColumn& operator=(const CurveColumn&) = default;  // only as part of assigning a whole curve
  CurveColumn& operator=(CurveColumn&&) = default;

  std::vector<double> entries_;
};

class SizeCurve {
 public:
  SizeCurve() = default;  // no points: empty()
  // Throws std::invalid_argument unless the sizes are finite, > 0 and strictly ascending and there
  // is one value per size.
  SizeCurve(std::vector<double> point_sizes, std::vector<double> point_values);

  bool empty() const { return sizes.empty(); }
  // log(sizes[i]), computed once by the constructor: interpolate() then takes one logarithm per
  // lookup (of the size looked up) instead of three. Same length as sizes.
  const std::vector<double>& log_sizes() const { return log_sizes_; }

  CurveColumn sizes;   // ascending, > 0
  CurveColumn values;  // same length as sizes

 private:
  std::vector<double> log_sizes_;
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
