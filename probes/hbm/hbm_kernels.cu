// Device-memory bandwidth kernels of the hbm probe, after BabelStream (Deakin et al., "Evaluating
// attainable memory bandwidth of parallel programming models via BabelStream", 2018): copy
// c[i] = a[i] and triad a[i] = b[i] + s * c[i] on double arrays, one element per thread.
// Compiled as CUDA C++17.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "cuda/cuda_check.hpp"
#include "cuda/event_timer.hpp"
#include "harness/timing.hpp"
#include "hbm/hbm_kernels.hpp"

namespace trainplan {
namespace probe {

namespace {

constexpr int kThreadsPerBlock = 1024;   // BabelStream's CUDA TBSIZE
constexpr double kTriadScalar = 0.4;      // BabelStream's startScalar

__global__ void copy_kernel(const double* __restrict__ a, double* __restrict__ c, std::size_t n) {
  const std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i];
}

__global__ void triad_kernel(double* __restrict__ a, const double* __restrict__ b, const double* __restrict__ c,
                             double scalar, std::size_t n) {
  const std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) a[i] = b[i] + scalar * c[i];
}

__global__ void fill_kernel(double* __restrict__ x, double value, std::size_t n) {
  const std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (i < n) x[i] = value;
}

struct Arrays {
  explicit Arrays(std::size_t bytes) {
    for (double** array : {&a, &b, &c}) TRAINPLAN_CUDA(cudaMalloc(array, bytes));
  }
  ~Arrays() {
    cudaFree(a);
    cudaFree(b);
    cudaFree(c);
  }
  double* a = nullptr;
  double* b = nullptr;
  double* c = nullptr;
};

}  // namespace

std::vector<double> time_hbm(HbmKernel kernel, std::size_t array_bytes, int warmup, int iterations) {
  const std::size_t n = array_bytes / sizeof(double);
  if (n == 0) throw std::invalid_argument("hbm: array size below one element");
  const unsigned blocks = static_cast<unsigned>((n + kThreadsPerBlock - 1) / kThreadsPerBlock);
  Arrays arrays(n * sizeof(double));
  fill_kernel<<<blocks, kThreadsPerBlock>>>(arrays.a, 0.1, n);
  fill_kernel<<<blocks, kThreadsPerBlock>>>(arrays.b, 0.2, n);
  fill_kernel<<<blocks, kThreadsPerBlock>>>(arrays.c, 0.0, n);
  TRAINPLAN_CUDA(cudaGetLastError());
  TRAINPLAN_CUDA(cudaDeviceSynchronize());
  // BabelStream times every run on its own; warm-up runs are timed the same way and dropped.
  EventTimer timer;
  auto run_once = [&](bool) {
    timer.start(nullptr);
    if (kernel == HbmKernel::copy)
      copy_kernel<<<blocks, kThreadsPerBlock>>>(arrays.a, arrays.c, n);
    else
      triad_kernel<<<blocks, kThreadsPerBlock>>>(arrays.a, arrays.b, arrays.c, kTriadScalar, n);
    TRAINPLAN_CUDA(cudaGetLastError());
    return timer.stop(nullptr);
  };
  return time_iterations(warmup, iterations, run_once);
}

}  // namespace probe
}  // namespace trainplan
