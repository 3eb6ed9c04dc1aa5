#include "token_batch.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

#include "yaml_fields.hpp"

namespace trainplan {

bool has_token_suffix(const std::string& text) {
  if (text.empty()) return false;
  const char last = static_cast<char>(std::tolower(static_cast<unsigned char>(text.back())));
  if (last == 'i') return text.size() >= 2;  // Ki, Mi, ...: binary by name
  return last == 'k' || last == 'm' || last == 'g' || last == 'b' || last == 't';
}

std::optional<double> parse_token_batch(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const char last = static_cast<char>(std::tolower(static_cast<unsigned char>(text.back())));
  // A bare decimal suffix becomes its binary one (16M -> 16Mi); parse_count reads the rest.
  if (last == 'k' || last == 'm' || last == 'g' || last == 'b' || last == 't') return parse_count(text + "i");
  return parse_count(text);
}

WholeBatch whole_sequences(double tokens, int seq_len) {
  WholeBatch b;
  if (!(tokens > 0) || seq_len <= 0) return b;
  const double sequences = tokens / seq_len;
  b.sequences = static_cast<std::int64_t>(std::llround(sequences));
  b.rounded = std::abs(sequences - static_cast<double>(b.sequences)) > 1e-9;
  return b;
}

std::string grouped_digits(std::int64_t value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (value < 0 ? "-" : "") + digits;
}

std::string token_batch_note(const std::string& what, const std::string& text, double tokens, int seq_len) {
  const WholeBatch b = whole_sequences(tokens, seq_len);
  const bool suffix = has_token_suffix(text);
  if (!suffix && !b.rounded) return "";
  std::string note = what + " " + text;
  if (suffix)
    note += " = " + grouped_digits(static_cast<std::int64_t>(std::llround(tokens))) +
            " tokens (token-batch suffixes count powers of 1024)";
  if (b.rounded) {
    char fraction[32];
    std::snprintf(fraction, sizeof fraction, "%.2f", tokens / seq_len);
    note += std::string(suffix ? "," : " tokens") + " is " + fraction + " sequences of " + std::to_string(seq_len) +
            " tokens: rounded to the nearest whole batch, " + std::to_string(b.sequences) + " sequences = " +
            grouped_digits(b.sequences * seq_len) + " tokens";
  } else {
    note += " = " + std::to_string(b.sequences) + " sequences of " + std::to_string(seq_len) + " tokens";
  }
  return note;
}

}  // namespace trainplan
