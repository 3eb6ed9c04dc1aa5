#pragma once
// The GPU a rank uses: selects it, fails clearly when none is visible, and describes it (model,
// memory, SMs, L2 size, CUDA runtime and driver versions) for the result's provenance.
#include <nlohmann/json.hpp>

#include <string>

namespace trainplan::probe {

struct DeviceInfo {
  int index = 0;
  std::string name;             // e.g. "NVIDIA H100 80GB HBM3"
  std::string pci_bus_id;
  std::size_t memory_bytes = 0;
  std::size_t l2_bytes = 0;
  int multiprocessors = 0;
  int compute_capability = 0;   // 90 for Hopper
  int runtime_version = 0;      // cudaRuntimeGetVersion, e.g. 13000
  int driver_version = 0;       // cudaDriverGetVersion (the CUDA version the driver supports)
};

// cudaSetDevice(local_rank % visible GPUs); throws a clear error when no GPU is visible.
DeviceInfo select_device(int local_rank);
nlohmann::json device_json(const DeviceInfo& device);
// "13.0" from 13000.
std::string cuda_version_text(int version);

}  // namespace trainplan::probe
