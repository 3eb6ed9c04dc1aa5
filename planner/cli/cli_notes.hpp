#pragma once
// Notes a command has for the user about how it read its input (a token batch rounded to whole
// sequences, a default sequence length): collected while the command runs and printed by run_cli on
// stderr, one "trainplan CMD: note: ..." line each, after the command's output. Not printed when the
// command fails with bad input (exit 2 keeps its single error line). Each note is kept once.
#include <string>
#include <vector>

namespace trainplan {

void add_cli_note(const std::string& note);
// The notes so far, cleared.
std::vector<std::string> take_cli_notes();

}  // namespace trainplan
