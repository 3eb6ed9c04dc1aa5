#pragma once
// What every probe receives from the harness: its own arguments, the job's ranks, and the common
// settings (result file, warm-up and timed iterations, watchdog).
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "process_group.hpp"
#include "provenance.hpp"
#include "result_file.hpp"
#include "watchdog.hpp"

namespace trainplan::probe {

// Thrown for bad arguments and failed probes; main prints it as one line and exits non-zero.
struct ProbeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CommonSettings {
  std::string json_path;      // result file (written by rank 0)
  int warmup = 5;             // untimed iterations first
  int iterations = 20;        // timed iterations
  double timeout_s = 300;     // watchdog: longest time without progress
};

// Thrown on the ranks whose own arguments were fine when another rank's were not (see
// confirm_arguments): main ends them quietly with exit status 2; the failing rank says why.
struct PeerArgumentsFailed : std::runtime_error {
  PeerArgumentsFailed() : std::runtime_error("another rank rejected its arguments") {}
};

struct ProbeContext {
  World& world;
  RunContext run;
  // Set by confirm_arguments: from then on a failure is a failed run (MPI_Abort, exit status 1),
  // before it a rejected command line (every rank stops together, exit status 2).
  bool arguments_confirmed = false;
};

// Every probe calls this once it has parsed and checked its arguments (the --json path included)
// and before it measures or communicates: one agreement over the world, so that when any rank
// rejected its arguments all ranks stop together, without MPI_Abort, and the lowest such rank
// alone prints the reason. Throws PeerArgumentsFailed on the ranks that had no error of their own.
// Rank 0 first checks that it can write the result file `settings.json_path`.
void confirm_arguments(ProbeContext& context, const CommonSettings& settings);
// The other half of the agreement, for main: a rank whose arguments failed (before
// confirm_arguments) reports it; returns true when this rank is the one that should print.
bool report_argument_failure(const ProbeContext& context);

// Writes `line` and a newline to stderr in one write(2), so that lines from several ranks sharing
// one terminal or log do not interleave.
void print_error_line(const std::string& line);
// "rank R on HOST" for messages of a multi-rank job.
std::string rank_and_host(const World& world);

// A watchdog that, on timeout, prints "rank R on HOST: timeout: ...", records the message as the
// result file's "error" (when `file` is given and not busy), and aborts every rank of the job.
std::unique_ptr<Watchdog> start_watchdog(const World& world, double timeout_s, ResultFile* file = nullptr);

// The result file: rank 0 writes settings.json_path; other ranks hold an unwritten copy.
// `header` carries "probe", "provenance" and "settings".
ResultFile open_result_file(const ProbeContext& context, const CommonSettings& settings, nlohmann::json header);

// A probe: parses its own options from args (after the probe name) and runs.
using ProbeFunction = int (*)(const std::vector<std::string>& args, ProbeContext& context);

int gemm_probe(const std::vector<std::string>& args, ProbeContext& context);
int hbm_probe(const std::vector<std::string>& args, ProbeContext& context);
int comm_probe(const std::vector<std::string>& args, ProbeContext& context);

}  // namespace trainplan::probe
