#include "device_info.hpp"

#include <dlfcn.h>

#include <algorithm>
#include <array>

#include "cuda_check.hpp"
#include "harness/process_group.hpp"
#include "harness/provenance.hpp"

namespace trainplan::probe {

std::string cuda_version_text(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

namespace {

// The few NVML entry points the provenance needs, loaded with dlopen so that the probes build
// without NVML's header and run where the driver lacks it. Signatures from NVML's C API.
using NvmlDevice = void*;
struct Nvml {
  void* library = nullptr;
  int (*init)() = nullptr;
  int (*shutdown)() = nullptr;
  int (*by_bus_id)(const char*, NvmlDevice*) = nullptr;
  int (*power_limit)(NvmlDevice, unsigned*) = nullptr;            // nvmlDeviceGetEnforcedPowerLimit, mW
  int (*clock)(NvmlDevice, int, unsigned*) = nullptr;             // nvmlDeviceGetClockInfo, MHz
  int (*max_clock)(NvmlDevice, int, unsigned*) = nullptr;         // nvmlDeviceGetMaxClockInfo, MHz
  int (*app_clock)(NvmlDevice, int, unsigned*) = nullptr;         // nvmlDeviceGetApplicationsClock, MHz
  int (*ecc)(NvmlDevice, int*, int*) = nullptr;                   // nvmlDeviceGetEccMode
  int (*mig)(NvmlDevice, unsigned*, unsigned*) = nullptr;         // nvmlDeviceGetMigMode
  int (*persistence)(NvmlDevice, int*) = nullptr;                 // nvmlDeviceGetPersistenceMode
  int (*throttle)(NvmlDevice, unsigned long long*) = nullptr;     // nvmlDeviceGetCurrentClocksThrottleReasons
};

template <typename F>
void load(void* library, const char* name, F& function) {
  function = reinterpret_cast<F>(dlsym(library, name));
}

}  // namespace

nlohmann::json nvml_state(const std::string& pci_bus_id) {
  Nvml nvml;
  nvml.library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (!nvml.library) return {{"nvml", "unavailable: libnvidia-ml.so.1 not found"}};
  load(nvml.library, "nvmlInit_v2", nvml.init);
  load(nvml.library, "nvmlShutdown", nvml.shutdown);
  load(nvml.library, "nvmlDeviceGetHandleByPciBusId_v2", nvml.by_bus_id);
  load(nvml.library, "nvmlDeviceGetEnforcedPowerLimit", nvml.power_limit);
  load(nvml.library, "nvmlDeviceGetClockInfo", nvml.clock);
  load(nvml.library, "nvmlDeviceGetMaxClockInfo", nvml.max_clock);
  load(nvml.library, "nvmlDeviceGetApplicationsClock", nvml.app_clock);
  load(nvml.library, "nvmlDeviceGetEccMode", nvml.ecc);
  load(nvml.library, "nvmlDeviceGetMigMode", nvml.mig);
  load(nvml.library, "nvmlDeviceGetPersistenceMode", nvml.persistence);
  load(nvml.library, "nvmlDeviceGetCurrentClocksThrottleReasons", nvml.throttle);
  nlohmann::json state = nlohmann::json::object();
  NvmlDevice device = nullptr;
  if (!nvml.init || !nvml.by_bus_id || nvml.init() != 0) {
    dlclose(nvml.library);
    return {{"nvml", "unavailable: nvmlInit failed"}};
  }
  if (nvml.by_bus_id(pci_bus_id.c_str(), &device) == 0) {
    unsigned value = 0, other = 0;
    int mode = 0, pending = 0;
    constexpr int kGraphics = 0, kSm = 1, kMemory = 2;
    if (nvml.power_limit && nvml.power_limit(device, &value) == 0) state["power_limit_w"] = value / 1000.0;
    if (nvml.clock && nvml.clock(device, kSm, &value) == 0) state["sm_clock_mhz"] = value;
    if (nvml.clock && nvml.clock(device, kMemory, &value) == 0) state["memory_clock_mhz"] = value;
    if (nvml.max_clock && nvml.max_clock(device, kSm, &value) == 0) state["sm_clock_max_mhz"] = value;
    if (nvml.max_clock && nvml.max_clock(device, kMemory, &value) == 0) state["memory_clock_max_mhz"] = value;
    if (nvml.app_clock && nvml.app_clock(device, kGraphics, &value) == 0) state["application_clock_mhz"] = value;
    if (nvml.ecc && nvml.ecc(device, &mode, &pending) == 0) state["ecc"] = mode ? "enabled" : "disabled";
    if (nvml.mig && nvml.mig(device, &value, &other) == 0) state["mig"] = value ? "enabled" : "disabled";
    if (nvml.persistence && nvml.persistence(device, &mode) == 0) state["persistence_mode"] = mode ? "enabled" : "disabled";
    unsigned long long reasons = 0;
    if (nvml.throttle && nvml.throttle(device, &reasons) == 0) state["clock_throttle_reasons"] = reasons;
  } else {
    state["nvml"] = "no device with PCI bus id " + pci_bus_id;
  }
  if (nvml.shutdown) nvml.shutdown();
  dlclose(nvml.library);
  return state;
}

DeviceInfo select_device(int local_rank, int ranks_on_host) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) {
    // Without a loaded NVIDIA kernel driver CUDA reports an "insufficient driver"; say what it means.
    const std::string driver = nvidia_driver_version().empty() ? "no NVIDIA kernel driver is loaded (no /proc/driver/nvidia/version); " : "";
    throw std::runtime_error("no CUDA GPU visible on host " + local_host_name() + " (" + driver + "cudaGetDeviceCount: " +
                             (status == cudaSuccess ? std::string("0 devices") : std::string(cudaGetErrorString(status))) +
                             "; check the driver, CUDA_VISIBLE_DEVICES and the job's GPU allocation)");
  }
  if (ranks_on_host > count || local_rank >= count)
    throw std::runtime_error(std::to_string(std::max(ranks_on_host, local_rank + 1)) + " ranks on host " + local_host_name() + " but only " +
                             std::to_string(count) + " GPU(s) visible: ranks would share a GPU and each measure a share of it; start "
                             "one rank per GPU (e.g. mpirun --map-by ppr:" + std::to_string(count) + ":node) or check CUDA_VISIBLE_DEVICES");
  DeviceInfo d;
  d.visible_devices = count;
  d.index = local_rank;
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
  d.state = nvml_state(d.pci_bus_id);
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
          {"cuda_driver_api", cuda_version_text(d.driver_version)},
          {"visible_devices", d.visible_devices},
          {"state", d.state}};
}

}  // namespace trainplan::probe
