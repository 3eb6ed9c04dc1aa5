#pragma once
// One run's time on the GPU's own clock: a pair of CUDA events recorded on the run's stream around
// its work (cudaEventElapsedTime, about 0.5 us resolution). C++17 and header-only, shared by the
// cuBLASLt, NCCL and HBM-kernel code.
#include <cuda_runtime_api.h>

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
    TRAINPLAN_CUDA(cudaEventRecord(stop_, stream));
    TRAINPLAN_CUDA(cudaEventSynchronize(stop_));
    float ms = 0;
    TRAINPLAN_CUDA(cudaEventElapsedTime(&ms, start_, stop_));
    return static_cast<double>(ms) * 1e-3;
  }

 private:
  cudaEvent_t start_ = nullptr;
  cudaEvent_t stop_ = nullptr;
};

}  // namespace probe
}  // namespace trainplan
