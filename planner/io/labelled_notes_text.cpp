#include "labelled_notes_text.hpp"

#include <algorithm>

namespace trainplan {

std::vector<std::string> labelled_notes_lines(const std::vector<std::pair<std::string, std::vector<std::string>>>& plans,
                                              const std::string& kind) {
  struct Noted {
    std::string note;
    std::vector<std::size_t> plans;  // indices into `plans`, each once
  };
  std::vector<Noted> noted;  // in first-seen order
  for (std::size_t i = 0; i < plans.size(); ++i)
    for (const std::string& note : plans[i].second) {
      auto it = std::find_if(noted.begin(), noted.end(), [&](const Noted& entry) { return entry.note == note; });
      if (it == noted.end()) it = noted.insert(noted.end(), {note, {}});
      if (it->plans.empty() || it->plans.back() != i) it->plans.push_back(i);
    }
  std::vector<std::string> lines;
  for (const Noted& entry : noted) {
    if (entry.plans.size() == plans.size()) {
      lines.push_back("note: " + entry.note);
      continue;
    }
    std::string who;
    for (const std::size_t i : entry.plans) who += (who.empty() ? "" : ", ") + plans[i].first;
    lines.push_back("note (" + kind + " " + who + "): " + entry.note);
  }
  return lines;
}

}  // namespace trainplan
