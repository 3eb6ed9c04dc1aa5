// The token-batch rule: suffixes count powers of 1024, batches round to whole sequences.
#include <gtest/gtest.h>

#include "planner/io/token_batch.hpp"

namespace trainplan {

TEST(TokenBatch, SuffixesCountPowersOf1024AndDigitsAreTakenAsWritten) {
  EXPECT_DOUBLE_EQ(*parse_token_batch("16M"), 16777216.0);  // Llama 3's "16M tokens": 2048 x 8192
  EXPECT_DOUBLE_EQ(*parse_token_batch("16Mi"), 16777216.0);
  EXPECT_DOUBLE_EQ(*parse_token_batch("50m"), 52428800.0);
  EXPECT_DOUBLE_EQ(*parse_token_batch("1.5K"), 1536.0);
  EXPECT_DOUBLE_EQ(*parse_token_batch("16000000"), 16e6);
  EXPECT_DOUBLE_EQ(*parse_token_batch("16e6"), 16e6);
  EXPECT_DOUBLE_EQ(*parse_token_batch("16_777_216"), 16777216.0);
  for (const char* bad : {"", "M", "16X", "abc", "1e308T", "nan"}) EXPECT_FALSE(parse_token_batch(bad)) << bad;
  EXPECT_TRUE(has_token_suffix("16M"));
  EXPECT_TRUE(has_token_suffix("16Mi"));
  EXPECT_FALSE(has_token_suffix("16777216"));
}

TEST(TokenBatch, RoundsToTheNearestWholeNumberOfSequences) {
  EXPECT_EQ(whole_sequences(16777216, 8192).sequences, 2048);
  EXPECT_FALSE(whole_sequences(16777216, 8192).rounded);
  EXPECT_EQ(whole_sequences(16e6, 8192).sequences, 1953);  // 1953.1
  EXPECT_TRUE(whole_sequences(16e6, 8192).rounded);
  EXPECT_EQ(whole_sequences(50e6, 8192).sequences, 6104);  // 6103.5 rounds up
  EXPECT_EQ(whole_sequences(4000, 8192).sequences, 0);     // under half a sequence
  EXPECT_EQ(whole_sequences(5000, 8192).sequences, 1);
}

TEST(TokenBatch, TheNoteSaysHowTheBatchWasReadAndRounded) {
  EXPECT_EQ(token_batch_note("--global-batch-tokens", "16777216", 16777216, 8192), "");
  EXPECT_EQ(token_batch_note("--global-batch-tokens", "16M", 16777216, 8192),
            "--global-batch-tokens 16M = 16,777,216 tokens (token-batch suffixes count powers of 1024) = 2048 sequences of 8192 tokens");
  EXPECT_EQ(token_batch_note("--global-batch-tokens", "16e6", 16e6, 8192),
            "--global-batch-tokens 16e6 tokens is 1953.12 sequences of 8192 tokens: rounded to the nearest whole batch, 1953 "
            "sequences = 15,998,976 tokens");
  EXPECT_EQ(grouped_digits(1000), "1,000");
  EXPECT_EQ(grouped_digits(999), "999");
}

}  // namespace trainplan
