#pragma once
// How many tokens a run needs to reach the same loss at a given global batch: the token-efficiency
// side of the batch size. Pure: no I/O. The laws and their published constants are in
// planner/data/batch_laws.yaml; docs/calendar.md derives and discusses them.
//
// McCandlish, Kaplan, Amodei et al., "An Empirical Model of Large-Batch Training" (2018,
// arXiv:1812.06162), section 2.2-2.3: with the gradient noise scale B_noise, the best step at batch B
// makes 1 / (1 + B_noise / B) of the progress of a full-batch step (eq. 2.7), so reaching a loss takes
//   S / S_min = 1 + B_noise / B  steps  and  E / E_min = 1 + B / B_noise  examples,
// whose product gives their eq. 2.11, (S/S_min - 1)(E/E_min - 1) = 1, with the critical batch
// B_crit = E_min / S_min (eq. 2.12) standing for B_noise. At B = B_crit a run takes twice the
// minimal steps and twice the minimal tokens.
#include <string>

namespace trainplan {

enum class BatchLawKind {
  off,           // every batch is as token-efficient as any other (the planner's behaviour without a law)
  mccandlish,    // E/E_min = 1 + B/B_crit with a fixed critical batch in tokens
  deepseek_llm,  // the same form, B_crit = coefficient * C^exponent: DeepSeek LLM's fitted optimal batch
};

const char* to_string(BatchLawKind kind);

struct BatchLaw {
  BatchLawKind kind = BatchLawKind::off;
  double critical_batch_tokens = 0;  // mccandlish: B_crit (tokens per optimizer step)
  // deepseek_llm: B_opt = coefficient * C^exponent tokens, C = non-embedding FLOPs per token x tokens
  // (DeepSeek LLM, arXiv:2401.02954, section 3.1 eq. 1: 0.2920 and 0.3271).
  double coefficient = 0;
  double exponent = 0;
};

// The critical batch in tokens for a run of `compute_flops` (C = M * D, model FLOPs per token times
// training tokens; used by deepseek_llm only). 0 when the law is off.
double critical_batch_tokens(const BatchLaw& law, double compute_flops);

// E / E_min = 1 + B / B_crit: tokens needed at `batch_tokens` relative to the small-batch limit.
// 1 when the law is off (critical_tokens <= 0).
double token_multiple(double batch_tokens, double critical_tokens);

// S / S_min = 1 + B_crit / B: optimizer steps needed relative to the large-batch limit.
double step_multiple(double batch_tokens, double critical_tokens);

// The token efficiency of a batch against the reference batch the run's token count was stated for:
// a token trained at `batch_tokens` counts as token_multiple(reference) / token_multiple(batch)
// tokens at the reference batch. 1 at the reference batch, and whenever the law is off.
double relative_token_efficiency(double batch_tokens, double reference_batch_tokens, double critical_tokens);

// The batch law resolved for one run: the critical batch it implies and the reference batch.
struct BatchEfficiency {
  BatchLaw law;
  double critical_tokens = 0;          // resolved B_crit (0: off)
  double reference_batch_tokens = 0;   // the batch the run's token count was stated for
  double efficiency(double batch_tokens) const {
    return relative_token_efficiency(batch_tokens, reference_batch_tokens, critical_tokens);
  }
};

BatchEfficiency resolve_batch_efficiency(const BatchLaw& law, double compute_flops, double reference_batch_tokens);

}  // namespace trainplan
