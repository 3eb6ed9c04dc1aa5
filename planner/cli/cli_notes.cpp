#include "cli_notes.hpp"

#include <algorithm>

namespace trainplan {

namespace {
std::vector<std::string>& notes() {
  static std::vector<std::string> list;
  return list;
}
}  // namespace

void add_cli_note(const std::string& note) {
  if (note.empty() || std::find(notes().begin(), notes().end(), note) != notes().end()) return;
  notes().push_back(note);
}

std::vector<std::string> take_cli_notes() {
  std::vector<std::string> taken;
  taken.swap(notes());
  return taken;
}

}  // namespace trainplan
