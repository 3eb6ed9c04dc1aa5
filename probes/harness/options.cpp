#include "options.hpp"

#include <iostream>

namespace trainplan::probe {

void add_common_options(po::options_description& options, CommonSettings& settings) {
  options.add_options()
      ("help,h", "show the options")
      ("json", po::value(&settings.json_path), "result file to write (trainplan-probe/1 JSON), rewritten after each result")
      ("warmup,w", po::value(&settings.warmup)->default_value(settings.warmup), "untimed iterations before timing")
      ("iters,n", po::value(&settings.iterations)->default_value(settings.iterations), "timed iterations per point")
      ("timeout", po::value(&settings.timeout_s)->default_value(settings.timeout_s),
       "seconds without progress before the job is aborted on every rank (0: never)");
}

bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   const std::string& usage, po::variables_map& values, bool print_help) {
  try {
    po::store(po::command_line_parser(args).options(options).run(), values);
    if (values.count("help")) {
      if (print_help) std::cout << usage << "\n" << options << "\n";
      return false;
    }
    po::notify(values);
  } catch (const po::error& e) {
    throw ProbeError(std::string(e.what()) + " (see --help)");
  }
  return true;
}

void check_range(const char* flag, long long value, long long low, long long high) {
  if (value < low || value > high)
    throw ProbeError(std::string(flag) + ": expected an integer from " + std::to_string(low) + " to " + std::to_string(high) +
                     ", got " + std::to_string(value));
}

void check_common_settings(const CommonSettings& settings) {
  check_range("--iters", settings.iterations, 1, 1000000);
  check_range("--warmup", settings.warmup, 0, 1000000);
  if (!(settings.timeout_s >= 0 && settings.timeout_s <= kMaxTimeoutSeconds))
    throw ProbeError("--timeout: expected seconds from 0 (never) to " + std::to_string(static_cast<long long>(kMaxTimeoutSeconds)) +
                     " (a week), got " + std::to_string(settings.timeout_s));
}

}  // namespace trainplan::probe
