// The token cost of a batch size (batch_efficiency.hpp): McCandlish et al.'s form and DeepSeek LLM's law.
#include "planner/core/calendar/batch_efficiency.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace trainplan {

TEST(BatchEfficiency, AtTheCriticalBatchARunNeedsTwiceTheMinimalTokensAndSteps) {
  // McCandlish et al. 2018, section 2.3: B = B_crit costs E = 2 E_min and S = 2 S_min.
  for (double critical : {4e6, 6e7, 2.5e8}) {
    EXPECT_DOUBLE_EQ(token_multiple(critical, critical), 2.0);
    EXPECT_DOUBLE_EQ(step_multiple(critical, critical), 2.0);
  }
}

TEST(BatchEfficiency, StepsAndTokensTradeOffAsEquation211States) {
  // (S/S_min - 1)(E/E_min - 1) = 1 at every batch.
  const double critical = 7.4e7;
  for (double batch : {1e5, 4e6, 5e7, 7.4e7, 3e8, 5e9})
    EXPECT_NEAR((step_multiple(batch, critical) - 1) * (token_multiple(batch, critical) - 1), 1.0, 1e-12) << batch;
  // Small batches approach E_min, large ones S_min.
  EXPECT_NEAR(token_multiple(1e3, critical), 1.0, 1e-4);
  EXPECT_NEAR(step_multiple(1e12, critical), 1.0, 1e-4);
}

TEST(BatchEfficiency, DeepSeekLlmLawGivesItsFittedBatchAsTheCriticalOne) {
  BatchLaw law;
  law.kind = BatchLawKind::deepseek_llm;
  law.coefficient = 0.2920;
  law.exponent = 0.3271;
  const double compute = 5e25;  // about a 0.27T-active model on 30T tokens
  const double critical = critical_batch_tokens(law, compute);
  EXPECT_NEAR(critical, 0.2920 * std::pow(5e25, 0.3271), 1.0);
  EXPECT_GT(critical, 5e7);  // about 74M tokens: above the gpt5-class 50M-token batch
  EXPECT_LT(critical, 1e8);
  // A batch at the critical size costs the law's stated multiple: twice the minimal tokens.
  EXPECT_DOUBLE_EQ(token_multiple(critical, critical), 2.0);
  // More compute, a larger critical batch.
  EXPECT_GT(critical_batch_tokens(law, 1e26), critical);
}

TEST(BatchEfficiency, OffCostsNothingAndTheReferenceBatchIsNeutral) {
  BatchLaw off;
  EXPECT_EQ(critical_batch_tokens(off, 1e25), 0.0);
  EXPECT_EQ(token_multiple(1e9, 0), 1.0);
  const BatchEfficiency none = resolve_batch_efficiency(off, 1e25, 5e7);
  EXPECT_EQ(none.efficiency(1e6), 1.0);
  EXPECT_EQ(none.efficiency(1e9), 1.0);

  BatchLaw fixed;
  fixed.kind = BatchLawKind::mccandlish;
  fixed.critical_batch_tokens = 5e7;
  const BatchEfficiency e = resolve_batch_efficiency(fixed, 0, 5e7);
  EXPECT_DOUBLE_EQ(e.efficiency(5e7), 1.0);
  // Half the reference batch: (1 + 1) / (1 + 0.5) = 4/3 reference tokens per trained token.
  EXPECT_DOUBLE_EQ(e.efficiency(2.5e7), 4.0 / 3.0);
  // Twice: (1 + 1) / (1 + 2) = 2/3.
  EXPECT_DOUBLE_EQ(e.efficiency(1e8), 2.0 / 3.0);
}

}  // namespace trainplan
