#pragma once
// A fault on purpose, for the tests of failure handling (a rank killed mid-run, a hung collective):
// TRAINPLAN_PROBE_TEST_FAULT="RANK:ACTION:POINTS" makes world rank RANK, once it has measured
// POINTS points, either die at once (ACTION kill: SIGKILL, as the OOM killer or a node loss would)
// or stop making progress for good (hang: as a stuck collective). Unset: nothing happens. Never set
// it on a real job.
#include <optional>
#include <string>

namespace trainplan::probe {

inline constexpr const char* kFaultVariable = "TRAINPLAN_PROBE_TEST_FAULT";

struct InjectedFault {
  int rank = 0;
  enum class Action { kill, hang } action = Action::kill;
  int after_points = 0;
};

// Parses the variable's text; throws std::invalid_argument naming the variable when malformed.
std::optional<InjectedFault> parse_injected_fault(const char* text);

// Called after each measured point with this rank and the points done so far: acts when the
// environment asks for it (see above).
void maybe_inject_fault(int world_rank, int points_done);

}  // namespace trainplan::probe
