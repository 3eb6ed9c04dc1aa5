#include "planner/core/network/group_layout.hpp"

#include <algorithm>
#include <array>

namespace trainplan {

namespace {

// One view of the ranks: the size of each dimension (indexed by RankDim) and its stride in the order.
struct View {
  long long size[5] = {1, 1, 1, 1, 1};
  long long stride[5] = {1, 1, 1, 1, 1};
};

View view_of(const RankOrder& order, long long tp, long long cp, long long ep, long long dp, long long pp) {
  View v;
  v.size[static_cast<int>(RankDim::tp)] = std::max(1LL, tp);
  v.size[static_cast<int>(RankDim::cp)] = std::max(1LL, cp);
  v.size[static_cast<int>(RankDim::ep)] = std::max(1LL, ep);
  v.size[static_cast<int>(RankDim::dp)] = std::max(1LL, dp);
  v.size[static_cast<int>(RankDim::pp)] = std::max(1LL, pp);
  long long inner = 1;
  for (RankDim d : order.dims) {
    v.stride[static_cast<int>(d)] = inner;
    inner *= v.size[static_cast<int>(d)];
  }
  return v;
}

// The group spanning `dims` of a view: their product of sizes; its stride is exact when the
// dimensions are adjacent in the order (the span (size-1) x stride + 1 is then that of the set),
// else the stride of a strided group of the same size and span (rounded up).
GroupPlacement group_over(const View& v, std::initializer_list<RankDim> dims) {
  long long size = 1, gaps = 0;
  for (RankDim d : dims) {
    size *= v.size[static_cast<int>(d)];
    gaps += (v.size[static_cast<int>(d)] - 1) * v.stride[static_cast<int>(d)];
  }
  GroupPlacement g;
  g.size = static_cast<int>(size);
  g.stride = size > 1 ? static_cast<int>((gaps + size - 2) / (size - 1)) : 1;
  return g;
}

// Whether the ranks spanning `dims` are one strided set: taken by stride, each dimension of more
// than one rank starts where the ones inside it end.
bool one_strided_set(const View& v, std::initializer_list<RankDim> dims) {
  long long next = 0;  // the stride the next dimension out must have; 0: none seen yet
  std::array<RankDim, 5> sorted{};
  std::size_t n = 0;
  for (RankDim d : dims)
    if (v.size[static_cast<int>(d)] > 1) sorted[n++] = d;
  std::sort(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(n),
            [&](RankDim a, RankDim b) { return v.stride[static_cast<int>(a)] < v.stride[static_cast<int>(b)]; });
  for (std::size_t i = 0; i < n; ++i) {
    const int d = static_cast<int>(sorted[i]);
    if (next != 0 && v.stride[d] != next) return false;
    next = v.stride[d] * v.size[d];
  }
  return true;
}

}  // namespace

GroupLayout group_layout(const ParallelPlan& plan) {
  const RankOrder& order = plan.rank_order;
  const View dense = view_of(order, plan.tp, plan.cp, 1, plan.dp, plan.pp);
  const View experts = view_of(order, plan.routed_expert_tp(), 1, plan.ep, std::max(1LL, plan.expert_data_parallel()), plan.pp);
  GroupLayout l;
  l.tensor = group_over(dense, {RankDim::tp});
  l.context = group_over(dense, {RankDim::cp});
  l.data = group_over(dense, {RankDim::cp, RankDim::dp});
  l.data_is_one_stride = one_strided_set(dense, {RankDim::cp, RankDim::dp});
  l.stage = group_over(dense, {RankDim::tp, RankDim::cp, RankDim::dp});
  l.pipeline = {plan.pp > 1 ? 2 : 1, static_cast<int>(dense.stride[static_cast<int>(RankDim::pp)])};
  l.expert_tensor = group_over(experts, {RankDim::tp});
  l.expert = group_over(experts, {RankDim::ep});
  l.expert_data = group_over(experts, {RankDim::dp});
  return l;
}

}  // namespace trainplan
