#pragma once
// The ranges of a search's answer with the layout re-searched per sample (table block and JSON
// object "answer_uncertainty"; planner/core/search/researched_uncertainty.hpp).
#include <iosfwd>
#include <string>

#include <nlohmann/json.hpp>

#include "planner/core/search/researched_uncertainty.hpp"

namespace trainplan {

// What was re-searched per sample, in words (the heading of the block and JSON's "sampling").
std::string researched_sampling_text(const ResearchedUncertainty& r);

nlohmann::json researched_uncertainty_json(const ResearchedUncertainty& r, const UncertaintyModel& model, const std::string& source);

void write_researched_uncertainty(const ResearchedUncertainty& r, std::ostream& out);

}  // namespace trainplan
