#pragma once
// One accelerator as the spec sheet (or a probe) describes it.
#include <string>

#include "planner/core/attention_efficiency.hpp"
#include "planner/core/provenance.hpp"

namespace trainplan {

struct GpuSpec {
  bool operator==(const GpuSpec&) const = default;  // lets tests see whether an input changed anything
  std::string name;
  double bf16_dense_tflops = 0;            // peak dense bf16/fp16 tensor throughput
  double fp8_dense_tflops = 0;             // 0: the GPU has no fp8 tensor cores
  double hbm_gib = 0;                      // device memory capacity
  double hbm_tb_s = 0;                     // peak HBM bandwidth, 1e12 bytes/s
  double nvlink_gb_s_per_direction = 0;    // scale-up bandwidth per GPU per direction, 1e9 bytes/s
  double tdp_w = 0;
  int streaming_multiprocessors = 0;       // 0: unknown
  // GPUs of the NVLink domain this GPU is built into (GB200: the 72 of an NVL72 rack); 0: not stated.
  // The job's --gpus-per-node when neither that flag nor a --topology says it (plan_options.cpp).
  int nvlink_domain_gpus = 0;
  // Fused attention (forward + backward) as a fraction of the bf16 dense peak, published per kernel
  // generation, as one figure or by shape (attention_efficiency.hpp); none: no figure
  // (FlashAttention-3 runs on Hopper only).
  AttentionKernelFigures flash2;
  AttentionKernelFigures flash3;
  Provenance attention_provenance;  // of both kernels' figures (the file's attention_kernels.provenance)
  // The host memory a GPU can offload activations to, and the link it goes over (PCIe or NVLink-C2C),
  // per GPU; 0: not stated (activation offloading then cannot be planned on this GPU).
  double host_link_gb_s_per_direction = 0;  // 1e9 bytes/s each way
  double host_memory_gib = 0;
  // Whether the file states both (activation offloading needs them).
  bool states_host() const { return host_link_gb_s_per_direction > 0 && host_memory_gib > 0; }
  Provenance provenance;
};

}  // namespace trainplan
