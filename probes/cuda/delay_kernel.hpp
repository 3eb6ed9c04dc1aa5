#pragma once
// A kernel that keeps a stream busy for a while (delay_kernel.cu, CUDA C++17), so that the host
// can enqueue a whole batch of timed runs behind it before the GPU starts them: the runs then
// follow each other on the GPU without waiting for the host's launches (nvbench and Triton's
// do_bench do the same). Plain types only.
#include <cuda_runtime_api.h>

namespace trainplan {
namespace probe {

// Enqueues a single-thread kernel on `stream` that spins for about `seconds` (at most 1 s).
void enqueue_delay(cudaStream_t stream, double seconds);

}  // namespace probe
}  // namespace trainplan
