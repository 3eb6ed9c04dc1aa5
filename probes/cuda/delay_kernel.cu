// CUDA C++17: a spin kernel on the GPU's global timer (see delay_kernel.hpp).
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>

#include "cuda/cuda_check.hpp"
#include "cuda/delay_kernel.hpp"

namespace trainplan {
namespace probe {

namespace {

__global__ void spin_kernel(std::uint64_t nanoseconds) {
  std::uint64_t start = 0, now = 0;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(start));
  do {
    __nanosleep(1000);
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(now));
  } while (now - start < nanoseconds);
}

}  // namespace

void enqueue_delay(cudaStream_t stream, double seconds) {
  const double bounded = std::min(1.0, std::max(0.0, seconds));
  spin_kernel<<<1, 1, 0, stream>>>(static_cast<std::uint64_t>(bounded * 1e9));
  TRAINPLAN_CUDA(cudaGetLastError());
}

}  // namespace probe
}  // namespace trainplan
