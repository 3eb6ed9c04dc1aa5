// The plan/job mapping: parallel layout, batch, precision, recomputation, GPU count, tokens.
#include <algorithm>
#include <cmath>
#include <utility>

#include "description_loader.hpp"
#include "input_error.hpp"

namespace trainplan {

namespace {

// An NVLink domain of 1 or 2 GPUs or a multiple of 4 (8 on HGX, 36/72 on GB200 NVL), at most 576.
void check_gpus_per_node(const FieldReader& f, int gpus_per_node) {
  if (gpus_per_node > 2 && gpus_per_node % 4 != 0)
    f.fail("gpus_per_node", "expected 1, 2 or a multiple of 4 GPUs per node (8 on HGX, 72 on GB200 NVL72), got " +
                                std::to_string(gpus_per_node));
}

// Each parallel size is a group of GPUs: none can be larger than the job.
void check_sizes_within_gpus(const FieldReader& f, const ParallelPlan& plan, const TrainingJob& job) {
  const std::pair<const char*, int> sizes[] = {{"tp", plan.tp}, {"pp", plan.pp}, {"dp", plan.dp},
                                               {"cp", plan.cp}, {"ep", plan.ep}};
  for (const auto& [key, size] : sizes)
    if (size > job.gpus)
      f.fail(key, "must not exceed gpus (" + std::to_string(job.gpus) + "), got " + std::to_string(size));
}

// Sequences per step: at most limits::global_batch_tokens tokens at this sequence length.
Range global_batch_range(const ParallelPlan& plan) {
  return Range{1, std::max(1.0, std::floor(limits::global_batch_tokens.max / plan.seq_len))};
}

}  // namespace

void parse_plan(const FieldReader& f, ParallelPlan& plan, TrainingJob& job) {
  f.reject_unknown_keys({"gpus", "gpus_per_node", "tokens", "tp", "pp", "dp", "cp", "ep", "vp", "micro_batch",
                         "global_batch", "global_batch_tokens", "seq_len", "precision", "recompute", "sequence_parallel",
                         "zero", "attention_kernel", "causal", "dp_overlap", "tp_overlap", "fp32_grad_reduce",
                         "uneven_pipeline", "recompute_layers", "cp_comm", "ep_overlap", "moe_dispatcher", "dispatch_fp8", "expert_tp"});
  // Ranges: planner/io/input_limits.hpp (docs/formats.md); sizes read as 64-bit and checked before narrowing.
  auto count = [&](const char* key, Range range, int fallback) { return f.get_int(key, range, fallback); };
  job.gpus = count("gpus", limits::gpus, job.gpus > 0 ? job.gpus : 1);
  job.gpus_per_node = count("gpus_per_node", limits::gpus_per_node, job.gpus_per_node);
  check_gpus_per_node(f, job.gpus_per_node);
  job.training_tokens = f.get_number("tokens", limits::training_tokens, job.training_tokens);
  plan.tp = count("tp", limits::parallel_size, plan.tp);
  plan.pp = count("pp", limits::parallel_size, plan.pp);
  plan.dp = count("dp", Range{0, limits::gpus.max}, plan.dp);
  plan.cp = count("cp", limits::parallel_size, plan.cp);
  plan.ep = count("ep", limits::parallel_size, plan.ep);
  plan.vp = count("vp", limits::parallel_size, plan.vp);
  plan.micro_batch = count("micro_batch", limits::micro_batch, plan.micro_batch);
  plan.seq_len = count("seq_len", limits::seq_len, plan.seq_len);
  check_sizes_within_gpus(f, plan, job);
  if (f.has("global_batch") && f.has("global_batch_tokens"))
    f.fail("global_batch_tokens", "give either global_batch (sequences) or global_batch_tokens, not both");
  if (f.has("global_batch")) plan.global_batch = f.get_whole("global_batch", global_batch_range(plan));
  if (f.has("global_batch_tokens")) {
    const double tokens = static_cast<double>(f.get_whole("global_batch_tokens", limits::global_batch_tokens));
    const double sequences = tokens / plan.seq_len;
    if (sequences < 1 || std::abs(sequences - std::round(sequences)) > 1e-9)
      f.fail("global_batch_tokens", "must be a whole number of sequences of seq_len " + std::to_string(plan.seq_len) +
                                        " tokens, got " + f.node()["global_batch_tokens"].Scalar() + " (" +
                                        std::to_string(static_cast<long long>(tokens)) + " tokens; nearest whole batch: " +
                                        std::to_string(std::max(1LL, std::llround(sequences))) + " sequences = " +
                                        std::to_string(std::max(1LL, std::llround(sequences)) * plan.seq_len) +
                                        " tokens; binary suffixes such as 16Mi = 16,777,216 also work)");
    plan.global_batch = static_cast<std::int64_t>(std::llround(sequences));
  }
  plan.precision = f.get_choice("precision", {"bf16", "fp8"}, to_string(plan.precision)) == "fp8" ? Precision::fp8 : Precision::bf16;
  const std::string recompute = f.get_choice("recompute", {"none", "selective", "full"}, to_string(plan.recompute));
  plan.recompute = recompute == "full" ? Recompute::full : recompute == "selective" ? Recompute::selective : Recompute::none;
  plan.recompute_layers = count("recompute_layers", limits::layers, plan.recompute_layers);
  if (plan.recompute_layers > 0 && plan.recompute != Recompute::full)
    f.fail("recompute_layers", "applies to full recomputation only (set recompute: full)");
  plan.sequence_parallel = f.get_bool("sequence_parallel", plan.sequence_parallel);
  plan.zero_stage = count("zero", limits::zero_stage, plan.zero_stage);
  const std::string kernel = f.get_choice("attention_kernel", {"flash2", "flash3", "materialized"}, to_string(plan.attention_kernel));
  plan.attention_kernel = kernel == "flash3" ? AttentionKernel::flash3 : kernel == "flash2" ? AttentionKernel::flash2 : AttentionKernel::materialized;
  plan.causal = f.get_bool("causal", plan.causal);
  plan.dp_overlap = f.get_bool("dp_overlap", plan.dp_overlap);
  plan.tp_overlap = f.get_bool("tp_overlap", plan.tp_overlap);
  plan.fp32_grad_reduce = f.get_bool("fp32_grad_reduce", plan.fp32_grad_reduce);
  plan.uneven_pipeline = f.get_bool("uneven_pipeline", plan.uneven_pipeline);
  plan.ep_overlap = f.get_bool("ep_overlap", plan.ep_overlap);
  plan.moe_dispatcher = f.get_choice("moe_dispatcher", {"all_to_all", "hierarchical"}, to_string(plan.moe_dispatcher)) == "hierarchical"
                            ? MoeDispatcher::hierarchical
                            : MoeDispatcher::all_to_all;
  plan.dispatch_fp8 = f.get_bool("dispatch_fp8", plan.dispatch_fp8);
  plan.expert_tp = count("expert_tp", Range{0, limits::parallel_size.max}, plan.expert_tp);
  if (plan.expert_tp > job.gpus) f.fail("expert_tp", "must not exceed gpus (" + std::to_string(job.gpus) + ")");
  plan.cp_all_gather = f.get_choice("cp_comm", {"ring", "all_gather"}, plan.cp_all_gather ? "all_gather" : "ring") == "all_gather";
}

}  // namespace trainplan
