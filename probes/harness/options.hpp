#pragma once
// Boost.Program_options helpers shared by the probes: the common options (--json, --warmup,
// --iters, --timeout, --help) and parsing with errors that name the option.
#include <boost/program_options.hpp>

#include <string>
#include <vector>

#include "probe_context.hpp"

namespace trainplan::probe {

namespace po = boost::program_options;

// Adds --json, --warmup, --iters, --timeout, --help, bound to `settings`.
void add_common_options(po::options_description& options, CommonSettings& settings);

// Parses args against options; throws ProbeError naming the bad option. Returns false when
// --help was given, after printing the options when `print_help` (rank 0 only).
bool parse_options(const std::vector<std::string>& args, const po::options_description& options,
                   const std::string& usage, po::variables_map& values, bool print_help = true);

// Checks the common settings (iterations >= 1, warm-up >= 0); throws ProbeError.
void check_common_settings(const CommonSettings& settings);

}  // namespace trainplan::probe
