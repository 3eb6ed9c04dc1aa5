#pragma once
// Turns a failed CUDA runtime, cuBLASLt or NCCL call into an exception naming the call and the
// library's own message (so "no GPU" or "out of memory" reach the user as one clear line).
#include <cuda_runtime_api.h>

#include <stdexcept>
#include <string>

namespace trainplan::probe {

inline void cuda_check(cudaError_t status, const char* call) {
  if (status != cudaSuccess)
    throw std::runtime_error(std::string(call) + ": " + cudaGetErrorName(status) + ": " + cudaGetErrorString(status));
}

}  // namespace trainplan::probe

#define TRAINPLAN_CUDA(call) ::trainplan::probe::cuda_check((call), #call)
