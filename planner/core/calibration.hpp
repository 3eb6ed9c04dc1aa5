#pragma once
// The model's few calibration constants: the same for every plan and every validation row.
// Each has a unit in its name and a source (docs/model.md discusses them).

namespace trainplan {

struct Calibration {
  bool operator==(const Calibration&) const = default;  // lets tests see whether an input changed anything
  // Fixed cost of one kernel launch on the critical path (launch + ramp), seconds.
  double kernel_overhead_s = 0;
  // Fraction of the nominal NVLink per-direction bandwidth that NCCL ring collectives reach.
  double nvlink_efficiency = 0;
  // Fraction of the nominal NIC line rate that inter-node collectives reach (per NIC).
  double network_efficiency = 0;
  // Fraction of overlappable communication actually hidden behind the compute it runs beside: the
  // data-parallel reduction and gather, the expert all-to-all with ep_overlap, and the
  // tensor-parallel collectives with tp_overlap.
  double overlap_efficiency = 0;
  // Share of the GPU's streaming multiprocessors a collective kernel occupies while it runs beside
  // compute: compute overlapped with communication runs on the other SMs, so each second of hidden
  // communication still costs this share of a second of compute.
  double overlapped_comm_sm_share = 0;
  // Fraction of the rate a kernel reaches in isolation (the profile's GEMM, attention and HBM
  // figures, each measured one kernel at a time) that it sustains inside a training step, where
  // thousands of kernels run back to back beside communication: gaps between launches,
  // synchronisation, clock variation, and the small kernels the model does not list. Divides every
  // compute kernel's time (GEMMs, attention, memory-bound kernels, the optimizer step); the fixed
  // per-kernel overhead is apart. The one constant fit to data (calibration.cpp says to which).
  double sustained_kernel_fraction = 1.0;
  // Coefficient of variation of one GPU's sustained compute speed across GPUs of one SKU in a
  // cluster (straggler.hpp): the slowest of N sets the step's pace.
  double gpu_speed_cv = 0;
  // Extra device memory beyond the modelled tensors: CUDA context, allocator fragmentation,
  // NCCL and cuBLAS workspaces (bytes per GPU).
  double memory_overhead_bytes = 0;
};

// The one bundled set (see calibration.cpp for the source of each number).
Calibration default_calibration();

}  // namespace trainplan
