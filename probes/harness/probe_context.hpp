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

struct ProbeContext {
  World& world;
  RunContext run;
};

// A watchdog that, on timeout, prints "rank R on HOST: ..." and aborts every rank of the job.
std::unique_ptr<Watchdog> start_watchdog(const World& world, double timeout_s);

// The result file: rank 0 writes settings.json_path; other ranks hold an unwritten copy.
// `header` carries "probe", "provenance" and "settings".
ResultFile open_result_file(const ProbeContext& context, const CommonSettings& settings, nlohmann::json header);

// A probe: parses its own options from args (after the probe name) and runs.
using ProbeFunction = int (*)(const std::vector<std::string>& args, ProbeContext& context);

int gemm_probe(const std::vector<std::string>& args, ProbeContext& context);
int hbm_probe(const std::vector<std::string>& args, ProbeContext& context);
int comm_probe(const std::vector<std::string>& args, ProbeContext& context);

}  // namespace trainplan::probe
