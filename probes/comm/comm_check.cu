// CUDA C++17: the comm probe's data check kernels (comm_check.hpp).
#include <cuda_runtime.h>

#include "comm/comm_check.hpp"
#include "comm/comm_pattern.hpp"
#include "cuda/cuda_check.hpp"

namespace trainplan {
namespace probe {

namespace {

constexpr unsigned kThreads = 256;
constexpr unsigned kMaxBlocks = 4096;

__global__ void fill_kernel(float* buffer, std::uint64_t elements, int rank) {
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; i < elements;
       i += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    buffer[i] = pattern_value(rank, i);
}

__global__ void check_kernel(const float* received, std::uint64_t elements, int kind, int ranks, int rank, std::uint64_t per_rank,
                             unsigned long long* wrong) {
  unsigned long long mine = 0;
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; i < elements;
       i += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    if (received[i] != expected_value(kind, ranks, rank, per_rank, i)) ++mine;
  if (mine) atomicAdd(wrong, mine);
}

unsigned blocks_for(std::uint64_t elements) {
  const std::uint64_t wanted = (elements + kThreads - 1) / kThreads;
  return static_cast<unsigned>(wanted < kMaxBlocks ? (wanted > 0 ? wanted : 1) : kMaxBlocks);
}

}  // namespace

void fill_pattern(float* buffer, std::uint64_t elements, int rank, cudaStream_t stream) {
  fill_kernel<<<blocks_for(elements), kThreads, 0, stream>>>(buffer, elements, rank);
  TRAINPLAN_CUDA(cudaGetLastError());
}

std::uint64_t count_mismatches(const float* received, int kind, int ranks, int rank, std::uint64_t per_rank, cudaStream_t stream) {
  const std::uint64_t elements = received_elements(kind, ranks, per_rank);
  unsigned long long* wrong = nullptr;
  TRAINPLAN_CUDA(cudaMallocAsync(reinterpret_cast<void**>(&wrong), sizeof(*wrong), stream));
  unsigned long long host = 0;
  cudaError_t status = cudaMemsetAsync(wrong, 0, sizeof(*wrong), stream);
  if (status == cudaSuccess) {
    check_kernel<<<blocks_for(elements), kThreads, 0, stream>>>(received, elements, kind, ranks, rank, per_rank, wrong);
    status = cudaGetLastError();
  }
  if (status == cudaSuccess) status = cudaMemcpyAsync(&host, wrong, sizeof(host), cudaMemcpyDeviceToHost, stream);
  cudaFreeAsync(wrong, stream);
  if (status == cudaSuccess) status = cudaStreamSynchronize(stream);
  cuda_check(status, "count_mismatches");
  return host;
}

}  // namespace probe
}  // namespace trainplan
