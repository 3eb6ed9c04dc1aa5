#pragma once
// The timing loop every probe shares: warm-up runs first (not recorded), then timed runs, one
// sample per run. C++17 and header-only, so the CUDA kernels' file (nvcc) uses it too; how one run
// is timed belongs to the backend (CUDA events on the GPU's stream: cuda/event_timer.hpp; MPI_Wtime
// between barriers for the host backend).
#include <vector>

namespace trainplan {
namespace probe {

// Calls run_once(false) `warmup` times, then run_once(true) `iterations` times and returns what
// those timed calls returned (seconds per run). run_once(false) may skip its timing.
template <typename RunOnce>
std::vector<double> time_iterations(int warmup, int iterations, RunOnce&& run_once) {
  for (int i = 0; i < warmup; ++i) run_once(false);
  std::vector<double> seconds;
  seconds.reserve(iterations > 0 ? static_cast<std::size_t>(iterations) : 0);
  for (int i = 0; i < iterations; ++i) seconds.push_back(run_once(true));
  return seconds;
}

}  // namespace probe
}  // namespace trainplan
