#include "plan_option_table.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>

#include "input_limits.hpp"
#include "pipeline_layout_text.hpp"
#include "token_batch.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

using json = nlohmann::json;

Precision precision_named(const std::string& s) { return s == "fp8" ? Precision::fp8 : Precision::bf16; }
Recompute recompute_named(const std::string& s) {
  return s == "full" ? Recompute::full : s == "selective" ? Recompute::selective : Recompute::none;
}
AttentionKernel kernel_named(const std::string& s) {
  return s == "flash3" ? AttentionKernel::flash3 : s == "flash2" ? AttentionKernel::flash2 : AttentionKernel::materialized;
}
EpOverlapSchedule overlap_schedule_named(const std::string& s) {
  return s == "dualpipe" ? EpOverlapSchedule::dualpipe : EpOverlapSchedule::megatron_1f1b;
}
Fp8Scaling fp8_scaling_named(const std::string& s) {
  return s == "current" ? Fp8Scaling::current : s == "blockwise" ? Fp8Scaling::blockwise : Fp8Scaling::delayed;
}
CrossEntropy cross_entropy_named(const std::string& s) { return s == "unfused" ? CrossEntropy::unfused : CrossEntropy::fused; }
ExpertGemmLaunch expert_gemm_named(const std::string& s) {
  return s == "multi_stream" ? ExpertGemmLaunch::multi_stream : ExpertGemmLaunch::grouped;
}
MoeDispatcher dispatcher_named(const std::string& s) {
  return s == "hierarchical" ? MoeDispatcher::hierarchical : MoeDispatcher::all_to_all;
}

// Getter and setter of a plain field of the plan (an int or a bool), for the rows below.
template <typename Value, Value ParallelPlan::*Field>
json get_plan_field(const ParallelPlan& p, const TrainingJob&) {
  return json(p.*Field);
}
template <typename Value, Value ParallelPlan::*Field>
void set_plan_field(const json& v, ParallelPlan& p, TrainingJob&) {
  p.*Field = v.get<Value>();
}

// Setter and `accepts` hook of a field written as free text and read by a parser (parse(text, error):
// the value, or nothing with the reason in error), for the rows below whose words are no closed list.
template <typename Value, Value ParallelPlan::*Field, std::optional<Value> (*Parse)(const std::string&, std::string&)>
void set_parsed_plan_field(const json& v, ParallelPlan& p, TrainingJob&) {
  std::string error;
  if (auto value = Parse(v.get<std::string>(), error)) p.*Field = *value;
}
template <typename Value, std::optional<Value> (*Parse)(const std::string&, std::string&), const char* Expected>
std::string accepts_parsed(const std::string& word) {
  std::string error;
  if (Parse(word, error)) return "";
  return std::string("expected ") + Expected + ": " + error + ", got '" + word + "'";
}
constexpr char kPipelineLayoutExpected[] = "a pipeline layout such as Et|(tt|)*30mL";
constexpr char kRankOrderExpected[] = "a rank order such as tp-cp-ep-dp-pp";

