#pragma once
// How one training job is laid out over GPUs, and the job it runs.
#include <cstdint>

#include "planner/core/network/rank_order.hpp"
#include "planner/core/pipeline_layout.hpp"

namespace trainplan {

enum class Precision { bf16, fp8 };
enum class Recompute { none, selective, full };
// How attention's core (scores, softmax, context) runs.
//  materialized: the s x s score matrix is written to HBM (Megatron 2021-2022 kernels); executes full s^2.
//  flash2, flash3: fused tiled kernels (FlashAttention-2, FlashAttention-3 on Hopper); a causal mask
//  skips half the tiles; backward recomputes the scores. Their speed is a published per-GPU figure.
enum class AttentionKernel { materialized, flash2, flash3 };
// How routed tokens reach their experts across nodes.
//  all_to_all: one all-to-all over the EP group, every token copy sent on its own (Megatron's default).
//  hierarchical: one copy per destination node over the GPU's own NIC rail, forwarded to the experts
//  inside the node over NVLink, and combined the same way in reverse (DeepSeek-V3 section 3.2.2, DeepEP).
enum class MoeDispatcher { all_to_all, hierarchical };
// How the loss over the vocabulary is computed (layer_work.cpp, head_work): what it keeps in memory.
//  fused: a cross-entropy that works in place on one fp32 copy of the logits and turns it into the
//  gradient in place (Megatron-Core's vocab-parallel cross-entropy): one fp32 logits-sized buffer.
//  unfused: PyTorch's F.cross_entropy on an fp32 copy of the logits (TorchTitan): log_softmax keeps
//  its fp32 output for backward, and its backward holds that, the fp32 gradient nll_loss's backward
//  hands it and the fp32 gradient it returns at once: three fp32 logits-sized tensors (four under
//  tensor parallelism, where PyTorch's loss_parallel runs it vocabulary-parallel).
enum class CrossEntropy { fused, unfused };
// Which schedule hides the expert exchange behind another micro-batch's compute (moe_dispatch_overlap.hpp).
//  megatron_1f1b: Megatron-Core's combined 1F1B all-to-all overlap (--overlap-moe-expert-parallel-comm):
//  in the steady state a micro-batch's forward runs beside another's backward, layer by layer.
//  dualpipe: DeepSeek-V3's bidirectional pipeline (section 3.2.1), forward and backward chunks paired.
enum class EpOverlapSchedule { megatron_1f1b, dualpipe };
// How the routed experts' GEMMs of one GPU are launched (expert_gemm.hpp).
//  grouped: one grouped kernel over all local experts (DeepGEMM's contiguous layout, CUTLASS grouped GEMM).
//  multi_stream: one cuBLAS GEMM per local expert, issued round-robin on Transformer Engine's 4 compute
//  streams (TE's GroupedLinear through 2.9 unless NVTE_USE_CUTLASS_GROUPED_GEMM is set): at most 4 run at once.
enum class ExpertGemmLaunch { grouped, multi_stream };
// How fp8 tensors get their scaling factors (fp8_amax_sync.hpp).
//  delayed: Transformer Engine's DelayedScaling (Megatron-Core's and NeMo's default fp8 recipe): each
//  scale comes from an amax history, and the amaxes are all-reduced over the stage's tp x dp x cp
//  GPUs after every fp8 forward and backward region (one model chunk, one micro-batch).
//  current: per-tensor current scaling (TE's Float8CurrentScaling): the amax of the tensor in hand,
//  reduced over the tensor-parallel group at most; no data-parallel synchronisation.
//  blockwise: per-tile or per-block scales computed locally (DeepSeek-V3 section 3.3.2, MXFP8).
enum class Fp8Scaling { delayed, current, blockwise };
inline bool is_flash(AttentionKernel k) { return k != AttentionKernel::materialized; }

struct ParallelPlan {
  int tp = 1;                // tensor parallel
  int pp = 1;                // pipeline parallel stages
  int dp = 0;                // data parallel (0: derived as gpus / (tp*pp*cp))
  int cp = 1;                // context parallel
  int ep = 1;                // expert parallel (MoE; carved out of tp*dp*cp / expert_tp, Megatron style)
  // Tensor parallelism of the routed experts (Megatron-Core's MoE parallel folding); 0: the
  // attention's tp. The experts' ranks tile the same tp*cp*dp GPUs as expert_tp x ep x expert-dp.
  int expert_tp = 0;
  int vp = 1;                // virtual pipeline stages per GPU (interleaved 1F1B when > 1)
  int micro_batch = 1;       // sequences per micro-batch
  std::int64_t global_batch = 0;  // sequences per optimizer step
  int seq_len = 2048;
  Precision precision = Precision::bf16;
  Recompute recompute = Recompute::none;
  int recompute_layers = 0;  // with full recomputation: layers per pipeline stage that recompute (0: all)
  // Activation offloading (Megatron-Core's cpu_offloading with cpu_offloading_activations and
  // cpu_offloading_num_layers): the saved activations of a stage's first `activation_offload_layers`
  // layers are copied to host memory during the forward and back before their backward
  // (step/activation_offload.hpp). 0: none.
  int activation_offload_layers = 0;
  bool sequence_parallel = false;
  int zero_stage = 0;        // 0 none, 1 optimizer state (Megatron distributed optimizer), 2 +grads, 3 +weights
  AttentionKernel attention_kernel = AttentionKernel::flash3;
  bool causal = true;        // causal language modelling mask
  bool dp_overlap = true;    // overlap the data-parallel gradient reduction with backward compute
  bool tp_overlap = false;   // overlap tensor-parallel collectives with GEMMs (userbuffers-style)
  // Without tp_overlap: Megatron-LM's column-parallel linears launch their backward collectives
  // asynchronously beside their own GEMMs (all-reduce of the input gradient beside the weight
  // gradient; with sequence parallelism the input's re-gather beside the data gradient and the
  // reduce-scatter beside the weight gradient). Megatron-LM's default since September 2021
  // (--no-async-tensor-model-parallel-allreduce turns it off); tp_backward_overlap.hpp.
  bool tp_backward_overlap = true;
  // Interleaved 1F1B (vp > 1): pipeline sends and receives run beside the other direction's compute
  // (Megatron-Core's overlap_p2p_comm, Megatron-LM's default since 2023-10; NeMo's and
  // Megatron-Bridge's interleaved recipes set it), so only the warm-up and cool-down sends, where the
  // schedule has no slack, stay on the critical path (pipeline_send_exposure.hpp). Ignored at vp 1,
  // where Megatron-Core turns it off.
  bool pp_send_overlap = true;
  bool fp32_grad_reduce = true;   // fp32 main gradients, reduced in fp32 (Megatron's default with bf16)
  // Optimizer and weight storage (memory_model.cpp). fp8_params: with fp8, the model's weights are
  // kept only as fp8 tensors (Transformer Engine's fp8_model_init, NeMo's fp8_params) with their
  // fp8 transpose, the high-precision copy living in the optimizer; otherwise bf16 weights plus a
  // cached fp8 copy and transpose. optimizer_state_bytes: bytes per parameter of the (ZeRO-sharded)
  // optimizer state: 12 = fp32 master weight + two fp32 Adam moments (Megatron, Apex's
  // DistributedFusedAdam by default); 6 = the three in bf16 (DistributedFusedAdam with dtype bf16).
  bool fp8_params = false;
  double optimizer_state_bytes = 12.0;
  CrossEntropy cross_entropy = CrossEntropy::fused;  // the loss's fp32 buffers (above)
  Fp8Scaling fp8_scaling = Fp8Scaling::delayed;  // with fp8: how scales are found (above)
  // Delayed scaling: whether the amax all-reduce spans the stage's data- and context-parallel ranks
  // (Transformer Engine's reduce_amax over Megatron-Core's tp-dp-cp group) or, false, the tensor-parallel
  // ranks only (Transformer Engine up to 1.5 with NVTE_DP_AMAX_REDUCE_INTERVAL=0: "AMAX is reduced only in TP
  // domain", transformer_engine/pytorch/fp8.py at v1.0-v1.4). fp8_amax_sync.hpp.
  bool fp8_amax_reduce_dp = true;
  // Delayed scaling: the amax all-reduce launched asynchronously and awaited only when the next region
  // needs the scales (Transformer Engine <= 1.5's NVTE_ASYNC_AMAX_REDUCTION=1, base.py's
  // async_amax_reduction): its latency runs beside the chunk's compute and is not on the critical path.
  bool fp8_amax_reduce_async = false;
  bool uneven_pipeline = false;  // allow layers % pp != 0 (first/last stages carry fewer layers)
  // Where every layer sits: the virtual stages of Megatron-Core's pipeline_model_parallel_layout
  // (pipeline_layout.hpp); empty: the even split (or uneven_pipeline's balanced one).
  PipelineLayout pipeline_layout;
  // Context parallelism's K/V exchange: a ring overlapped with attention (ring attention), or an
  // all-gather of K and V before attention and a reduce-scatter of their gradients after, not
  // overlapped (Llama 3, section 3.3.2).
  bool cp_all_gather = false;
  // Overlap the expert-parallel all-to-all with another micro-batch's compute (DeepSeek-V3's
  // dual-batch overlap; Megatron's --overlap-moe-expert-parallel-comm).
  bool ep_overlap = false;
  EpOverlapSchedule ep_overlap_schedule = EpOverlapSchedule::megatron_1f1b;  // with ep_overlap
  MoeDispatcher moe_dispatcher = MoeDispatcher::all_to_all;
  ExpertGemmLaunch expert_gemm = ExpertGemmLaunch::grouped;  // the routed experts' GEMM launch (above)
  // Dispatch in fp8 with one fp32 scale per 128 values (DeepSeek-V3 section 3.3.4); combine stays bf16.
  bool dispatch_fp8 = false;
  // ---- Routed experts' activation memory (MoE engineer's marked addition) ----
  // moe_act_recompute: keep only the activation's (SwiGLU/GeLU) input and re-run it in backward, so
  // its output (the down-projection's input) is not kept (Megatron-Core recompute_modules moe_act;
  // DeepSeek-V3 report section 3.3.3). moe_act_input_fp8: keep that input in fp8 with one fp32 scale
  // per 128 values (DeepSeek-V3 section 3.3.3, "cache the inputs of the SwiGLU operator ... in FP8").
  bool moe_act_recompute = false;
  bool moe_act_input_fp8 = false;
  // ---- end of the routed-activation addition ----
  // How the parallel dimensions tile the ranks, innermost first (Megatron-Core's order; placement).
  RankOrder rank_order;

