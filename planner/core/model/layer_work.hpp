#pragma once
// The work of one transformer layer for one micro-batch on one GPU, after tensor, sequence and
// context parallelism have split it: GEMM shapes, attention core FLOPs and bytes, elementwise
// (memory-bound) bytes, tensor-parallel message sizes and saved activations.
#include "planner/core/model/gemm_time.hpp"
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

struct LayerWork {
  // Forward GEMMs (backward runs two GEMMs of the same FLOPs for each: data and weight gradients).
  GemmShape qkv, out_proj, mlp_up, mlp_down;
  // Multi-head latent attention only: the down-projections of Q and of the joint KV latent (+ the
  // shared rope key), replicated on every TP rank (Megatron-Core's MLA keeps them unsplit); `qkv`
  // then holds Q's TP-split up-projection and `mla_kv_up` the latent's up-projection to K_nope, V.
  GemmShape mla_down, mla_kv_up;
  GemmShape attention_scores, attention_context;  // materialized kernel only (batched GEMMs)
  // Mixture-of-experts layers only (moe_layer.hpp): the router, the shared experts, and the
  // expert-parallel exchange: the tokens this GPU dispatches (its sequence-parallel share), the
  // copies of each that travel (top_k x load factor), and the bytes of one copy for the dispatch
  // (bf16 or fp8 + scales) and for the combine (bf16). Zero without expert parallelism.
  GemmShape router, shared_up, shared_down;
  double ep_tokens = 0;
  double ep_copies_per_token = 0;
  double ep_dispatch_bytes_per_copy = 0;
  double ep_combine_bytes_per_copy = 0;
  double flash_attention_flops = 0;   // flash kernel only: forward FLOPs it executes
  // The shape the flash kernel runs (attention_efficiency.hpp): Q/K head dimension, and the keys
  // each query runs over in one launch on full-attention layers (the sequence; under ring context
  // parallelism the local chunk); of flash_attention_flops, the part on sliding-window or chunked
  // layers, whose launches run over `flash_window_keys`.
  double flash_head_dim = 0;
  double flash_keys = 0;
  double flash_windowed_flops = 0;
  double flash_window_keys = 0;
  // Ring context parallelism under a causal mask (Transformer Engine's load-balanced ring: each
  // rank holds two of the sequence's 2 x cp chunks): of the full-attention layers' FLOPs, the part
  // its cp - 1 later ring steps run as launches without a mask, (cp - 1) / cp, each over half the
  // local queries or keys; `flash_ring_block_keys` is the side of the square launch with the same
  // query-key pairs, the local chunk / sqrt(2). The first step (the rest) is the causal launch over
  // the local chunk.
  double flash_ring_block_flops = 0;
  double flash_ring_block_keys = 0;
  // Forward bytes through HBM of memory-bound kernels, and how many such kernels run.
  double elementwise_bytes = 0;
  double elementwise_kernels = 0;
  double attention_elementwise_bytes = 0;   // softmax (+ dropout) on the s x s scores (materialized)
  // Tensor-parallel traffic: one activation of (tokens x hidden) in bf16 — the message of each of
  // the layer's collectives (all-reduce, or all-gather + reduce-scatter with sequence parallelism).
  double tp_message_bytes = 0;
  int tp_collectives_forward = 0;     // all-reduces (or AG+RS pairs) per forward pass
  // MoE layers with tp > 1: the routed tokens a GPU received are all-gathered over the TP group
  // before the TP-split experts and reduce-scattered after (Megatron-Core's all-to-all token
  // dispatcher): one such pair per forward, on the routed copies (tokens x top_k x load) of hidden.
  double tp_expert_message_bytes = 0;
  int tp_expert_collectives_forward = 0;
  // Context parallelism: the K and V chunk passed around the ring at each of its cp-1 steps.
  double cp_kv_chunk_bytes = 0;
  // Activations the layer keeps for backward (bytes), for the plan's recomputation mode.
  double saved_activation_bytes = 0;
  // Selective recomputation of an MLA layer (DeepSeek-V3 section 3.2.3): the norms (these bytes,
  // read + write) and the Q and KV up-projections (`qkv`, `mla_kv_up`) re-run in backward.
  double selective_recompute_norm_bytes = 0;
  bool selective_recomputes_mla_up_projections = false;
  // MoE with moe_act_recompute: forward bytes of the routed experts' activation, re-run in backward
  // (one kernel) to rebuild the down-projection's input that was not kept.
  double moe_act_recompute_bytes = 0;
  // Model FLOPs of the layer's forward pass (full s^2 attention, the Megatron/PaLM convention).
  double model_flops_forward = 0;
};

// Work of one dense layer (attention + dense MLP).
LayerWork dense_layer_work(const ModelShape& model, const ParallelPlan& plan);

// The output head of the last stage: logits GEMM and the fp32 cross-entropy.
struct HeadWork {
  GemmShape logits;
  double loss_bytes = 0;              // fp32 softmax/cross-entropy forward traffic
  double saved_activation_bytes = 0;  // the loss's fp32 logits-sized buffers at its backward
  double model_flops_forward = 0;
};
HeadWork head_work(const ModelShape& model, const ParallelPlan& plan);

}  // namespace trainplan
