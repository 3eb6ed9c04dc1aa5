// The whole plan command with fuzzed --set overrides and plan flags: one argument per input line.
// Runs in-process through run_cli, so the range checks, the final guard on the figures and the
// reporters are all exercised; exit status 3 (an internal error) is a finding.
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "fuzz_common.hpp"
#include "planner/cli/commands.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return 0;
  // Keep the work of one input small: no Monte-Carlo-sized requests (bounded, but seconds long).
  if (std::string(reinterpret_cast<const char*>(data), size).find("monte_carlo") != std::string::npos) return 0;
  std::vector<std::string> args = {"plan", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8", "--format", "json"};
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  std::string line;
  int count = 0;
  while (std::getline(lines, line) && count++ < 16) {
    if (line.rfind("--", 0) == 0) {
      // "--flag value": a plan flag and its value.
      const auto space = line.find(' ');
      args.push_back(line.substr(0, space));
      if (space != std::string::npos) args.push_back(line.substr(space + 1));
    } else {
      args.push_back("--set");
      args.push_back(line);
    }
  }
  // Keep the work of one input small: no search-sized or Monte-Carlo-sized requests.
  for (const auto& a : args)
    if (a == "--runs" || a == "--probes" || a == "--economics" || a == "--topology" || a == "--model" || a == "--gpu")
      if (&a != &args[1]) return 0;
  std::ostringstream out, err;
  if (trainplan::run_cli(args, out, err) == 3) {
    std::fprintf(stderr, "internal error: %s\n", err.str().c_str());
    std::abort();
  }
  return 0;
}
