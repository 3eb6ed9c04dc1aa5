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

void check_common_settings(const CommonSettings& settings) {
  if (settings.iterations < 1) throw ProbeError("--iters: expected at least 1 timed iteration");
  if (settings.warmup < 0) throw ProbeError("--warmup: expected 0 or more");
  if (settings.timeout_s < 0) throw ProbeError("--timeout: expected seconds >= 0");
}

}  // namespace trainplan::probe
