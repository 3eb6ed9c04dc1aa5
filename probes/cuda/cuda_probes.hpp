#pragma once
// The probes' GPU parts, behind plain types so the host harness compiles without CUDA. A build
// without CUDA links cuda_unavailable.cpp, whose functions throw "built without CUDA".
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

#include "gemm/gemm_shapes.hpp"
#include "hbm/hbm_kernels.hpp"

namespace trainplan::probe {

// True when this binary was built with the CUDA probes.
bool built_with_cuda();

// Selects this rank's GPU (local rank modulo visible GPUs); throws a clear error when there is none.
// Returns a provenance patch: {"gpu": {...}, "versions": {"cuda_runtime", "cuda_driver_api", ...}}.
nlohmann::json open_gpu(int local_rank);

enum class GemmDtype { bf16, fp8 };
const char* to_string(GemmDtype dtype);

struct GemmRunSettings {
  int warmup = 10;
  int iterations = 50;
  int candidates = 16;                       // heuristic algorithms to request (>= 8)
  int search_iterations = 5;                 // timed runs per candidate when choosing
  std::size_t workspace_bytes = 32u << 20;   // 32 MiB: cuBLAS' recommended workspace on Hopper
  bool flush_l2 = true;                      // overwrite L2 before every timed run
};

struct GemmTiming {
  std::vector<double> iteration_seconds;     // chosen algorithm, every timed iteration
  nlohmann::json algorithm;                  // the chosen one: index, id, tile, stages, split-k, ...
  nlohmann::json candidates;                 // every candidate tried with its median time
  int candidates_returned = 0;               // by cublasLtMatmulAlgoGetHeuristic
};

// cuBLASLt matmul, TN layout (A transposed, as fp8 requires on Hopper), bf16 output, fp32 compute.
GemmTiming time_gemm(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings);

}  // namespace trainplan::probe
