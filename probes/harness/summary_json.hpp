#pragma once
// A Summary as the JSON object every result file uses: {median, min, max, mean, p10, p90}.
#include <nlohmann/json.hpp>

#include "statistics.hpp"

namespace trainplan::probe {

inline nlohmann::json summary_json(const Summary& s) {
  return {{"median", s.median}, {"min", s.min}, {"max", s.max}, {"mean", s.mean}, {"p10", s.p10}, {"p90", s.p90}};
}

}  // namespace trainplan::probe
