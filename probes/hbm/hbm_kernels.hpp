#pragma once
// The hbm probe's kernels (hbm_kernels.cu, CUDA C++17): plain types only, so host code and nvcc
// both read this header.
#include <cstddef>
#include <vector>

namespace trainplan {
namespace probe {

enum class HbmKernel { copy, triad };
const char* to_string(HbmKernel kernel);
// Bytes a kernel moves over arrays of `array_bytes` each (BabelStream: copy 2, triad 3 arrays).
double hbm_bytes_moved(HbmKernel kernel, std::size_t array_bytes);
// Times the kernel over double arrays of array_bytes each; seconds per timed iteration.
std::vector<double> time_hbm(HbmKernel kernel, std::size_t array_bytes, int warmup, int iterations);

}  // namespace probe
}  // namespace trainplan
