// The plan/job mapping: parallel layout, batch, precision, recomputation, GPU count, tokens.
#include <cmath>

#include "description_loader.hpp"
#include "input_error.hpp"

namespace trainplan {

void parse_plan(const FieldReader& f, ParallelPlan& plan, TrainingJob& job) {
  f.reject_unknown_keys({"gpus", "gpus_per_node", "tokens", "tp", "pp", "dp", "cp", "ep", "vp", "micro_batch",
                         "global_batch", "global_batch_tokens", "seq_len", "precision", "recompute", "sequence_parallel",
                         "zero", "attention_kernel", "causal", "dp_overlap", "tp_overlap", "fp32_grad_reduce",
                         "uneven_pipeline", "recompute_layers", "cp_comm", "ep_overlap", "ep_overlap_schedule", "moe_dispatcher", "dispatch_fp8", "expert_tp"});
  auto count = [&](const char* key, int fallback) { return static_cast<int>(f.get_count(key, fallback)); };
  job.gpus = count("gpus", job.gpus > 0 ? job.gpus : 1);
  job.gpus_per_node = count("gpus_per_node", job.gpus_per_node);
  job.training_tokens = f.get_non_negative("tokens", job.training_tokens);
  plan.tp = count("tp", plan.tp);
  plan.pp = count("pp", plan.pp);
  plan.dp = static_cast<int>(f.get_non_negative_count("dp", plan.dp));
  plan.cp = count("cp", plan.cp);
  plan.ep = count("ep", plan.ep);
  plan.vp = count("vp", plan.vp);
  plan.micro_batch = count("micro_batch", plan.micro_batch);
  plan.seq_len = count("seq_len", plan.seq_len);
  if (f.has("global_batch") && f.has("global_batch_tokens"))
    f.fail("global_batch_tokens", "give either global_batch (sequences) or global_batch_tokens, not both");
  if (f.has("global_batch")) plan.global_batch = f.get_count("global_batch");
  if (f.has("global_batch_tokens")) {
    const double tokens = static_cast<double>(f.get_count("global_batch_tokens"));
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
  plan.recompute_layers = static_cast<int>(f.get_non_negative_count("recompute_layers", plan.recompute_layers));
  if (plan.recompute_layers > 0 && plan.recompute != Recompute::full)
    f.fail("recompute_layers", "applies to full recomputation only (set recompute: full)");
  plan.sequence_parallel = f.get_bool("sequence_parallel", plan.sequence_parallel);
  plan.zero_stage = static_cast<int>(f.get_non_negative_count("zero", plan.zero_stage));
  if (plan.zero_stage > 3) f.fail("zero", "expected 0, 1, 2 or 3");
  const std::string kernel = f.get_choice("attention_kernel", {"flash2", "flash3", "materialized"}, to_string(plan.attention_kernel));
  plan.attention_kernel = kernel == "flash3" ? AttentionKernel::flash3 : kernel == "flash2" ? AttentionKernel::flash2 : AttentionKernel::materialized;
  plan.causal = f.get_bool("causal", plan.causal);
  plan.dp_overlap = f.get_bool("dp_overlap", plan.dp_overlap);
  plan.tp_overlap = f.get_bool("tp_overlap", plan.tp_overlap);
  plan.fp32_grad_reduce = f.get_bool("fp32_grad_reduce", plan.fp32_grad_reduce);
  plan.uneven_pipeline = f.get_bool("uneven_pipeline", plan.uneven_pipeline);
  plan.ep_overlap = f.get_bool("ep_overlap", plan.ep_overlap);
  plan.ep_overlap_schedule = f.get_choice("ep_overlap_schedule", {"megatron_1f1b", "dualpipe"}, to_string(plan.ep_overlap_schedule)) == "dualpipe"
                                 ? EpOverlapSchedule::dualpipe
                                 : EpOverlapSchedule::megatron_1f1b;
  plan.moe_dispatcher = f.get_choice("moe_dispatcher", {"all_to_all", "hierarchical"}, to_string(plan.moe_dispatcher)) == "hierarchical"
                            ? MoeDispatcher::hierarchical
                            : MoeDispatcher::all_to_all;
  plan.dispatch_fp8 = f.get_bool("dispatch_fp8", plan.dispatch_fp8);
  plan.expert_tp = static_cast<int>(f.get_non_negative_count("expert_tp", plan.expert_tp));
  plan.cp_all_gather = f.get_choice("cp_comm", {"ring", "all_gather"}, plan.cp_all_gather ? "all_gather" : "ring") == "all_gather";
}

}  // namespace trainplan
