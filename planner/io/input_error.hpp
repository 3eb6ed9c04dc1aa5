#pragma once
// The one error type of the edge: bad files and flags. Its message names the file (or flag), the
// field and what was expected; the CLI turns it into one line on stderr and exit status 2.
#include <stdexcept>
#include <string>

namespace trainplan {

class InputError : public std::runtime_error {
 public:
  // e.g. InputError("model.yaml", "heads", "a positive integer, got -3")
  InputError(const std::string& source, const std::string& field, const std::string& expected)
      : std::runtime_error(source + (field.empty() ? "" : ": " + field) + ": " + expected) {}
  explicit InputError(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace trainplan
