#pragma once
// Numbers as text for people and CSV: a fixed count of decimals ("%.*f").
#include <string>

namespace trainplan {

std::string fixed_decimals(double value, int decimals);

}  // namespace trainplan
