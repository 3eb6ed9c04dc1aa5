// Names and byte counts of the GPU probes' variants (host code, shared by both builds).
#include <stdexcept>
#include <string>

#include "cuda_probes.hpp"

namespace trainplan::probe {

const char* to_string(GemmDtype dtype) { return dtype == GemmDtype::fp8 ? "fp8" : "bf16"; }
const char* to_string(HbmKernel kernel) { return kernel == HbmKernel::copy ? "copy" : "triad"; }

std::string gemm_layout(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings) {
  if (dtype == GemmDtype::fp8 || !settings.training_layouts) return "TN";
  return shape.layout == "NN" || shape.layout == "NT" ? shape.layout : "TN";
}

bool gemm_dtype_supported(GemmDtype dtype, int compute_capability) {
  return compute_capability >= (dtype == GemmDtype::fp8 ? 89 : 80);
}

void check_hbm_array_size(std::size_t array_bytes, std::size_t l2_bytes) {
  if (l2_bytes == 0 || array_bytes >= 4 * l2_bytes) return;
  const auto mib = [](std::size_t bytes) { return std::to_string((bytes + (1u << 20) - 1) >> 20) + "M"; };
  throw std::invalid_argument("--array-bytes " + mib(array_bytes) + ": below 4x this GPU's L2 cache (" + mib(l2_bytes) +
                              "), it would measure the cache, not HBM; use at least --array-bytes " + mib(4 * l2_bytes));
}

// BabelStream's counting (Deakin et al. 2018): copy reads a and writes c (2 arrays); triad reads
// b and c and writes a (3 arrays). Write-allocate traffic is not counted.
double hbm_bytes_moved(HbmKernel kernel, std::size_t array_bytes) {
  const double arrays = kernel == HbmKernel::copy ? 2.0 : 3.0;
  return arrays * static_cast<double>(array_bytes / sizeof(double) * sizeof(double));
}

}  // namespace trainplan::probe
