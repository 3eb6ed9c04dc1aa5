#include "planner/core/attention_efficiency.hpp"

#include <algorithm>

namespace trainplan {

namespace {

// The curves of the shape's mask (the other mask's when it has none), read at the shape.
double read_curves(const AttentionKernelFigures& kernel, const AttentionShape& shape) {
  bool has_mask = false;
  for (const AttentionCurve& c : kernel.curves) has_mask = has_mask || c.causal == shape.causal;
  // The two measured head dimensions around the shape's (below: largest <=, above: smallest >=).
  const AttentionCurve* below = nullptr;
  const AttentionCurve* above = nullptr;
  for (const AttentionCurve& c : kernel.curves) {
    if (has_mask && c.causal != shape.causal) continue;
    if (c.head_dim <= shape.head_dim && (!below || c.head_dim > below->head_dim)) below = &c;
    if (c.head_dim >= shape.head_dim && (!above || c.head_dim < above->head_dim)) above = &c;
  }
  if (!below) below = above;
  if (!above) above = below;
  if (!below) return kernel.fraction;
  const double low = interpolate(below->fraction_by_keys, shape.keys).value;
  const double high = interpolate(above->fraction_by_keys, shape.keys).value;
  if (above->head_dim == below->head_dim) return low;
  const double t = (shape.head_dim - below->head_dim) / static_cast<double>(above->head_dim - below->head_dim);
  return low + t * (high - low);
}

bool has_curves_of(const AttentionKernelFigures& kernel, bool causal) {
  for (const AttentionCurve& c : kernel.curves)
    if (c.causal == causal) return true;
  return false;
}

}  // namespace

double attention_fraction_at(const AttentionKernelFigures& kernel, const AttentionShape& shape) {
  if (kernel.curves.empty()) return kernel.fraction;
  const double fraction = read_curves(kernel, shape);
  if (shape.causal || !has_curves_of(kernel, true) || !has_curves_of(kernel, false)) return fraction;
  return std::max(fraction, read_curves(kernel, {true, shape.head_dim, shape.keys}));
}

}  // namespace trainplan
