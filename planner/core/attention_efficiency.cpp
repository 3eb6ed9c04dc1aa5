#include "planner/core/attention_efficiency.hpp"

namespace trainplan {

double attention_fraction_at(const AttentionKernelFigures& kernel, const AttentionShape& shape) {
  if (kernel.curves.empty()) return kernel.fraction;
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

}  // namespace trainplan