std::vector<PlanOption> table_rows() {
  using K = OptionKind;
  return {
      {"gpus", "gpus", K::positive_count, {}, "required", "number of GPUs in the job", "64", true,
       [](const ParallelPlan&, const TrainingJob& j) { return json(j.gpus); },
       [](const json& v, ParallelPlan&, TrainingJob& j) { j.gpus = v.get<int>(); }},
      {"gpus_per_node", "gpus-per-node", K::positive_count, {}, "the --topology file's NVLink domain, else the GPU file's nvlink_domain_gpus, else 8", "GPUs per node / NVLink domain", "4", true,
       [](const ParallelPlan&, const TrainingJob& j) { return json(j.gpus_per_node); },
       [](const json& v, ParallelPlan&, TrainingJob& j) { j.gpus_per_node = v.get<int>(); }},
      {"tokens", "tokens", K::number, {}, "0: no time-to-train", "training tokens, for time-to-train (e.g. 15.6T)", "15600000000000",
       true, [](const ParallelPlan&, const TrainingJob& j) { return json(j.training_tokens); },
       [](const json& v, ParallelPlan&, TrainingJob& j) { j.training_tokens = v.get<double>(); }},
      {"memory_headroom_gib", "memory-headroom-gib", K::number, {}, "0",
       "GiB per GPU a plan must leave free: it fits when its modelled memory is at most capacity minus this", "4", true,
       [](const ParallelPlan&, const TrainingJob& j) { return json(j.memory_headroom_gib); },
       [](const json& v, ParallelPlan&, TrainingJob& j) { j.memory_headroom_gib = v.get<double>(); }},
      {"tp", "tp", K::positive_count, {}, "1", "tensor-parallel size", "2", false, get_plan_field<int, &ParallelPlan::tp>, set_plan_field<int, &ParallelPlan::tp>},
      {"pp", "pp", K::positive_count, {}, "1", "pipeline-parallel stages", "3", false, get_plan_field<int, &ParallelPlan::pp>, set_plan_field<int, &ParallelPlan::pp>},
      {"dp", "dp", K::whole_or_zero, {}, "gpus / (tp*pp*cp)", "data-parallel size; 0 derives it", "6", false, get_plan_field<int, &ParallelPlan::dp>, set_plan_field<int, &ParallelPlan::dp>},
      {"cp", "cp", K::positive_count, {}, "1", "context-parallel size", "2", false, get_plan_field<int, &ParallelPlan::cp>, set_plan_field<int, &ParallelPlan::cp>},
      {"ep", "ep", K::positive_count, {}, "1", "expert-parallel size, MoE models", "4", false, get_plan_field<int, &ParallelPlan::ep>, set_plan_field<int, &ParallelPlan::ep>},
      {"expert_tp", "expert-tp", K::whole_or_zero, {}, "--tp",
       "tensor parallelism of the routed experts (MoE parallel folding); 0: the attention's tp", "1", false,
       [](const ParallelPlan& p, const TrainingJob&) { return json(p.routed_expert_tp()); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.expert_tp = v.get<int>(); }},
      {"vp", "vp", K::positive_count, {}, "1", "virtual pipeline stages per GPU; > 1 selects the interleaved 1F1B schedule", "5",
       false, get_plan_field<int, &ParallelPlan::vp>, set_plan_field<int, &ParallelPlan::vp>},
      {"micro_batch", "micro-batch", K::positive_count, {}, "1", "sequences per micro-batch", "8", false,
       get_plan_field<int, &ParallelPlan::micro_batch>, set_plan_field<int, &ParallelPlan::micro_batch>},
      {"global_batch", "global-batch", K::positive_count, {}, "required, or global_batch_tokens", "sequences per optimizer step",
       "128", false, [](const ParallelPlan& p, const TrainingJob&) { return json(p.global_batch); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.global_batch = v.get<std::int64_t>(); }},
      {"global_batch_tokens", "global-batch-tokens", K::positive_count, {}, "required, or global_batch",
       "tokens per optimizer step, alternative to global_batch; K/M/G/T count powers of 1024 here (16M = 16,777,216 = 2048 x 8192), and a batch that is not a whole number of sequences is rounded to the nearest one (with a note)", "524288", false, nullptr,
       nullptr, "global_batch"},
      {"seq_len", "seq-len", K::positive_count, {}, "the model's training_seq_len, else 2048; a note says which", "sequence length in tokens", "4096", false, get_plan_field<int, &ParallelPlan::seq_len>, set_plan_field<int, &ParallelPlan::seq_len>},
      {"precision", "precision", K::choice, {"bf16", "fp8"}, "bf16", "bf16 | fp8", "fp8", false,
       [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.precision)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.precision = precision_named(v.get<std::string>()); }},
      {"recompute", "recompute", K::choice, {"none", "selective", "full"}, "none", "activation recomputation: none | selective | full",
       "full", false, [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.recompute)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.recompute = recompute_named(v.get<std::string>()); }},
      {"recompute_layers", "recompute-layers", K::whole_or_zero, {}, "0: all",
       "with recompute full: layers per pipeline stage that recompute; the rest keep activations", "2", false,
       get_plan_field<int, &ParallelPlan::recompute_layers>, set_plan_field<int, &ParallelPlan::recompute_layers>},
      {"activation_offload_layers", "activation-offload-layers", K::whole_or_zero, {}, "0: none",
       "layers whose saved activations are copied to host memory in the forward and back for the backward (Megatron-Core "
       "cpu_offloading_num_layers); needs pp 1, no recomputation and a GPU file that states its host link",
       "20", false, get_plan_field<int, &ParallelPlan::activation_offload_layers>,
       set_plan_field<int, &ParallelPlan::activation_offload_layers>},
      {"sequence_parallel", "sequence-parallel", K::boolean, {}, "false", "use sequence parallelism with tensor parallelism", "true",
       false, get_plan_field<bool, &ParallelPlan::sequence_parallel>, set_plan_field<bool, &ParallelPlan::sequence_parallel>},
      {"zero", "zero", K::whole_or_zero, {}, "0", "ZeRO stage 0-3 (1 = Megatron's distributed optimizer; 2 also shards the gradients, so reduces them every micro-batch; 3 also the weights)", "3", false,
       get_plan_field<int, &ParallelPlan::zero_stage>, set_plan_field<int, &ParallelPlan::zero_stage>},
      {"cp_comm", "", K::choice, {"ring", "all_gather"}, "ring",
       "context parallelism's K/V exchange: ring (overlapped ring attention) | all_gather (Llama 3)", "all_gather", false,
       [](const ParallelPlan& p, const TrainingJob&) { return json(p.cp_all_gather ? "all_gather" : "ring"); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.cp_all_gather = v.get<std::string>() == "all_gather"; }},
      {"attention_kernel", "", K::choice, {"flash2", "flash3", "materialized"}, "flash3", "how attention's core runs",
       "materialized", false, [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.attention_kernel)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.attention_kernel = kernel_named(v.get<std::string>()); }},
      {"causal", "", K::boolean, {}, "true", "causal language-modelling mask", "false", false, get_plan_field<bool, &ParallelPlan::causal>, set_plan_field<bool, &ParallelPlan::causal>},
      {"dp_overlap", "", K::boolean, {}, "true", "overlap the data-parallel gradient reduction with backward compute", "false",
       false, get_plan_field<bool, &ParallelPlan::dp_overlap>, set_plan_field<bool, &ParallelPlan::dp_overlap>},
      {"tp_overlap", "", K::boolean, {}, "false", "overlap tensor-parallel collectives with GEMMs", "true", false,
       get_plan_field<bool, &ParallelPlan::tp_overlap>, set_plan_field<bool, &ParallelPlan::tp_overlap>},
      {"tp_backward_overlap", "", K::boolean, {}, "true",
       "without tp_overlap: column-parallel linears run their backward collectives beside their own GEMMs (Megatron-LM since 2021-09)",
       "false", false, get_plan_field<bool, &ParallelPlan::tp_backward_overlap>,
       set_plan_field<bool, &ParallelPlan::tp_backward_overlap>},
      {"pp_send_overlap", "", K::boolean, {}, "true",
       "with interleaved 1F1B (vp > 1): pipeline sends beside the other direction's compute, only warm-up and cool-down sends "
       "exposed (Megatron-Core's overlap_p2p_comm, Megatron-LM's default since 2023-10)",
       "false", false, get_plan_field<bool, &ParallelPlan::pp_send_overlap>, set_plan_field<bool, &ParallelPlan::pp_send_overlap>},
      {"fp32_grad_reduce", "", K::boolean, {}, "true", "fp32 main gradients, reduced in fp32", "false", false,
       get_plan_field<bool, &ParallelPlan::fp32_grad_reduce>, set_plan_field<bool, &ParallelPlan::fp32_grad_reduce>},
      {"fp8_params", "", K::boolean, {}, "false",
       "with fp8: weights kept only as fp8 tensors and their fp8 transpose (Transformer Engine's fp8_model_init), no bf16 copy",
       "true", false, get_plan_field<bool, &ParallelPlan::fp8_params>, set_plan_field<bool, &ParallelPlan::fp8_params>},
      {"optimizer_state_bytes", "", K::number, {}, "12",
       "bytes per parameter of the optimizer state: 12 = fp32 master + two fp32 Adam moments; 6 = all three in bf16", "6", false,
       get_plan_field<double, &ParallelPlan::optimizer_state_bytes>, set_plan_field<double, &ParallelPlan::optimizer_state_bytes>},
      {"cross_entropy", "", K::choice, {"fused", "unfused"}, "fused",
       "the loss's fp32 buffers: fused (one fp32 logits copy, turned into the gradient in place: Megatron-Core) | unfused "
       "(PyTorch's F.cross_entropy on an fp32 copy: three at its backward, four vocabulary-parallel; TorchTitan)",
       "unfused", false, [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.cross_entropy)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.cross_entropy = cross_entropy_named(v.get<std::string>()); }},
      {"uneven_pipeline", "", K::boolean, {}, "false", "allow layers % pp != 0 (first/last stages carry fewer layers)", "true",
       false, get_plan_field<bool, &ParallelPlan::uneven_pipeline>, set_plan_field<bool, &ParallelPlan::uneven_pipeline>},
      // ---- an explicit pipeline layout (planner/core/pipeline_layout.hpp); any layout text is accepted (`accepts`) ----
      // The choices listed are the layouts of the cited recipes (DeepSeek-V3 and Qwen3-235B on PP 8 x VP 4).
      {"pipeline_layout", "pipeline-layout", K::choice, {"Et|(tt|)*30mL", "Ett|(ttt|)*30ttL"}, "none (the even split)",
       "where every layer sits, in Megatron-Core's pipeline_model_parallel_layout syntax: E embedding, t transformer layer, "
       "m MTP module, L loss, '|' between virtual stages (stage i on rank i % pp), (...)*N and x*N repeat; "
       "its stage count fixes pp x vp",
       "Et|tt|tt|tL", false, [](const ParallelPlan& p, const TrainingJob&) { return json(p.pipeline_layout.text); },
       set_parsed_plan_field<PipelineLayout, &ParallelPlan::pipeline_layout, parse_pipeline_layout>, "", "",
       accepts_parsed<PipelineLayout, parse_pipeline_layout, kPipelineLayoutExpected>},
      {"ep_overlap", "", K::boolean, {}, "false", "overlap the expert-parallel all-to-all with another micro-batch's compute",
       "true", false, get_plan_field<bool, &ParallelPlan::ep_overlap>, set_plan_field<bool, &ParallelPlan::ep_overlap>},
      {"ep_overlap_schedule", "", K::choice, {"megatron_1f1b", "dualpipe"}, "megatron_1f1b",
       "with ep_overlap, the schedule that pairs micro-batches: megatron_1f1b (combined 1F1B all-to-all overlap) | dualpipe "
       "(DeepSeek-V3's bidirectional schedule)",
       "dualpipe", false, [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.ep_overlap_schedule)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.ep_overlap_schedule = overlap_schedule_named(v.get<std::string>()); }},
      {"moe_dispatcher", "", K::choice, {"all_to_all", "hierarchical"}, "all_to_all",
       "how routed tokens reach their experts: all_to_all | hierarchical (one copy per node, then NVLink)", "hierarchical", false,
       [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.moe_dispatcher)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.moe_dispatcher = dispatcher_named(v.get<std::string>()); }},
      {"expert_gemm", "", K::choice, {"grouped", "multi_stream"}, "grouped",
       "MoE: how a GPU's routed experts' GEMMs launch: grouped (one grouped kernel) | multi_stream (one cuBLAS GEMM per "
       "expert on Transformer Engine's 4 streams, TE's GroupedLinear through 2.9)",
       "multi_stream", false, [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.expert_gemm)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.expert_gemm = expert_gemm_named(v.get<std::string>()); }},
      {"dispatch_fp8", "", K::boolean, {}, "false", "dispatch routed tokens in fp8 (one fp32 scale per 128 values)", "true", false,
       get_plan_field<bool, &ParallelPlan::dispatch_fp8>, set_plan_field<bool, &ParallelPlan::dispatch_fp8>},
      {"moe_act_recompute", "", K::boolean, {}, "false",
       "MoE: re-run the routed experts' activation in backward instead of keeping its output (Megatron moe_act recompute)",
       "true", false, get_plan_field<bool, &ParallelPlan::moe_act_recompute>, set_plan_field<bool, &ParallelPlan::moe_act_recompute>},
      {"moe_act_input_fp8", "", K::boolean, {}, "false",
       "MoE: keep the routed experts' activation input in fp8 with one fp32 scale per 128 values (DeepSeek-V3)", "true", false,
       get_plan_field<bool, &ParallelPlan::moe_act_input_fp8>, set_plan_field<bool, &ParallelPlan::moe_act_input_fp8>},
      {"fp8_scaling", "", K::choice, {"delayed", "current", "blockwise"}, "delayed",
       "with fp8, how scales are found: delayed (amax history, amaxes all-reduced over the stage's tp x dp x cp GPUs every "
       "micro-batch; Megatron's default) | current (per tensor) | blockwise (per tile, DeepSeek-V3, MXFP8)",
       "current", false, [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.fp8_scaling)); },
       [](const json& v, ParallelPlan& p, TrainingJob&) { p.fp8_scaling = fp8_scaling_named(v.get<std::string>()); }},
      {"fp8_amax_reduce_dp", "", K::boolean, {}, "true",
       "with fp8 delayed scaling: all-reduce the amaxes over the stage's data- and context-parallel GPUs too (false: over the "
       "tensor-parallel group only, Transformer Engine <= 1.5's NVTE_DP_AMAX_REDUCE_INTERVAL=0)",
       "false", false, get_plan_field<bool, &ParallelPlan::fp8_amax_reduce_dp>, set_plan_field<bool, &ParallelPlan::fp8_amax_reduce_dp>},
      {"fp8_amax_reduce_async", "", K::boolean, {}, "false",
       "with fp8 delayed scaling: the amax all-reduce runs asynchronously beside compute, off the critical path (Transformer "
       "Engine <= 1.5's NVTE_ASYNC_AMAX_REDUCTION=1)",
       "true", false, get_plan_field<bool, &ParallelPlan::fp8_amax_reduce_async>,
       set_plan_field<bool, &ParallelPlan::fp8_amax_reduce_async>},
      // ---- placement: the rank order (planner/core/network/rank_order.hpp); any order of the names is accepted (`accepts`) ----
      {"rank_order", "rank-order", K::choice, {"tp-cp-ep-dp-pp", "tp-cp-ep-pp-dp"}, "tp-cp-ep-dp-pp",
       "how the parallel dimensions tile the ranks, innermost first (Megatron-Core's order): tp-cp-ep-dp-pp (its default) | "
       "tp-cp-ep-pp-dp (--use-tp-pp-dp-mapping) | any order of tp, cp, ep, dp, pp joined by '-' (cp, ep may be left out when 1)",
       "tp-cp-ep-pp-dp", false, [](const ParallelPlan& p, const TrainingJob&) { return json(to_string(p.rank_order)); },
       set_parsed_plan_field<RankOrder, &ParallelPlan::rank_order, parse_rank_order>, "", "",
       accepts_parsed<RankOrder, parse_rank_order, kRankOrderExpected>},
  };
}

