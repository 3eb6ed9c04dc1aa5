// CUDA C++17: random bf16 / fp8 operands for the gemm probe (gemm_fill.hpp).
#include <cuda_bf16.h>
#include <cuda_fp8.h>
#include <cuda_runtime.h>

#include "cuda/cuda_check.hpp"
#include "gemm/gemm_fill.hpp"

namespace trainplan {
namespace probe {

namespace {

// splitmix64: a counter-based generator, uniform enough for operand values.
__device__ inline std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

__device__ inline float uniform(std::uint64_t seed, std::uint64_t index) {
  return static_cast<float>(mix(seed * 0x100000001b3ull + index) >> 40) * (2.0f / 16777216.0f) - 1.0f;
}

__global__ void fill_bf16(__nv_bfloat16* out, std::uint64_t n, std::uint64_t seed) {
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    out[i] = __float2bfloat16(uniform(seed, i));
}

__global__ void fill_fp8(__nv_fp8_e4m3* out, std::uint64_t n, std::uint64_t seed) {
  for (std::uint64_t i = blockIdx.x * static_cast<std::uint64_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::uint64_t>(gridDim.x) * blockDim.x)
    out[i] = __nv_fp8_e4m3(uniform(seed, i));
}

}  // namespace

void fill_random(void* buffer, std::uint64_t elements, int element_bytes, std::uint64_t seed, cudaStream_t stream) {
  constexpr unsigned kThreads = 256, kBlocks = 4096;
  if (element_bytes == 1)
    fill_fp8<<<kBlocks, kThreads, 0, stream>>>(static_cast<__nv_fp8_e4m3*>(buffer), elements, seed);
  else
    fill_bf16<<<kBlocks, kThreads, 0, stream>>>(static_cast<__nv_bfloat16*>(buffer), elements, seed);
  TRAINPLAN_CUDA(cudaGetLastError());
}

}  // namespace probe
}  // namespace trainplan
