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
  int visible_devices = 0;      // cudaGetDeviceCount
  nlohmann::json state;         // nvml_state(pci_bus_id)
};

// cudaSetDevice(local_rank); throws a clear error when no GPU is visible, or when the host has more
// ranks (`ranks_on_host`) than visible GPUs: ranks sharing a GPU would each measure a share of it.
DeviceInfo select_device(int local_rank, int ranks_on_host);
// What NVML (loaded at run time, when the driver has it) says of the GPU with this PCI bus id: power
// limit, clocks, ECC, MIG and persistence mode; {"nvml": "unavailable: ..."} otherwise.
nlohmann::json nvml_state(const std::string& pci_bus_id);
nlohmann::json device_json(const DeviceInfo& device);
// "13.0" from 13000.
std::string cuda_version_text(int version);

}  // namespace trainplan::probe
