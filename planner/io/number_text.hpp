#pragma once
// Numbers as text for people and CSV: a fixed count of decimals ("%.*f"), token counts.
#include <string>

namespace trainplan {

std::string fixed_decimals(double value, int decimals);

// "30.00T", "469.0B": token counts for people.
std::string tokens_text(double tokens);

}  // namespace trainplan
