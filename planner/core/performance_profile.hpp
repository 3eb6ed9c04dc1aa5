#pragma once
// What the hardware achieves, as curves: GEMM efficiency by size, HBM bandwidth, collective bus
// bandwidth by message size and level. Built from published figures by default (bundled profile)
// and replaced, piece by piece, by probe measurements (trainplan-probe, nccl-tests -J output).
#include <array>
#include <string>
#include <vector>

#include "planner/core/attention_efficiency.hpp"
#include "planner/core/network/bandwidth_curve.hpp"
#include "planner/core/network/collective.hpp"

namespace trainplan {

// Where a collective's traffic runs: inside the NVLink domain, or across the scale-out network.
enum class NetworkLevel { intra_node = 0, inter_node = 1 };

struct PerformanceProfile {
  // Fraction of the GPU's peak dense throughput that a GEMM of a given size (2*m*n*k FLOPs) reaches.
  SizeCurve gemm_bf16_fraction_by_flops;
  SizeCurve gemm_fp8_fraction_by_flops;
  bool gemm_measured = false;
  // K depth at which a GEMM tile's fixed cost (pipeline fill, epilogue: scaling and the bf16 output
  // tile written back) equals its main loop, per precision: a tile of depth k runs at
  // k / (k + fixed_k) of the rate of an infinitely deep one (planner/core/model/expert_gemm.hpp).
  // 0: no figure (expert GEMMs then take the square curve's efficiency at their size).
  double gemm_bf16_tile_fixed_k = 0;
  double gemm_fp8_tile_fixed_k = 0;
  // Achieved HBM bandwidth as a fraction of the spec sheet (BabelStream copy/triad against peak).
  double hbm_fraction = 0;
  bool hbm_measured = false;
  // Fraction of the bf16 dense peak that fused attention reaches over forward + backward, per kernel
  // generation (index: AttentionKernel flash2 = 0, flash3 = 1), one figure or by shape. None: the
  // kernel does not run on this GPU (flash3 then falls back to flash2).
  std::array<AttentionKernelFigures, 2> fused_attention{};
  // Measured bus bandwidth (GB/s, nccl-tests definition) against message bytes, per level and kind.
  // Empty curves fall back to the nominal link speeds of the fabric.
  std::array<std::array<SizeCurve, 5>, 2> busbw_gb_s;
  std::array<std::array<bool, 5>, 2> busbw_measured{};
  std::vector<std::string> sources;  // provenance of each piece, for the plan's report

  const SizeCurve& busbw(NetworkLevel level, Collective kind) const {
    return busbw_gb_s[static_cast<int>(level)][static_cast<int>(kind)];
  }
};

}  // namespace trainplan
