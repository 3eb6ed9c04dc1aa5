#include "planner/core/model/tp_backward_overlap.hpp"

#include <algorithm>

namespace trainplan {

TpBackwardCollectives tp_backward_collectives(int collective_pairs, const double* column_gemm_s, bool sequence_parallel,
                                              double all_reduce_s, double all_gather_s, double reduce_scatter_s) {
  TpBackwardCollectives t;
  auto beside = [&t](double comm_s, double gemm_s) {
    const double hidden = std::min(comm_s, std::max(0.0, gemm_s));
    t.hidden_s += hidden;
    t.exposed_s += comm_s - hidden;
  };
  for (int i = 0; i < collective_pairs; ++i) {
    const double gemm_s = column_gemm_s ? column_gemm_s[i] : 0.0;
    if (sequence_parallel) {
      t.exposed_s += all_gather_s;        // the row-parallel linear's output gradient, gathered first
      beside(all_gather_s, gemm_s);       // the column-parallel input re-gathered beside the data gradient
      beside(reduce_scatter_s, gemm_s);   // its data gradient reduce-scattered beside the weight gradient
    } else {
      beside(all_reduce_s, gemm_s);       // its input gradient all-reduced beside the weight gradient
    }
  }
  return t;
}

}  // namespace trainplan
