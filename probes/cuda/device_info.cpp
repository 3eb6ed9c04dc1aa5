#include "device_info.hpp"

#include <array>

#include "cuda_check.hpp"
#include "harness/process_group.hpp"
#include "harness/provenance.hpp"

namespace trainplan::probe {

std::string cuda_version_text(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

DeviceInfo select_device(int local_rank) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) {
    // Without a loaded NVIDIA kernel driver CUDA reports an "insufficient driver"; say what it means.
    const std::string driver = nvidia_driver_version().empty() ? "no NVIDIA kernel driver is loaded (no /proc/driver/nvidia/version); " : "";
    throw std::runtime_error("no CUDA GPU visible on host " + local_host_name() + " (" + driver + "cudaGetDeviceCount: " +
                             (status == cudaSuccess ? std::string("0 devices") : std::string(cudaGetErrorString(status))) +
                             "; check the driver, CUDA_VISIBLE_DEVICES and the job's GPU allocation)");
  }
  DeviceInfo d;
  d.index = local_rank % count;
  TRAINPLAN_CUDA(cudaSetDevice(d.index));
  cudaDeviceProp properties{};
  TRAINPLAN_CUDA(cudaGetDeviceProperties(&properties, d.index));
  d.name = properties.name;
  std::array<char, 32> bus{};
  if (cudaDeviceGetPCIBusId(bus.data(), static_cast<int>(bus.size()), d.index) == cudaSuccess) d.pci_bus_id = bus.data();
  d.memory_bytes = properties.totalGlobalMem;
  d.l2_bytes = static_cast<std::size_t>(properties.l2CacheSize);
  d.multiprocessors = properties.multiProcessorCount;
  d.compute_capability = properties.major * 10 + properties.minor;
  TRAINPLAN_CUDA(cudaRuntimeGetVersion(&d.runtime_version));
  TRAINPLAN_CUDA(cudaDriverGetVersion(&d.driver_version));
  return d;
}

nlohmann::json device_json(const DeviceInfo& d) {
  return {{"model", d.name},
          {"index", d.index},
          {"pci_bus_id", d.pci_bus_id},
          {"memory_bytes", d.memory_bytes},
          {"l2_bytes", d.l2_bytes},
          {"multiprocessors", d.multiprocessors},
          {"compute_capability", d.compute_capability},
          {"cuda_runtime", cuda_version_text(d.runtime_version)},
          {"cuda_driver_api", cuda_version_text(d.driver_version)}};
}

}  // namespace trainplan::probe
