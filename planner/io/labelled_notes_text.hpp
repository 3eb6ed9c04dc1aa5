#pragma once
// The notes of several reported plans as lines under one table (compare's variants, search's top
// plans): a note every listed plan has is said once ("note: ..."); any other names the plans it
// belongs to ("note (plans 1, 3): ..."), in the order the plans were listed.
#include <string>
#include <utility>
#include <vector>

namespace trainplan {

// `plans`: each plan's label and its notes. `kind`: what a label names ("plans", "variants").
std::vector<std::string> labelled_notes_lines(const std::vector<std::pair<std::string, std::vector<std::string>>>& plans,
                                              const std::string& kind);

}  // namespace trainplan
