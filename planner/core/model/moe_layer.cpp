#include "planner/core/model/moe_layer.hpp"

#include <algorithm>

#include "planner/core/model/routed_activation.hpp"

namespace trainplan {

namespace {
constexpr double kBf16Bytes = 2.0;
// fp8 dispatch: one byte per value plus one fp32 scale per 128 values (1 x 128 tiles).
constexpr double kFp8DispatchBytes = 1.0 + 4.0 / 128.0;

// Probability that none of `picks` distinct items drawn from `total` falls in a given `subset`:
// C(total - subset, picks) / C(total, picks).
double miss_probability(double total, double subset, int picks) {
  double p = 1.0;
  for (int i = 0; i < picks; ++i) p *= std::max(0.0, total - subset - i) / (total - i);
  return p;
}
}  // namespace

double expert_load_factor(const MoeShape& moe) { return std::max(moe.load_imbalance, moe.capacity_factor); }

double load_factor_floor(const MoeShape& moe) { return std::max(1.0, moe.capacity_factor); }

double distinct_nodes_per_token(const MoeShape& moe, int nodes) {
  if (nodes <= 1) return 1.0;
  const double k = nodes;
  // top_k distinct experts out of routed_experts, routed_experts / nodes on each node.
  const double experts = moe.routed_experts;
  double distinct = k * (1.0 - miss_probability(experts, experts / k, moe.top_k));
  // Group-limited routing whose groups tile the nodes (each node holds whole groups): a token's
  // groups_per_token groups out of expert_groups land on this many distinct nodes at most.
  if (moe.expert_groups > 0 && moe.groups_per_token > 0 && moe.expert_groups % nodes == 0) {
    const double groups = moe.expert_groups;
    distinct = std::min(distinct, k * (1.0 - miss_probability(groups, groups / k, moe.groups_per_token)));
  }
  return distinct;
}

MoeRouterWork moe_router_work(const ModelShape& model, const ParallelPlan& plan) {
  MoeRouterWork r;
  const MoeShape& moe = model.moe;
  if (moe.routed_experts <= 1) return r;
  const double tokens = plan.micro_batch * static_cast<double>(plan.seq_len) / plan.cp;
  const double routed_tokens = tokens / (plan.sequence_parallel ? plan.tp : 1);
  const double e = moe.routed_experts, k = moe.top_k;
  constexpr double kFp32 = 4.0;
  // Per token, fp32 (Megatron-Core router.py / moe_utils.py, moe_router_dtype fp32): the score
  // function (softmax or sigmoid) reads the logits and writes the scores; top-k reads the scores and
  // writes k values and int64 indices; the routing map (one byte per expert) and the routed
  // probabilities scattered back to [tokens, experts] are written; the load-balancing term
  // (sequence- or batch-level auxiliary loss, or DeepSeek-V3's bias-based balancing, which counts
  // tokens per expert the same way) reads the scores once more.
  const double per_token = e * (kFp32 + kFp32) + e * kFp32 + k * (kFp32 + 8.0) + e * (1.0 + kFp32) + e * kFp32;
  r.bytes = routed_tokens * per_token;
  // Kernels: score function, top-k, normalisation of the top-k scores, routing-map and probability
  // scatter, the load-balancing statistics (token counts, score sums, their product), the loss scale.
  r.kernels = 8;
  // fp8 dispatch (DeepEP): the tokens are quantized (read bf16, write fp8 + 1/128 scales) before
  // the exchange; the receiving grouped GEMM takes them as they come.
  if (plan.dispatch_fp8 && plan.ep > 1) {
    r.bytes += routed_tokens * static_cast<double>(model.hidden) * (kBf16Bytes + kFp8DispatchBytes);
    r.kernels += 1;
  }
  return r;
}

LayerWork moe_layer_work(const ModelShape& model, const ParallelPlan& plan) {
  LayerWork w = dense_layer_work(model, plan);
  const MoeShape& moe = model.moe;
  const double tp = plan.tp;
  const double expert_tp = plan.routed_expert_tp();
  const double tokens = plan.micro_batch * static_cast<double>(plan.seq_len) / plan.cp;
  const double h = static_cast<double>(model.hidden);
  const double expert_ffn_local = static_cast<double>(moe.expert_ffn) / expert_tp;
  const double shared_ffn_local = static_cast<double>(moe.expert_ffn) * moe.shared_experts / tp;  // as a dense MLP
  const bool gated = model.mlp == MlpKind::swiglu;
  const double matrices_up = gated ? 2.0 : 1.0;

  // Each GPU routes its sequence-parallel share (tokens / tp) in top_k copies. An expert-TP group
  // of expert_tp GPUs gathers its members' copies, so this GPU's routed_experts/ep experts (each
  // split expert_tp ways) receive tokens / tp * expert_tp * top_k assignments on average, the
  // busiest scaled by the load factor (expert_tp = tp: the micro-batch's tokens x top_k).
  const double own_copies = tokens / tp * moe.top_k * expert_load_factor(moe);
  const double assignments = own_copies * expert_tp;
  const double local_experts = static_cast<double>(moe.routed_experts) / plan.ep;
  const double tokens_per_expert = assignments / local_experts;
  w.mlp_up = {tokens_per_expert, expert_ffn_local * matrices_up, h, local_experts};
  w.mlp_down = {tokens_per_expert, h, expert_ffn_local, local_experts};
  // The router scores every token against every expert (replicated over TP, tiny). A single routed
  // expert needs no router and no permutation: the layer is then a dense one.
  const bool routed = moe.routed_experts > 1;
  if (routed) w.router = {tokens, static_cast<double>(moe.routed_experts), h, 1};
  if (moe.shared_experts > 0) {
    w.shared_up = {tokens, shared_ffn_local * matrices_up, h, 1};
    w.shared_down = {tokens, h, shared_ffn_local, 1};
  }

  // Elementwise: the activation now runs on the routed (and shared) tokens, plus the permutation
  // that gathers tokens by expert and scatters them back (read + write each way).
  const double dense_activation = tokens * (static_cast<double>(model.ffn) / tp) * kBf16Bytes * (gated ? 3.0 : 2.0);
  const double routed_activation = assignments * expert_ffn_local * kBf16Bytes * (gated ? 3.0 : 2.0);
  const double shared_activation = tokens * shared_ffn_local * kBf16Bytes * (gated ? 3.0 : 2.0);
  double permutation = routed ? 2.0 * 2.0 * own_copies * h * kBf16Bytes : 0.0;
  // Megatron's all-to-all dispatcher receives its tokens grouped by source rank, then sorts them
  // into expert order before the grouped GEMM and back after it (sort_chunks_by_idxs): one more
  // read + write of the received copies each way when a GPU holds several experts. DeepEP-style
  // hierarchical dispatch delivers them in expert order (no second pass).
  const bool sorts_received = routed && plan.ep > 1 && moe.routed_experts / plan.ep > 1 &&
                              plan.moe_dispatcher == MoeDispatcher::all_to_all;
  if (sorts_received) permutation += 2.0 * 2.0 * assignments * h * kBf16Bytes;
  w.elementwise_bytes += routed_activation + shared_activation + permutation - dense_activation;
  if (routed) w.elementwise_kernels += 2 + (sorts_received ? 2 : 0);  // permute, unpermute (+ sorts)
  // Routed activation kept in fp8 / re-run in backward (routed_activation.hpp).
  if (routed) add_routed_activation_work(w, plan, assignments * expert_ffn_local, matrices_up);
  // The router's own passes over the fp32 scores of the tokens this GPU routes, and the dispatch's
  // fp8 cast (moe_router_work below).
  if (routed) {
    const MoeRouterWork router = moe_router_work(model, plan);
    w.elementwise_bytes += router.bytes;
    w.elementwise_kernels += router.kernels;
  }

  // Dispatch and combine: each GPU sends its share (1/tp, sequence-parallel) of the tokens, each in
  // top_k copies (times the load factor: the busiest GPU's share).
  if (plan.ep > 1) {
    w.ep_tokens = tokens / tp;
    w.ep_copies_per_token = moe.top_k * expert_load_factor(moe);
    w.ep_dispatch_bytes_per_copy = h * (plan.dispatch_fp8 ? kFp8DispatchBytes : kBf16Bytes);
    w.ep_combine_bytes_per_copy = h * kBf16Bytes;
  }

  // Tensor parallelism (Megatron-Core's all-to-all token dispatcher): the router sees the
  // sequence-parallel tokens, so the dense MLP's all-gather / reduce-scatter pair is gone; shared
  // experts gather and scatter the layer's tokens as a dense MLP would, and attention keeps its
  // pair. With expert TP > 1 the routed copies each GPU received are all-gathered over the expert-TP
  // group before the split experts and reduce-scattered after (`assignments` rows of hidden).
  if (routed && plan.tp > 1) w.tp_collectives_forward = 1 + (moe.shared_experts > 0 ? 1 : 0);
  if (routed && expert_tp > 1) {
    w.tp_expert_message_bytes = assignments * h * kBf16Bytes;
    w.tp_expert_collectives_forward = 1;
  }

  // Saved activations: replace the dense MLP's tensors by the experts' (inputs of the two GEMMs
  // and the activation input, per routed and shared token) plus the router's probabilities.
  // GEMM inputs are kept in fp8 under fp8 training (as dense_layer_work), the activation input in bf16.
  if (plan.recompute != Recompute::full) {
    const double gemm_input_bytes = plan.precision == Precision::fp8 ? 1.0 : kBf16Bytes;
    const double dense_ffn_local = static_cast<double>(model.ffn) / tp;
    const double dense_mlp = tokens * dense_ffn_local * (kBf16Bytes * matrices_up + gemm_input_bytes);
    // A dense MLP keeps its input in the norm/GEMM-input terms, and so do the shared experts; the
    // routed copies are new (each GPU keeps its 1/expert_tp share of the gathered rows).
    const double per_row = kBf16Bytes * matrices_up + gemm_input_bytes;  // activation input, down-GEMM input
    const double routed_per_row = routed_activation_bytes_per_row(plan, matrices_up, gemm_input_bytes);  // routed_activation.hpp
    const double experts = assignments * ((routed ? gemm_input_bytes * h / expert_tp : 0.0) + expert_ffn_local * routed_per_row) +
                           tokens * shared_ffn_local * per_row;
    const double router = routed ? tokens * moe.routed_experts * 4.0 : 0.0;
    w.saved_activation_bytes += experts + router - dense_mlp;
  }

  // Model FLOPs: the active experts' matmuls replace the dense MLP's.
  const double dense_mlp_flops = 2.0 * tokens * h * (static_cast<double>(model.ffn) / tp) * (matrices_up + 1.0);
  const double active_flops = 2.0 * tokens * h * expert_ffn_local * (matrices_up + 1.0) * (moe.top_k + moe.shared_experts);
  w.model_flops_forward += active_flops + w.router.flops() - dense_mlp_flops;
  return w;
}

}  // namespace trainplan
