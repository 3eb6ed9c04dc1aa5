#include "number_text.hpp"

#include <cstdio>

namespace trainplan {

std::string fixed_decimals(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

}  // namespace trainplan
