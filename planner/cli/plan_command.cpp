#include <ostream>

#include "commands.hpp"

namespace trainplan {
int plan_command(const std::vector<std::string>&, std::ostream&, std::ostream& err) {
  err << "plan: under construction\n";
  return 2;
}
}  // namespace trainplan
