#pragma once
// Token batches (global_batch_tokens, --global-batch-tokens, --max-global-batch-tokens, a schedule's critical_batch_tokens): how their
// text is read and how it becomes a whole number of sequences (docs/formats.md, "Token batches").
//
// The rule, as ML papers write batch sizes: in a token batch the suffixes K, M, G (or B) and T count
// powers of 1024, so "16M" is 16,777,216 tokens = 2,048 sequences of 8,192 (Llama 3's "16M tokens");
// Ki/Mi/Gi/Ti mean the same; plain digits and exponents (16000000, 16e6) are taken as written. A batch
// that is not a whole number of sequences is rounded to the nearest whole number (at least one), and
// the CLI prints a note saying so. Training tokens (--tokens 15.6T) stay decimal.
#include <cstdint>
#include <optional>
#include <string>

namespace trainplan {

// The tokens `text` names under the rule above; nullopt when it is not a number.
std::optional<double> parse_token_batch(const std::string& text);
// True when `text` ends in a K/M/G/B/T suffix (read as a power of 1024).
bool has_token_suffix(const std::string& text);

struct WholeBatch {
  std::int64_t sequences = 0;  // nearest whole number of sequences; 0 when under half a sequence
  bool rounded = false;        // the tokens were not a whole number of sequences
};
WholeBatch whole_sequences(double tokens, int seq_len);

// "--global-batch-tokens 16M = 16,777,216 tokens = 2048 sequences of 8192 tokens" with how it was
// read (suffix) and rounded; empty when `text` is plain digits that were a whole batch already.
std::string token_batch_note(const std::string& what, const std::string& text, double tokens, int seq_len);

// 16777216 -> "16,777,216".
std::string grouped_digits(std::int64_t value);

}  // namespace trainplan
