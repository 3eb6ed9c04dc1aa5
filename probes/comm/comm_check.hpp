#pragma once
// The comm probe's data check on the GPU (comm_check.cu, CUDA C++17): fill a send buffer with the
// pattern of comm_pattern.hpp and count the received elements that differ from the expected ones.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace trainplan {
namespace probe {

// Fills `elements` floats of `buffer` with pattern_value(rank, i), on `stream`.
void fill_pattern(float* buffer, std::uint64_t elements, int rank, cudaStream_t stream);
// Counts the elements of `received` that differ from expected_value(kind, ...); waits for `stream`.
std::uint64_t count_mismatches(const float* received, int kind, int ranks, int rank, std::uint64_t per_rank, cudaStream_t stream);

}  // namespace probe
}  // namespace trainplan
