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

// Checks the common settings (iterations 1..1e6, warm-up 0..1e6, timeout 0..kMaxTimeoutSeconds and
// finite); throws ProbeError naming the flag and the range.
void check_common_settings(const CommonSettings& settings);

// The longest --timeout accepted: one week. Larger values (1e10, inf) would overflow the watchdog's
// clock; NaN is refused.
inline constexpr double kMaxTimeoutSeconds = 7 * 24 * 3600.0;

// Throws ProbeError "FLAG: expected an integer from LOW to HIGH, got VALUE" unless low <= value <= high.
void check_range(const char* flag, long long value, long long low, long long high);

}  // namespace trainplan::probe