// The knobs search, size and sweep search when their flag is not given, and how (docs/search.md's
// table of the space); every other option stays at its default there.
std::vector<PlanOption> build_table() {
  std::vector<PlanOption> table = table_rows();
  const std::pair<const char*, const char*> searched[] = {
      {"tp", "divisors of the scale-up domain that split the heads, up to --tp-max"},
      {"pp", "divisors of the layers, up to --pp-max; every count with --uneven-pipeline"},
      {"dp", "gpus / (tp*pp*cp), derived"},
      {"cp", "divisors of seq_len up to --cp-max"},
      {"ep", "divisors of the routed experts (MoE), up to --ep-max"},
      {"expert_tp", "the attention's tp and 1, MoE with tp > 1"},
      {"vp", "1 and every v with pp*v dividing the layers, up to --vp-max"},
      {"micro_batch", "every size that splits the batch, up to --micro-batch-max"},
      {"precision", "the --precisions list"},
      {"recompute", "the --recompute-modes list"},
      {"sequence_parallel", "off and on, on only with tp > 1"},
      {"zero", "the --zero-stages list"}};
  for (const auto& [key, space] : searched)
    for (PlanOption& o : table)
      if (key == std::string(o.key)) o.searched = space;
  return table;
}

// The range of a numeric option (planner/io/input_limits.hpp, docs/formats.md "Ranges"); counts are
// read as 64-bit numbers and checked against it before they are narrowed.
Range value_range(const PlanOption& o, const ParallelPlan& plan) {
  const std::string key = o.key;
  if (key == "gpus") return limits::gpus;
  if (key == "gpus_per_node") return limits::gpus_per_node;
  if (key == "memory_headroom_gib") return limits::memory_headroom_gib;
  if (key == "tokens") return limits::training_tokens;
  if (key == "dp") return Range{0, limits::gpus.max};
  if (key == "expert_tp") return Range{0, limits::parallel_size.max};
  if (key == "micro_batch") return limits::micro_batch;
  if (key == "seq_len") return limits::seq_len;
  if (key == "recompute_layers") return limits::layers;
  if (key == "activation_offload_layers") return Range{0, limits::layers.max};
  if (key == "zero") return limits::zero_stage;
  if (key == "global_batch_tokens") return limits::global_batch_tokens;
  // Sequences per step: at most limits::global_batch_tokens tokens at this sequence length.
  if (key == "global_batch") return Range{1, std::max(1.0, std::floor(limits::global_batch_tokens.max / plan.seq_len))};
  return limits::parallel_size;  // tp, pp, cp, ep, vp
}

