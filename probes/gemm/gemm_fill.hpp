#pragma once
// Random GEMM operands on the GPU (gemm_fill.cu, CUDA C++17). Constant or zero data lets the
// tensor cores draw less power, and a power-limited GPU then clocks higher than on real weights
// and activations: large-shape TFLOP/s come out up to ~15% high. mamf-finder likewise multiplies
// random matrices.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace trainplan {
namespace probe {

// Fills `elements` values of `buffer` uniformly from [-1, 1) (a counter-based hash of `seed` and
// the index, so every run draws the same data), as bf16 (element_bytes 2) or fp8 E4M3 (1).
void fill_random(void* buffer, std::uint64_t elements, int element_bytes, std::uint64_t seed, cudaStream_t stream);

}  // namespace probe
}  // namespace trainplan
