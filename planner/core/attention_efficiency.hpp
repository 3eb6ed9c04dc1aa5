#pragma once
// Fused attention's published speed: forward + backward TFLOP/s as a fraction of the bf16 dense
// peak, either one figure for every shape or measured curves by the number of keys each query runs
// over, per mask (causal or full) and head dimension (FlashAttention's own benchmarks are of this
// form: docs/model.md, "Attention kernels").
#include <vector>

#include "planner/core/network/bandwidth_curve.hpp"

namespace trainplan {

struct AttentionCurve {
  bool causal = true;
  int head_dim = 0;
  SizeCurve fraction_by_keys;  // fraction of the bf16 peak against the keys per query block
  friend bool operator==(const AttentionCurve& a, const AttentionCurve& b) {
    return a.causal == b.causal && a.head_dim == b.head_dim && a.fraction_by_keys.sizes == b.fraction_by_keys.sizes &&
           a.fraction_by_keys.values == b.fraction_by_keys.values;
  }
};

struct AttentionKernelFigures {
  AttentionKernelFigures() = default;
  AttentionKernelFigures(double one_fraction) : fraction(one_fraction) {}  // NOLINT: a plain figure reads as one
  double fraction = 0;                  // one figure for every shape; 0: none
  std::vector<AttentionCurve> curves;   // by shape; used instead of `fraction` when present
  bool stated() const { return fraction > 0 || !curves.empty(); }
  friend bool operator==(const AttentionKernelFigures&, const AttentionKernelFigures&) = default;
};

// The shape a fused attention kernel runs: its mask, the head dimension of Q and K, and the keys
// each query attends to in one launch (the sequence; a sliding window's width; under ring context
// parallelism the local chunk).
struct AttentionShape {
  bool causal = true;
  double head_dim = 128;
  double keys = 0;
};

// The kernel's fraction of the bf16 peak at `shape`: from the curves of the shape's mask (those of
// the other mask when it has none), linear in head dimension between the two nearest measured
// ones (the nearest outside their range), each read at `shape.keys` by interpolate() (log-linear;
// scaled down below the shortest measured length, the longest's value above). A launch without a
// mask is read no lower than a causal launch of the same shape (it does the same tiles without the
// diagonal's waste; every published pair has full above causal), which matters only where the
// full-mask curves stop short of the causal ones (A100's figure hides its short full-mask lengths).
// Without curves, the single figure. 0 when the kernel has no figure.
double attention_fraction_at(const AttentionKernelFigures& kernel, const AttentionShape& shape);

}  // namespace trainplan
