// The GPU side of every CUDA probe's provenance: which GPU, which CUDA, which cuBLASLt.
#include <cublasLt.h>

#include "cuda_probes.hpp"
#include "device_info.hpp"

namespace trainplan::probe {

bool built_with_cuda() { return true; }

nlohmann::json open_gpu(int local_rank, int ranks_on_host) {
  const DeviceInfo device = select_device(local_rank, ranks_on_host);
  const std::size_t lt = cublasLtGetVersion();
  return {{"gpu", device_json(device)},
          {"versions",
           {{"cuda_runtime", cuda_version_text(device.runtime_version)},
            {"cuda_driver_api", cuda_version_text(device.driver_version)},
            {"cublaslt", std::to_string(lt / 10000) + "." + std::to_string(lt / 100 % 100) + "." + std::to_string(lt % 100)}}}};
}

}  // namespace trainplan::probe
