#pragma once
// Runs the CLI in-process for the CLI tests, capturing status, stdout and stderr.
#include <sstream>
#include <string>
#include <vector>

#include "planner/cli/commands.hpp"

namespace trainplan::testing {

struct CliRun {
  int status;
  std::string out, err;
};

inline CliRun run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  const int status = run_cli(args, out, err);
  return {status, out.str(), err.str()};
}

inline std::vector<std::string> with(std::vector<std::string> args, const std::vector<std::string>& more) {
  args.insert(args.end(), more.begin(), more.end());
  return args;
}

}  // namespace trainplan::testing
