// The token cost of a batch size against a critical batch (derivation in batch_efficiency.hpp).
#include "planner/core/calendar/batch_efficiency.hpp"

#include <cmath>

namespace trainplan {

const char* to_string(BatchLawKind kind) {
  switch (kind) {
    case BatchLawKind::off: return "off";
    case BatchLawKind::mccandlish: return "mccandlish";
    case BatchLawKind::deepseek_llm: return "deepseek-llm";
  }
  return "?";
}

double critical_batch_tokens(const BatchLaw& law, double compute_flops) {
  switch (law.kind) {
    case BatchLawKind::off: return 0;
    case BatchLawKind::mccandlish: return law.critical_batch_tokens;
    case BatchLawKind::deepseek_llm:
      // DeepSeek LLM section 3.1, eq. 1: B_opt = 0.2920 * C^0.3271 (tokens), read as the critical batch.
      return compute_flops > 0 ? law.coefficient * std::pow(compute_flops, law.exponent) : 0;
  }
  return 0;
}

double token_multiple(double batch_tokens, double critical_tokens) {
  return critical_tokens > 0 ? 1.0 + batch_tokens / critical_tokens : 1.0;
}

double step_multiple(double batch_tokens, double critical_tokens) {
  return critical_tokens > 0 && batch_tokens > 0 ? 1.0 + critical_tokens / batch_tokens : 1.0;
}

double relative_token_efficiency(double batch_tokens, double reference_batch_tokens, double critical_tokens) {
  if (critical_tokens <= 0 || reference_batch_tokens <= 0) return 1.0;
  return token_multiple(reference_batch_tokens, critical_tokens) / token_multiple(batch_tokens, critical_tokens);
}

BatchEfficiency resolve_batch_efficiency(const BatchLaw& law, double compute_flops, double reference_batch_tokens) {
  BatchEfficiency e;
  e.law = law;
  e.critical_tokens = critical_batch_tokens(law, compute_flops);
  e.reference_batch_tokens = reference_batch_tokens;
  return e;
}

}  // namespace trainplan