// The option's value in `fields`, read and checked by its kind and range.
json read_value(const FieldReader& f, const PlanOption& o, const ParallelPlan& plan) {
  switch (o.kind) {
    case OptionKind::positive_count:
    case OptionKind::whole_or_zero: return json(f.get_whole(o.key, value_range(o, plan)));
    case OptionKind::number: return json(f.get_number(o.key, value_range(o, plan)));
    case OptionKind::boolean: return json(f.get_bool(o.key));
    case OptionKind::choice: {
      const std::string value = f.get_string(o.key);
      if (o.accepts) {  // a rule, not only the listed words
        const std::string expected = o.accepts(value);
        if (!expected.empty()) f.fail(o.key, expected);
        return json(value);
      }
      std::string list;
      for (const char* c : o.choices) {
        if (value == c) return json(value);
        list += (list.empty() ? "" : " | ") + std::string(c);
      }
      f.fail(o.key, "expected one of " + list + ", got '" + value + "'");
    }
  }
  return json();
}

// An NVLink domain of 1 or 2 GPUs or a multiple of 4 (8 on HGX, 36/72 on GB200 NVL), at most 576.
void check_gpus_per_node(const FieldReader& f, int gpus_per_node) {
  if (!limits::is_domain_size(gpus_per_node))
    f.fail("gpus_per_node", "expected 1, 2 or a multiple of 4 GPUs per node (8 on HGX, 72 on GB200 NVL72), got " +
                                std::to_string(gpus_per_node));
}

