#pragma once
// The model's few calibration constants: the same for every plan and every validation row.
// Each has a unit in its name and a source (docs/model.md discusses them).

namespace trainplan {

struct Calibration {
  // Fixed cost of one kernel launch on the critical path (launch + ramp), seconds.
  double kernel_overhead_s = 0;
  // Fraction of the nominal NVLink per-direction bandwidth that NCCL ring collectives reach.
  double nvlink_efficiency = 0;
  // Fraction of the nominal NIC line rate that inter-node collectives reach (per NIC).
  double network_efficiency = 0;
  // Fraction of the overlappable data-parallel communication actually hidden behind compute.
  double dp_overlap_efficiency = 0;
  // Share of the GPU's streaming multiprocessors a collective kernel occupies while it runs beside
  // compute: compute overlapped with communication runs on the other SMs, so each second of hidden
  // communication still costs this share of a second of compute.
  double overlapped_comm_sm_share = 0;
  // Extra device memory beyond the modelled tensors: CUDA context, allocator fragmentation,
  // NCCL and cuBLAS workspaces (bytes per GPU).
  double memory_overhead_bytes = 0;
};

// The one bundled set (see calibration.cpp for the source of each number).
Calibration default_calibration();

}  // namespace trainplan
