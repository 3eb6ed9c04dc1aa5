#pragma once
// fp8 GEMMs of the backward pass as Transformer Engine runs them: with the split accumulator.
//
// Hopper's fp8 tensor cores accumulate with limited precision (DeepSeek-V3 technical report, section
// 3.3.2: about 14 bits kept). cuBLASLt therefore offers two modes for fp8 GEMMs
// (CUBLASLT_MATMUL_DESC_FAST_ACCUM): fast accumulation, or intermediate results periodically
// promoted to fp32 (the "split accumulator"), which is slower. Transformer Engine's per-tensor fp8
// recipes (delayed and current scaling) run the forward GEMM with fast accumulation and the two
// backward GEMMs with the split accumulator (transformer_engine/pytorch/module/base.py:
// _2X_ACC_FPROP = False, _2X_ACC_DGRAD = True, _2X_ACC_WGRAD = True; the GEMM wrapper sets
// FAST_ACCUM = !use_split_accumulator). The planner's fp8 GEMM curve (probes/data/
// h100-sxm-published.yaml) was measured with superbench's cublaslt_gemm, which sets FAST_ACCUM = 1:
// it is the forward GEMMs' rate, and the data- and weight-gradient GEMMs (two thirds of the fp8
// GEMM FLOPs) run slower than it.
//
// How much slower: fast accumulation is published as a 1.1x to 1.2x speed-up of H100 fp8 GEMMs over
// the split accumulator (the torchao maintainers, pytorch/ao on GitHub; torchao's float8 training likewise keeps fast
// accumulation to the forward pass); the middle of that range, 1.15, is used (docs/model.md, "fp8
// as it runs"). bf16 GEMMs accumulate in fp32 and are unaffected.
//
// Blockwise scaling (DeepSeek-V3's recipe, DeepGEMM) promotes every 128 values of K inside its own
// kernels in every pass; its backward is left at the curve's rate, as is its forward.
#include "planner/core/gpu_spec.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

// Fast-accumulation speed-up over the split accumulator (see above).
inline constexpr double kFp8SplitAccumulatorSlowdown = 1.15;

// Factor on the time of this plan's fp8 data- and weight-gradient GEMMs: kFp8SplitAccumulatorSlowdown
// under fp8 with per-tensor (delayed or current) scaling on a GPU with fp8 tensor cores, else 1.
double fp8_backward_gemm_slowdown(const ParallelPlan& plan, const GpuSpec& gpu);

}  // namespace trainplan
