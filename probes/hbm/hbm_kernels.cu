// Device-memory bandwidth kernels of the hbm probe, after BabelStream (Deakin et al., "Evaluating
// attainable memory bandwidth of parallel programming models via BabelStream", 2018): copy
// c[i] = a[i] and triad a[i] = b[i] + s * c[i] on double arrays, one element per thread (or a
// grid-stride loop), with BabelStream's check of the arrays afterwards.
// Compiled as CUDA C++17.
#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "cuda/cuda_check.hpp"
#include "cuda/delay_kernel.hpp"
#include "cuda/event_timer.hpp"
#include "harness/timing.hpp"
#include "hbm/hbm_kernels.hpp"

namespace trainplan {
namespace probe {

namespace {

constexpr int kThreadsPerBlock = 1024;   // BabelStream's CUDA TBSIZE
constexpr double kTriadScalar = 0.4;      // BabelStream's startScalar

__global__ void copy_kernel(const double* __restrict__ a, double* __restrict__ c, std::size_t n) {
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    c[i] = a[i];
}

__global__ void triad_kernel(double* __restrict__ a, const double* __restrict__ b, const double* __restrict__ c,
                             double scalar, std::size_t n) {
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    a[i] = b[i] + scalar * c[i];
}

__global__ void fill_kernel(double* __restrict__ x, double value, std::size_t n) {
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    x[i] = value;
}

__global__ void check_kernel(const double* __restrict__ x, double expected, std::size_t n, unsigned long long* wrong) {
  unsigned long long mine = 0;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    if (x[i] != expected) ++mine;
  if (mine) atomicAdd(wrong, mine);
}

struct Arrays {
  explicit Arrays(std::size_t bytes) {
    for (double** array : {&a, &b, &c}) {
      const cudaError_t status = cudaMalloc(array, bytes);
      if (status != cudaSuccess) {
        release();
        cuda_check(status, "cudaMalloc (hbm arrays)");
      }
    }
  }
  ~Arrays() { release(); }
  void release() {
    for (double** array : {&a, &b, &c})
      if (*array) cudaFree(*array), *array = nullptr;
  }
  double* a = nullptr;
  double* b = nullptr;
  double* c = nullptr;
};

// BabelStream's initial values and what each kernel leaves: copy c = a; triad a = b + s c.
constexpr double kStartA = 0.1, kStartB = 0.2, kStartC = 0.0;

}  // namespace

HbmTiming time_hbm(HbmKernel kernel, std::size_t array_bytes, int warmup, int iterations, bool grid_stride) {
  const std::size_t n = array_bytes / sizeof(double);
  if (n == 0) throw std::invalid_argument("hbm: array size below one element");
  const unsigned per_element = static_cast<unsigned>((n + kThreadsPerBlock - 1) / kThreadsPerBlock);
  int device = 0, sms = 0;
  TRAINPLAN_CUDA(cudaGetDevice(&device));
  TRAINPLAN_CUDA(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
  const unsigned blocks = grid_stride ? std::min(per_element, static_cast<unsigned>(4 * sms)) : per_element;
  Arrays arrays(n * sizeof(double));
  fill_kernel<<<per_element, kThreadsPerBlock>>>(arrays.a, kStartA, n);
  fill_kernel<<<per_element, kThreadsPerBlock>>>(arrays.b, kStartB, n);
  fill_kernel<<<per_element, kThreadsPerBlock>>>(arrays.c, kStartC, n);
  TRAINPLAN_CUDA(cudaGetLastError());
  TRAINPLAN_CUDA(cudaDeviceSynchronize());
  auto launch = [&] {
    if (kernel == HbmKernel::copy)
      copy_kernel<<<blocks, kThreadsPerBlock>>>(arrays.a, arrays.c, n);
    else
      triad_kernel<<<blocks, kThreadsPerBlock>>>(arrays.a, arrays.b, arrays.c, kTriadScalar, n);
  };
  for (int i = 0; i < warmup; ++i) launch();
  TRAINPLAN_CUDA(cudaGetLastError());
  HbmTiming timing;
  constexpr int kQueued = 64;
  for (int done = 0; done < iterations;) {
    const int runs = std::min(kQueued, iterations - done);
    QueuedEventTimes times(runs);
    enqueue_delay(nullptr, 1e-3 + runs * 20e-6);
    for (int r = 0; r < runs; ++r) {
      times.start(r, nullptr);
      launch();
      times.stop(r, nullptr);
    }
    TRAINPLAN_CUDA(cudaGetLastError());
    for (double s : times.seconds()) timing.seconds.push_back(s);
    done += runs;
  }
  // Every run writes the same values (the inputs never change), so one expected value per array.
  const double* checked = kernel == HbmKernel::copy ? arrays.c : arrays.a;
  const double expected = kernel == HbmKernel::copy ? kStartA : kStartB + kTriadScalar * kStartC;
  unsigned long long* wrong = nullptr;
  TRAINPLAN_CUDA(cudaMalloc(&wrong, sizeof(*wrong)));
  cudaError_t status = cudaMemset(wrong, 0, sizeof(*wrong));
  if (status == cudaSuccess) {
    check_kernel<<<std::min(per_element, 4096u), kThreadsPerBlock>>>(checked, expected, n, wrong);
    status = cudaGetLastError();
  }
  if (status == cudaSuccess) status = cudaMemcpy(&timing.wrong_elements, wrong, sizeof(*wrong), cudaMemcpyDeviceToHost);
  cudaFree(wrong);
  cuda_check(status, "hbm result check");
  return timing;
}

}  // namespace probe
}  // namespace trainplan
