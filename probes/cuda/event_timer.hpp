#pragma once
// One run's time on the GPU's own clock: a pair of CUDA events recorded on the run's stream around
// its work (cudaEventElapsedTime, about 0.5 us resolution). C++17 and header-only, shared by the
// cuBLASLt, NCCL and HBM-kernel code.
#include <cuda_runtime_api.h>

#include <vector>

#include "cuda/cuda_check.hpp"

namespace trainplan {
namespace probe {

class EventTimer {
 public:
  EventTimer() {
    TRAINPLAN_CUDA(cudaEventCreate(&start_));
    const cudaError_t status = cudaEventCreate(&stop_);
    if (status != cudaSuccess) {
      cudaEventDestroy(start_);
      cuda_check(status, "cudaEventCreate(&stop_)");
    }
  }
  ~EventTimer() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  EventTimer(const EventTimer&) = delete;
  EventTimer& operator=(const EventTimer&) = delete;

  // Records the start on `stream`; the run's work follows on the same stream.
  void start(cudaStream_t stream) { TRAINPLAN_CUDA(cudaEventRecord(start_, stream)); }
  // Records the stop on `stream`, waits for it and returns the seconds since start().
  double stop(cudaStream_t stream) {
    record_stop(stream);
    TRAINPLAN_CUDA(cudaEventSynchronize(stop_));
    return elapsed();
  }
  // The same in two halves, for callers that wait their own way (polling for NCCL errors).
  void record_stop(cudaStream_t stream) { TRAINPLAN_CUDA(cudaEventRecord(stop_, stream)); }
  cudaEvent_t stop_event() const { return stop_; }
  double elapsed() const {
    float ms = 0;
    TRAINPLAN_CUDA(cudaEventElapsedTime(&ms, start_, stop_));
    return static_cast<double>(ms) * 1e-3;
  }

 private:
  cudaEvent_t start_ = nullptr;
  cudaEvent_t stop_ = nullptr;
};

// Queued timing of many runs without a host synchronisation between them: a pair of events per
// run, all recorded on the stream (with whatever the caller enqueues between runs, such as an L2
// flush, outside the pairs), one wait at the end. Behind a delay kernel (cuda/delay_kernel.hpp)
// the whole queue is enqueued before the GPU starts it, so no host launch latency lies inside a
// pair: each pair holds one run's GPU time.
class QueuedEventTimes {
 public:
  explicit QueuedEventTimes(int runs) : events_(2 * static_cast<std::size_t>(runs > 0 ? runs : 0), nullptr) {
    for (auto& event : events_) {
      const cudaError_t status = cudaEventCreate(&event);
      if (status != cudaSuccess) {
        release();
        cuda_check(status, "cudaEventCreate");
      }
    }
  }
  ~QueuedEventTimes() { release(); }
  QueuedEventTimes(const QueuedEventTimes&) = delete;
  QueuedEventTimes& operator=(const QueuedEventTimes&) = delete;

  int runs() const { return static_cast<int>(events_.size() / 2); }
  void start(int run, cudaStream_t stream) { TRAINPLAN_CUDA(cudaEventRecord(events_[2 * static_cast<std::size_t>(run)], stream)); }
  void stop(int run, cudaStream_t stream) { TRAINPLAN_CUDA(cudaEventRecord(events_[2 * static_cast<std::size_t>(run) + 1], stream)); }
  // Waits for the last run and returns every run's seconds.
  std::vector<double> seconds() const {
    std::vector<double> result;
    if (events_.empty()) return result;
    TRAINPLAN_CUDA(cudaEventSynchronize(events_.back()));
    for (std::size_t i = 0; i + 1 < events_.size(); i += 2) {
      float ms = 0;
      TRAINPLAN_CUDA(cudaEventElapsedTime(&ms, events_[i], events_[i + 1]));
      result.push_back(static_cast<double>(ms) * 1e-3);
    }
    return result;
  }

 private:
  void release() {
    for (auto& event : events_)
      if (event) cudaEventDestroy(event), event = nullptr;
  }
  std::vector<cudaEvent_t> events_;
};

}  // namespace probe
}  // namespace trainplan
