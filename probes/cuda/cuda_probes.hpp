#pragma once
// The probes' GPU parts, behind plain types so the host harness compiles without CUDA. A build
// without CUDA links cuda_unavailable.cpp, whose functions throw "built without CUDA".
#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "gemm/gemm_shapes.hpp"
#include "hbm/hbm_kernels.hpp"

namespace trainplan::probe {

// True when this binary was built with the CUDA probes.
bool built_with_cuda();
// Throws std::runtime_error ("<what> needs CUDA: trainplan-probe was built without CUDA ...") in a
// build without the CUDA probes, so that the command line is refused before anything starts.
inline void require_cuda(const std::string& what) {
  if (!built_with_cuda())
    throw std::runtime_error(what + " needs CUDA: trainplan-probe was built without CUDA (reconfigure with nvcc, the CUDA "
                                    "toolkit and NCCL present, e.g. -DTRAINPLAN_PROBES=ON); only 'comm --backend mpi' is available");
}

// Selects this rank's GPU (its local rank); throws a clear error when there is none, or when the
// host has more ranks than GPUs. Returns a provenance patch: {"gpu": {...}, "versions":
// {"cuda_runtime", "cuda_driver_api", ...}}.
nlohmann::json open_gpu(int local_rank, int ranks_on_host);

enum class GemmDtype { bf16, fp8 };
const char* to_string(GemmDtype dtype);
// Whether a GPU of this compute capability (90 for 9.0) has tensor cores for the dtype: bf16 from
// 8.0 (Ampere), fp8 E4M3 from 8.9 (Ada, Hopper, Blackwell).
bool gemm_dtype_supported(GemmDtype dtype, int compute_capability);

// hbm: an array must be at least 4x the GPU's L2 (BabelStream's rule), or the kernels measure
// the cache rather than HBM. Throws std::invalid_argument saying what to pass instead.
void check_hbm_array_size(std::size_t array_bytes, std::size_t l2_bytes);

struct GemmRunSettings {
  int warmup = 10;
  int iterations = 50;
  int candidates = 16;                       // heuristic algorithms to request (>= 8)
  int search_iterations = 5;                 // timed runs per candidate when choosing
  std::size_t workspace_bytes = 32u << 20;   // 32 MiB: cuBLAS' recommended workspace on Hopper
  bool flush_l2 = true;                      // overwrite L2 before every timed run
  bool fp8_fast_accumulation = false;        // CUBLASLT_MATMUL_DESC_FAST_ACCUM (fp8 forward GEMMs in training)
  bool training_layouts = true;              // bf16: each shape's own layout (GemmCase::layout); false: TN
  std::uint64_t seed = 1;                    // random operands
};

// Runs the shape's first heuristic algorithm back to back for `seconds`, so that the GPU reaches
// the clock and temperature its power limit sustains before anything is timed (mamf-finder warms
// up likewise).
void warm_up_gemm(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings, double seconds);

struct GemmTiming {
  std::vector<double> iteration_seconds;     // chosen algorithm, every timed iteration
  nlohmann::json algorithm;                  // the chosen one: index, id, tile, stages, split-k, ...
  nlohmann::json candidates;                 // every candidate tried with its median time
  int candidates_returned = 0;               // by cublasLtMatmulAlgoGetHeuristic
};

// Thrown by time_gemm when cuBLASLt offers no algorithm for a shape and dtype (fp8 wants k and
// the leading dimensions in multiples of 16 bytes, so e.g. a router's dgrad with k = 8 experts has
// none): the probe notes it and goes on with the next shape.
struct GemmUnsupported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// cuBLASLt matmul on random operands, bf16 output, fp32 compute; fp8 in the TN layout (A
// transposed, as fp8 requires on Hopper), bf16 in the shape's layout (GemmCase::layout). Timed
// runs are queued behind a delay kernel with a pair of CUDA events each and one wait per batch,
// so neither a host synchronisation nor the launch lies inside a timed span.
GemmTiming time_gemm(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings);
// The layout time_gemm uses for a shape and dtype ("TN", "NN" or "NT").
std::string gemm_layout(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings);

}  // namespace trainplan::probe
