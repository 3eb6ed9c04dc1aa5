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
struct HbmTiming {
  std::vector<double> seconds;         // per timed iteration
  unsigned long long wrong_elements = 0;  // BabelStream's check: elements not holding the expected value afterwards
};
// Times the kernel over double arrays of array_bytes each, queued behind a delay kernel with a
// pair of events per run (no launch or host wait inside a timed span), then checks the result
// arrays as BabelStream does. grid_stride: a grid of a few blocks per SM looping over the arrays
// instead of one element per thread.
HbmTiming time_hbm(HbmKernel kernel, std::size_t array_bytes, int warmup, int iterations, bool grid_stride);

}  // namespace probe
}  // namespace trainplan
