// Names and byte counts of the GPU probes' variants (host code, shared by both builds).
#include "cuda_probes.hpp"

namespace trainplan::probe {

const char* to_string(GemmDtype dtype) { return dtype == GemmDtype::fp8 ? "fp8" : "bf16"; }
const char* to_string(HbmKernel kernel) { return kernel == HbmKernel::copy ? "copy" : "triad"; }

// BabelStream's counting (Deakin et al. 2018): copy reads a and writes c (2 arrays); triad reads
// b and c and writes a (3 arrays). Write-allocate traffic is not counted.
double hbm_bytes_moved(HbmKernel kernel, std::size_t array_bytes) {
  const double arrays = kernel == HbmKernel::copy ? 2.0 : 3.0;
  return arrays * static_cast<double>(array_bytes / sizeof(double) * sizeof(double));
}

}  // namespace trainplan::probe