  // Equal in every field: the layer-cost cache's key comparison (layer_cost_cache.hpp) and the
  // re-search's "another plan" (researched_uncertainty.cpp). Defaulted, so a new field is compared.
  bool operator==(const ParallelPlan&) const = default;

  int routed_expert_tp() const { return expert_tp > 0 ? expert_tp : tp; }
  // Ranks of one expert's data-parallel group: the tp*dp*cp GPUs of a stage over expert_tp x ep.
  long long expert_data_parallel() const { return 1LL * tp * dp * cp / (1LL * routed_expert_tp() * ep); }
};

struct TrainingJob {
  int gpus = 0;
  int gpus_per_node = 8;
  double training_tokens = 0;     // tokens to train on (time-to-train)
  // Device memory a plan must leave free (GiB per GPU): a plan fits when its modelled peak is at
  // most the GPU's capacity minus this (--memory-headroom-gib; plan and search both respect it).
  double memory_headroom_gib = 0;
};

const char* to_string(Precision p);
const char* to_string(Recompute r);
const char* to_string(AttentionKernel k);
const char* to_string(MoeDispatcher d);
const char* to_string(EpOverlapSchedule s);
const char* to_string(ExpertGemmLaunch l);
const char* to_string(Fp8Scaling s);
const char* to_string(CrossEntropy c);

}  // namespace trainplan
