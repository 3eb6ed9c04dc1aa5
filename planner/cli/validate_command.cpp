#include <ostream>

#include "commands.hpp"

namespace trainplan {
int validate_command(const std::vector<std::string>&, std::ostream&, std::ostream& err) {
  err << "validate: under construction\n";
  return 2;
}
}  // namespace trainplan