// Each parallel size is a group of GPUs: none can be larger than the job.
void check_sizes_within_gpus(const FieldReader& f, const ParallelPlan& plan, const TrainingJob& job) {
  const std::pair<const char*, int> sizes[] = {{"tp", plan.tp}, {"pp", plan.pp}, {"dp", plan.dp},
                                               {"cp", plan.cp}, {"ep", plan.ep}, {"expert_tp", plan.expert_tp}};
  for (const auto& [key, size] : sizes)
    if (size > job.gpus) f.fail(key, "must not exceed gpus (" + std::to_string(job.gpus) + "), got " + std::to_string(size));
}

}  // namespace

const std::vector<PlanOption>& plan_option_table() {
  static const std::vector<PlanOption> table = build_table();
  return table;
}

const PlanOption* find_plan_option(const std::string& key) {
  for (const PlanOption& o : plan_option_table())
    if (key == o.key) return &o;
  return nullptr;
}

void read_plan_options(const FieldReader& f, ParallelPlan& plan, TrainingJob& job) {
  std::vector<std::string> given;  // the keys with a value (f.has), read off the mapping once
  for (const auto& entry : f.node()) {
    std::string key = entry.first.as<std::string>();
    if (find_plan_option(key)) {
      if (!entry.second.IsNull()) given.push_back(std::move(key));
      continue;
    }
    std::string list;
    for (const PlanOption& o : plan_option_table()) list += (list.empty() ? "" : ", ") + std::string(o.key);
    f.fail(key, "unknown key (expected one of: " + list + ")");
  }
  const auto is_given = [&](const char* key) { return std::find(given.begin(), given.end(), key) != given.end(); };
  // seq_len first: the range of global_batch depends on it.
  if (const PlanOption* seq_len = find_plan_option("seq_len"); is_given(seq_len->key))
    seq_len->set(read_value(f, *seq_len, plan), plan, job);
  for (const PlanOption& o : plan_option_table())
    if (o.set && is_given(o.key)) o.set(read_value(f, o, plan), plan, job);
  if (job.gpus <= 0) job.gpus = 1;
  check_gpus_per_node(f, job.gpus_per_node);
  check_sizes_within_gpus(f, plan, job);
  // Placement: Megatron-Core refuses an order without a dimension whose size is above 1.
  for (const auto& [dim, size] : {std::pair{RankDim::cp, plan.cp}, std::pair{RankDim::ep, plan.ep}})
    if (size > 1 && !plan.rank_order.has(dim))
      f.fail("rank_order", "'" + to_string(plan.rank_order) + "' leaves out " + to_string(dim) + ", but " + std::string(to_string(dim)) +
                               " is " + std::to_string(size) + " (a dimension of size above 1 must be in the order)");

  if (f.has("global_batch") && f.has("global_batch_tokens"))
    f.fail("global_batch_tokens", "give either global_batch (sequences) or global_batch_tokens, not both");
  if (f.has("global_batch_tokens")) {
    // Token-batch rule (planner/io/token_batch.hpp): suffixes count powers of 1024 (16M = 16,777,216),
    // and a batch that is not a whole number of sequences goes to the nearest whole one.
    const YAML::Node value = f.node()["global_batch_tokens"];
    const std::string text = value.IsScalar() ? value.Scalar() : "";
    const auto tokens = parse_token_batch(text);
    if (!tokens || !(*tokens >= limits::global_batch_tokens.min && *tokens <= limits::global_batch_tokens.max))
      f.fail("global_batch_tokens", "expected " + range_text(limits::global_batch_tokens) +
                                        " tokens per step (in a token batch K, M, G, T count powers of 1024: 16M = "
                                        "16,777,216), got '" + text + "'");
    const WholeBatch batch = whole_sequences(*tokens, plan.seq_len);
    if (batch.sequences < 1)
      f.fail("global_batch_tokens", "is less than half a sequence of seq_len " + std::to_string(plan.seq_len) +
                                        " tokens, got '" + text + "'");
    plan.global_batch = batch.sequences;
  }
  if (plan.recompute_layers > 0 && plan.recompute != Recompute::full)
    f.fail("recompute_layers", "applies to full recomputation only (set recompute: full)");
  if (plan.zero_stage > 3) f.fail("zero", "expected 0, 1, 2 or 3");
  if (plan.optimizer_state_bytes <= 0)
    f.fail("optimizer_state_bytes", "expected bytes per parameter > 0 (12: fp32 master + Adam moments; 6: all bf16)");
}

