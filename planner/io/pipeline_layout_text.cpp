#include "pipeline_layout_text.hpp"

#include <cctype>

namespace trainplan {

namespace {

// Longest expanded layout accepted: far beyond any model's layers, small enough to stay cheap.
constexpr std::size_t kMaxExpandedLength = 1'000'000;

bool is_item(char c) { return c == 'E' || c == 't' || c == 'm' || c == 'L' || c == '|'; }

// Reads `*N` at `pos` (after an item or a parenthesised group): N, or -1 when there is none.
long long read_repeat(const std::string& s, std::size_t& pos, std::string& error) {
  if (pos >= s.size() || s[pos] != '*') return -1;
  std::size_t digits = pos + 1;
  long long n = 0;
  while (digits < s.size() && std::isdigit(static_cast<unsigned char>(s[digits]))) {
    n = n * 10 + (s[digits] - '0');
    if (n > static_cast<long long>(kMaxExpandedLength)) {
      error = "repeat count after '*' is too large";
      return -2;
    }
    ++digits;
  }
  if (digits == pos + 1) {
    error = "expected a count after '*' at position " + std::to_string(pos + 1);
    return -2;
  }
  pos = digits;
  return n;
}

bool append_repeated(std::string& out, const std::string& piece, long long n, std::string& error) {
  if (piece.size() * static_cast<std::size_t>(n) + out.size() > kMaxExpandedLength) {
    error = "expands to more than " + std::to_string(kMaxExpandedLength) + " items";
    return false;
  }
  for (long long i = 0; i < n; ++i) out += piece;
  return true;
}

// Unrolls `(...)*N` and `x*N` (Megatron-Core's two rules, parentheses first; groups do not nest) and
// drops the cosmetic commas. Empty on error.
std::optional<std::string> expand(const std::string& text, std::string& error) {
  std::string s;
  for (char c : text)
    if (c != ',') s += c;
  std::string out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    const char c = s[pos];
    if (c == '(') {
      const std::size_t close = s.find(')', pos + 1);
      const std::size_t nested = s.find('(', pos + 1);
      if (close == std::string::npos) {
        error = "'(' at position " + std::to_string(pos + 1) + " is not closed";
        return std::nullopt;
      }
      if (nested != std::string::npos && nested < close) {
        error = "parentheses do not nest (position " + std::to_string(nested + 1) + ")";
        return std::nullopt;
      }
      if (close == pos + 1) {
        error = "empty parentheses at position " + std::to_string(pos + 1);
        return std::nullopt;
      }
      std::size_t after = close + 1;
      const long long n = read_repeat(s, after, error);
      if (n == -2) return std::nullopt;
      if (n < 0) {
        error = "expected '*N' after ')' at position " + std::to_string(close + 1);
        return std::nullopt;
      }
      const auto inner = expand(s.substr(pos + 1, close - pos - 1), error);
      if (!inner || !append_repeated(out, *inner, n, error)) return std::nullopt;
      pos = after;
    } else if (is_item(c)) {
      std::size_t after = pos + 1;
      const long long n = read_repeat(s, after, error);
      if (n == -2) return std::nullopt;
      if (!append_repeated(out, std::string(1, c), n < 0 ? 1 : n, error)) return std::nullopt;
      pos = after;
    } else {
      error = std::string("unexpected character '") + c + "' at position " + std::to_string(pos + 1) +
              " (expected E, t, m, L, '|', '(...)*N', 'x*N')";
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::optional<PipelineLayout> parse_pipeline_layout(const std::string& text, std::string& error) {
  const auto items = expand(text, error);
  if (!items) return std::nullopt;
  PipelineLayout layout;
  layout.text = text;
  layout.stages.emplace_back();
  int layers = 0, embeddings = 0, losses = 0;
  bool seen_mtp = false, seen_loss = false;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const char c = (*items)[i];
    VirtualStage& stage = layout.stages.back();
    if (seen_loss && c != '|') {
      error = "the loss (L) must close the last virtual stage";
      return std::nullopt;
    }
    switch (c) {
      case '|':
        layout.stages.emplace_back();
        layout.stages.back().first_layer = layers;
        break;
      case 'E':
        if (++embeddings > 1 || i != 0) {
          error = embeddings > 1 ? "the embedding (E) must appear once" : "the embedding (E) must open the first virtual stage";
          return std::nullopt;
        }
        stage.embedding = true;
        break;
      case 't':
        if (seen_mtp) {
          error = "every transformer layer (t) must come before the MTP modules (m)";
          return std::nullopt;
        }
        ++stage.layers;
        ++layers;
        break;
      case 'm':
        seen_mtp = true;
        ++stage.mtp;
        break;
      case 'L':
        ++losses;
        seen_loss = true;
        stage.loss = true;
        break;
    }
  }
  if (embeddings == 0) {
    error = "the layout needs the embedding (E), opening the first virtual stage";
    return std::nullopt;
  }
  if (losses != 1 || !layout.stages.back().loss) {
    error = losses == 0 ? "the layout needs the loss (L), closing the last virtual stage" : "the loss (L) must close the last virtual stage";
    return std::nullopt;
  }
  return layout;
}

}  // namespace trainplan
