#include "number_text.hpp"

#include <cstdio>

namespace trainplan {

std::string fixed_decimals(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

std::string tokens_text(double tokens) {
  if (tokens >= 1e12) return fixed_decimals(tokens / 1e12, 2) + "T";
  if (tokens >= 1e9) return fixed_decimals(tokens / 1e9, 1) + "B";
  if (tokens >= 1e6) return fixed_decimals(tokens / 1e6, 1) + "M";
  return fixed_decimals(tokens, 0);
}

}  // namespace trainplan
