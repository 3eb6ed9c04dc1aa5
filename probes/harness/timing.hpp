#pragma once
// The timing loops every probe shares: warm-up runs first (not recorded), then timed runs, one
// sample per run. C++17 and header-only, so the CUDA kernels' file (nvcc) uses it too; how a run
// is timed belongs to the backend (CUDA events on the GPU's stream: cuda/event_timer.hpp; MPI_Wtime
// after a barrier for the host backend).
#include <stdexcept>
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

// Batched timing, as nccl-tests times its collectives: `warmup` untimed operations, then `samples`
// timed samples, each `batch` operations back to back between one clock.start() and one
// clock.stop() (seconds since start), divided by `batch`. Launch latency and the ranks' skew at
// the start of a sample are spread over the batch instead of added to every operation.
// run_op() issues one operation; `clock` has start() and double stop(). Throws
// std::invalid_argument when batch < 1. Returns seconds per operation of each sample.
template <typename RunOp, typename Clock>
std::vector<double> time_batched(int warmup, int samples, int batch, RunOp&& run_op, Clock&& clock) {
  if (batch < 1) throw std::invalid_argument("--batch: expected at least 1 operation per timed sample");
  return time_iterations(warmup, samples, [&](bool timed) {
    if (!timed) {
      run_op();
      return 0.0;
    }
    clock.start();
    for (int i = 0; i < batch; ++i) run_op();
    return clock.stop() / static_cast<double>(batch);
  });
}

}  // namespace probe
}  // namespace trainplan
