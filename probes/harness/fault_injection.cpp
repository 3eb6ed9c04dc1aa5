#include "fault_injection.hpp"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <sstream>
#include <stdexcept>

namespace trainplan::probe {

std::optional<InjectedFault> parse_injected_fault(const char* text) {
  if (!text || !*text) return std::nullopt;
  std::stringstream in(text);
  std::string rank, action, points;
  if (!std::getline(in, rank, ':') || !std::getline(in, action, ':') || !std::getline(in, points) ||
      rank.find_first_not_of("0123456789") != std::string::npos || points.find_first_not_of("0123456789") != std::string::npos ||
      rank.empty() || points.empty() || rank.size() > 6 || points.size() > 6 || (action != "kill" && action != "hang"))
    throw std::invalid_argument(std::string(kFaultVariable) + ": expected RANK:kill|hang:POINTS (e.g. 1:kill:2), got '" + text + "'");
  InjectedFault fault;
  fault.rank = std::stoi(rank);
  fault.action = action == "kill" ? InjectedFault::Action::kill : InjectedFault::Action::hang;
  fault.after_points = std::stoi(points);
  return fault;
}

void maybe_inject_fault(int world_rank, int points_done) {
  static const std::optional<InjectedFault> fault = parse_injected_fault(std::getenv(kFaultVariable));
  if (!fault || fault->rank != world_rank || fault->after_points != points_done) return;
  if (fault->action == InjectedFault::Action::kill) {
    std::raise(SIGKILL);
  }
  for (;;) pause();  // hang: no progress, ever (the watchdog must end the job)
}

}  // namespace trainplan::probe