nlohmann::json plan_options_json(const ParallelPlan& plan, const TrainingJob& job, bool job_options) {
  json j = json::object();
  for (const PlanOption& o : plan_option_table())
    if (o.written() && o.job == job_options) j[o.key] = o.get(plan, job);
  return j;
}

std::string option_cell(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace trainplan

// ---- Megatron-LM and NeMo / Megatron-Bridge names: what each means in trainplan's terms ----
namespace trainplan {

namespace {

std::vector<FrameworkName> build_framework_names() {
  using V = FrameworkValue;
  const std::vector<std::pair<const char*, const char*>> yes_no = {{"true", "true"}, {"false", "false"}};
  const std::vector<std::pair<const char*, const char*>> no_yes = {{"true", "false"}, {"false", "true"}};
  return {
      // Parallel layout and batch (plan options).
      {"tensor-model-parallel-size", "tensor_model_parallel_size", "plan.tp", V::same, {}, false},
      {"pipeline-model-parallel-size", "pipeline_model_parallel_size", "plan.pp", V::same, {}, false},
      {"context-parallel-size", "context_parallel_size", "plan.cp", V::same, {}, false},
      {"expert-model-parallel-size", "expert_model_parallel_size", "plan.ep", V::same, {}, false},
      {"expert-tensor-parallel-size", "expert_tensor_parallel_size", "plan.expert_tp", V::same, {}, false},
      {"virtual-pipeline-model-parallel-size", "virtual_pipeline_model_parallel_size", "plan.vp", V::same, {}, false},
      {"pipeline-model-parallel-layout", "pipeline_model_parallel_layout", "plan.pipeline_layout", V::same, {}, false},
      {"num-layers-per-virtual-pipeline-stage", "", "plan.layers_per_virtual_stage", V::same, {}, false},
      {"micro-batch-size", "micro_batch_size", "plan.micro_batch", V::same, {}, false},
      {"global-batch-size", "global_batch_size", "plan.global_batch", V::same, {}, false},
      {"seq-length", "seq_length", "plan.seq_len", V::same, {}, false},
      {"", "sequence_length", "plan.seq_len", V::same, {}, false},  // Megatron-Bridge dataset.sequence_length
      {"sequence-parallel", "sequence_parallel", "plan.sequence_parallel", V::words, yes_no, true},
      {"use-distributed-optimizer", "use_distributed_optimizer", "plan.zero", V::words, {{"true", "1"}, {"false", "0"}}, true},
      {"recompute-granularity", "recompute_granularity", "plan.recompute", V::words, {{"full", "full"}, {"selective", "selective"}}, false},
      {"recompute-num-layers", "recompute_num_layers", "plan.recompute_layers", V::same, {}, false},
      {"fp8-format", "fp8", "plan.precision", V::words, {{"hybrid", "fp8"}, {"e4m3", "fp8"}}, false},
      {"fp8-param-gather", "fp8_param_gather", "plan.fp8_params", V::words, yes_no, true},
      {"tp-comm-overlap", "tp_comm_overlap", "plan.tp_overlap", V::words, yes_no, true},
      {"overlap-grad-reduce", "overlap_grad_reduce", "plan.dp_overlap", V::words, yes_no, true},
      {"no-overlap-p2p-communication", "", "plan.pp_send_overlap", V::words, no_yes, true},
      {"", "overlap_p2p_comm", "plan.pp_send_overlap", V::words, yes_no, false},
      {"grad-reduce-in-bf16", "", "plan.fp32_grad_reduce", V::words, no_yes, true},
      {"", "grad_reduce_in_fp32", "plan.fp32_grad_reduce", V::words, yes_no, false},
      {"use-tp-pp-dp-mapping", "use_tp_pp_dp_mapping", "plan.rank_order", V::words,
       {{"true", "tp-cp-ep-pp-dp"}, {"false", "tp-cp-ep-dp-pp"}}, true},  // placement: Megatron-Core's alternative order
      // Model shape (model fields).
      {"num-layers", "num_layers", "model.layers", V::same, {}, false},
      {"hidden-size", "hidden_size", "model.hidden", V::same, {}, false},
      {"ffn-hidden-size", "ffn_hidden_size", "model.ffn", V::same, {}, false},
      {"num-attention-heads", "num_attention_heads", "model.heads", V::same, {}, false},
      {"num-query-groups", "num_query_groups", "model.kv_heads", V::same, {}, false},
      {"kv-channels", "kv_channels", "model.head_dim", V::same, {}, false},
      {"vocab-size", "vocab_size", "model.vocab", V::same, {}, false},
      {"swiglu", "gated_linear_unit", "model.mlp", V::words, {{"true", "swiglu"}, {"false", "gelu"}}, true},
      {"squared-relu", "", "model.mlp", V::words, {{"true", "squared-relu"}}, true},
      {"untie-embeddings-and-output-weights", "", "model.tied_embeddings", V::words, no_yes, true},
      {"", "share_embeddings_and_output_weights", "model.tied_embeddings", V::words, yes_no, false},
      {"disable-bias-linear", "", "model.linear_biases", V::words, no_yes, true},
      {"", "add_bias_linear", "model.linear_biases", V::words, yes_no, false},
      {"num-experts", "num_moe_experts", "model.moe.routed_experts", V::same, {}, false},
      {"moe-router-topk", "moe_router_topk", "model.moe.top_k", V::same, {}, false},
      {"moe-ffn-hidden-size", "moe_ffn_hidden_size", "model.moe.expert_ffn", V::same, {}, false},
      {"mtp-num-layers", "mtp_num_layers", "model.mtp_layers", V::same, {}, false},
      {"multi-latent-attention", "multi_latent_attention", "model.attention", V::words, {{"true", "mla"}, {"false", "standard"}}, true},
      {"q-lora-rank", "q_lora_rank", "model.mla.q_lora_rank", V::same, {}, false},
      {"kv-lora-rank", "kv_lora_rank", "model.mla.kv_lora_rank", V::same, {}, false},
      {"qk-head-dim", "qk_head_dim", "model.mla.qk_nope_head_dim", V::same, {}, false},
      {"qk-pos-emb-head-dim", "qk_pos_emb_head_dim", "model.mla.qk_rope_head_dim", V::same, {}, false},
      {"v-head-dim", "v_head_dim", "model.mla.v_head_dim", V::same, {}, false},
  };
}

}  // namespace

const std::vector<FrameworkName>& framework_names() {
  static const std::vector<FrameworkName> names = build_framework_names();
  return names;
}

const FrameworkName* find_megatron_name(const std::string& name) {
  for (const FrameworkName& n : framework_names())
    if (n.megatron[0] != '\0' && name == n.megatron) return &n;
  return nullptr;
}

const FrameworkName* find_nemo_name(const std::string& key) {
  for (const FrameworkName& n : framework_names())
    if (n.nemo[0] != '\0' && key == n.nemo) return &n;
  return nullptr;
}

}  // namespace trainplan
