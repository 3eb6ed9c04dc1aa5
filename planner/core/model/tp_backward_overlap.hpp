#pragma once
// Tensor parallelism's backward collectives beside their own GEMMs, as Megatron-LM's linear layers
// run them without userbuffers (LinearWithGradAccumulationAndAsyncCommunication; Megatron-LM commit
// "allreduce overlap with wgrad gemm", August 2021, on by default since September 2021 and in
// Megatron-Core; Korthikanti et al. 2022, section 6.2: "we overlap all-reduce communication with
// the linear weight's gradient computation").
//
// Per column-parallel linear (the QKV projection, the MLP's up projection; the shared experts' up
// projection on an MoE layer) of forward GEMM time g, whose data- and weight-gradient GEMMs each take
// about g:
//  * without sequence parallelism its input gradient is all-reduced asynchronously while its weight
//    gradient runs: exposed max(0, AR - g). The row-parallel linear's backward has no collective.
//  * with sequence parallelism it re-gathers its sequence-sharded input asynchronously while its data
//    gradient runs, then reduce-scatters the data gradient while its weight gradient runs: exposed
//    max(0, AG - g) + max(0, RS - g). The row-parallel linear's backward all-gathers its output
//    gradient before anything can start: exposed AG.
// What hides still costs its SM share (overlap_slowdown_seconds), charged by the caller.
namespace trainplan {

struct TpBackwardCollectives {
  double exposed_s = 0;  // on the critical path
  double hidden_s = 0;   // beside a GEMM of the same linear
};

// `collective_pairs`: the layer's forward tensor-parallel collectives (all-reduces, or all-gather +
// reduce-scatter pairs); `column_gemm_s`: forward GEMM seconds of the column-parallel linear that
// opens each pair (as many as pairs; missing ones count as 0 s: nothing to hide behind).
TpBackwardCollectives tp_backward_collectives(int collective_pairs, const double* column_gemm_s, bool sequence_parallel,
                                              double all_reduce_s, double all_gather_s, double reduce_scatter_s);

}  // namespace trainplan
