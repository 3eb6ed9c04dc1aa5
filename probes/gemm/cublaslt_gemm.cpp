// cuBLASLt matmul timing for the gemm probe: ask the heuristic for candidate algorithms, time each
// briefly, keep the fastest, then time it properly (warm-up, L2 flushed before every timed run,
// CUDA events per run). fp8 on Hopper requires the TN layout (A transposed) and scale pointers
// (cuBLASLt documentation, "cublasLtMatmul regular/fp8 configurations").
#include <cublasLt.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>

#include "cuda/cuda_check.hpp"
#include "cuda/cuda_probes.hpp"
#include "cuda/delay_kernel.hpp"
#include "cuda/event_timer.hpp"
#include "gemm/gemm_fill.hpp"
#include "harness/statistics.hpp"
#include "harness/timing.hpp"

namespace trainplan::probe {

namespace {

void lt_check(cublasStatus_t status, const char* call) {
  if (status != CUBLAS_STATUS_SUCCESS)
    throw std::runtime_error(std::string(call) + ": " + cublasLtGetStatusName(status) + ": " + cublasLtGetStatusString(status));
}
#define TRAINPLAN_LT(call) lt_check((call), #call)

// Device memory released on scope exit.
struct DeviceBuffer {
  explicit DeviceBuffer(std::size_t bytes) : size(bytes) {
    if (bytes) TRAINPLAN_CUDA(cudaMalloc(&data, bytes));
  }
  ~DeviceBuffer() { cudaFree(data); }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  void* data = nullptr;
  std::size_t size = 0;
};

// The cuBLASLt objects of one problem; destroyed together.
struct MatmulProblem {
  cublasLtHandle_t handle = nullptr;
  cublasLtMatmulDesc_t operation = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr, d = nullptr;
  cublasLtMatmulPreference_t preference = nullptr;
  ~MatmulProblem() {
    if (preference) cublasLtMatmulPreferenceDestroy(preference);
    for (auto layout : {a, b, c, d})
      if (layout) cublasLtMatrixLayoutDestroy(layout);
    if (operation) cublasLtMatmulDescDestroy(operation);
    if (handle) cublasLtDestroy(handle);
  }
};

nlohmann::json algorithm_json(const cublasLtMatmulHeuristicResult_t& result, int index) {
  auto config = [&](cublasLtMatmulAlgoConfigAttributes_t attribute) {
    int value = 0;
    std::size_t written = 0;
    cublasLtMatmulAlgoConfigGetAttribute(&result.algo, attribute, &value, sizeof(value), &written);
    return value;
  };
  return {{"heuristic_index", index},
          {"id", config(CUBLASLT_ALGO_CONFIG_ID)},
          {"tile_id", config(CUBLASLT_ALGO_CONFIG_TILE_ID)},
          {"stages_id", config(CUBLASLT_ALGO_CONFIG_STAGES_ID)},
          {"split_k", config(CUBLASLT_ALGO_CONFIG_SPLITK_NUM)},
          {"workspace_bytes", result.workspaceSize},
          {"waves", result.wavesCount}};
}

class GemmRunner {
 public:
  GemmRunner(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings)
      : shape_(shape), settings_(settings),
        element_bytes_(dtype == GemmDtype::fp8 ? 1 : 2),
        a_(static_cast<std::size_t>(shape.k * shape.m) * element_bytes_),
        b_(static_cast<std::size_t>(shape.k * shape.n) * element_bytes_),
        d_(static_cast<std::size_t>(shape.m * shape.n) * 2),
        workspace_(settings.workspace_bytes),
        scales_(2 * sizeof(float)) {
    int device = 0;
    TRAINPLAN_CUDA(cudaGetDevice(&device));
    int l2_bytes = 0;
    TRAINPLAN_CUDA(cudaDeviceGetAttribute(&l2_bytes, cudaDevAttrL2CacheSize, device));
    // Twice the L2 so that a memset evicts every line the matmul left there.
    flush_ = std::make_unique<DeviceBuffer>(settings.flush_l2 ? 2 * static_cast<std::size_t>(l2_bytes) : 0);
    TRAINPLAN_CUDA(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
    timer_ = std::make_unique<EventTimer>();
    // Random operands in [-1, 1): constant data draws less power and inflates power-limited rates.
    fill_random(a_.data, a_.size / element_bytes_, static_cast<int>(element_bytes_), settings.seed, stream_);
    fill_random(b_.data, b_.size / element_bytes_, static_cast<int>(element_bytes_), settings.seed + 1, stream_);
    TRAINPLAN_CUDA(cudaStreamSynchronize(stream_));
    const float ones[2] = {1.0f, 1.0f};
    TRAINPLAN_CUDA(cudaMemcpy(scales_.data, ones, sizeof(ones), cudaMemcpyHostToDevice));
    layout_ = gemm_layout(shape, dtype, settings);
    describe(dtype);
  }
  ~GemmRunner() {
    timer_.reset();
    cudaStreamDestroy(stream_);
  }

  GemmTiming run() {
    std::vector<cublasLtMatmulHeuristicResult_t> heuristics(static_cast<std::size_t>(std::max(8, settings_.candidates)));
    int returned = 0;
    const cublasStatus_t status = cublasLtMatmulAlgoGetHeuristic(
        problem_.handle, problem_.operation, problem_.a, problem_.b, problem_.c, problem_.d, problem_.preference,
        static_cast<int>(heuristics.size()), heuristics.data(), &returned);
    if (status == CUBLAS_STATUS_NOT_SUPPORTED || (status == CUBLAS_STATUS_SUCCESS && returned == 0))
      throw GemmUnsupported("cuBLASLt has no algorithm for this shape and dtype (" +
                            std::string(cublasLtGetStatusName(status)) + ")");
    lt_check(status, "cublasLtMatmulAlgoGetHeuristic");
    GemmTiming timing;
    timing.candidates_returned = returned;
    timing.candidates = nlohmann::json::array();
    int best = -1;
    double best_median = 0;
    for (int i = 0; i < returned; ++i) {
      const auto& candidate = heuristics[static_cast<std::size_t>(i)];
      if (candidate.state != CUBLAS_STATUS_SUCCESS || candidate.workspaceSize > workspace_.size) continue;
      nlohmann::json entry = algorithm_json(candidate, i);
      try {
        const double median = percentile(time(candidate.algo, 1, settings_.search_iterations), 0.5);
        entry["median_us"] = median * 1e6;
        if (best < 0 || median < best_median) best = i, best_median = median;
      } catch (const std::exception& e) {
        entry["error"] = e.what();   // an algorithm the heuristic offered but that failed to run
      }
      timing.candidates.push_back(entry);
    }
    if (best < 0) throw std::runtime_error("no cuBLASLt algorithm ran for " + shape_.name);
    const auto& chosen = heuristics[static_cast<std::size_t>(best)];
    timing.algorithm = algorithm_json(chosen, best);
    timing.iteration_seconds = time(chosen.algo, settings_.warmup, settings_.iterations);
    return timing;
  }

 private:
  void describe(GemmDtype dtype) {
    const cudaDataType_t input = dtype == GemmDtype::fp8 ? CUDA_R_8F_E4M3 : CUDA_R_16BF;
    TRAINPLAN_LT(cublasLtCreate(&problem_.handle));
    TRAINPLAN_LT(cublasLtMatmulDescCreate(&problem_.operation, CUBLAS_COMPUTE_32F, CUDA_R_32F));
    const bool a_transposed = layout_[0] == 'T', b_transposed = layout_[1] == 'T';
    const cublasOperation_t transa = a_transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
    const cublasOperation_t transb = b_transposed ? CUBLAS_OP_T : CUBLAS_OP_N;
    TRAINPLAN_LT(cublasLtMatmulDescSetAttribute(problem_.operation, CUBLASLT_MATMUL_DESC_TRANSA, &transa, sizeof(transa)));
    TRAINPLAN_LT(cublasLtMatmulDescSetAttribute(problem_.operation, CUBLASLT_MATMUL_DESC_TRANSB, &transb, sizeof(transb)));
    if (dtype == GemmDtype::fp8) {
      // Fast accumulation (fp8 forward GEMMs in Transformer Engine's recipes): off by default.
      const std::int8_t fast = settings_.fp8_fast_accumulation ? 1 : 0;
      TRAINPLAN_LT(cublasLtMatmulDescSetAttribute(problem_.operation, CUBLASLT_MATMUL_DESC_FAST_ACCUM, &fast, sizeof(fast)));
      const float* a_scale = static_cast<const float*>(scales_.data);
      const float* b_scale = a_scale + 1;
      TRAINPLAN_LT(cublasLtMatmulDescSetAttribute(problem_.operation, CUBLASLT_MATMUL_DESC_A_SCALE_POINTER, &a_scale, sizeof(a_scale)));
      TRAINPLAN_LT(cublasLtMatmulDescSetAttribute(problem_.operation, CUBLASLT_MATMUL_DESC_B_SCALE_POINTER, &b_scale, sizeof(b_scale)));
    }
    // Column-major: A is stored k x m when transposed (TN), else m x k; B k x n, or n x k when
    // transposed (NT); C and D m x n in bf16.
    const auto m = static_cast<std::uint64_t>(shape_.m), n = static_cast<std::uint64_t>(shape_.n),
               k = static_cast<std::uint64_t>(shape_.k);
    if (a_transposed)
      TRAINPLAN_LT(cublasLtMatrixLayoutCreate(&problem_.a, input, k, m, static_cast<std::int64_t>(k)));
    else
      TRAINPLAN_LT(cublasLtMatrixLayoutCreate(&problem_.a, input, m, k, static_cast<std::int64_t>(m)));
    if (b_transposed)
      TRAINPLAN_LT(cublasLtMatrixLayoutCreate(&problem_.b, input, n, k, static_cast<std::int64_t>(n)));
    else
      TRAINPLAN_LT(cublasLtMatrixLayoutCreate(&problem_.b, input, k, n, static_cast<std::int64_t>(k)));
    TRAINPLAN_LT(cublasLtMatrixLayoutCreate(&problem_.c, CUDA_R_16BF, m, n, static_cast<std::int64_t>(m)));
    TRAINPLAN_LT(cublasLtMatrixLayoutCreate(&problem_.d, CUDA_R_16BF, m, n, static_cast<std::int64_t>(m)));
    TRAINPLAN_LT(cublasLtMatmulPreferenceCreate(&problem_.preference));
    const std::uint64_t workspace = workspace_.size;
    TRAINPLAN_LT(cublasLtMatmulPreferenceSetAttribute(problem_.preference, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES,
                                                      &workspace, sizeof(workspace)));
  }

  void launch(const cublasLtMatmulAlgo_t& algorithm) {
    const float alpha = 1.0f, beta = 0.0f;
    TRAINPLAN_LT(cublasLtMatmul(problem_.handle, problem_.operation, &alpha, a_.data, problem_.a, b_.data, problem_.b,
                                &beta, d_.data, problem_.c, d_.data, problem_.d, &algorithm, workspace_.data,
                                workspace_.size, stream_));
  }

  // Warm-up launches back to back; then the timed runs, queued in batches behind a delay kernel:
  // per run an L2 flush (outside the timed span) and the matmul between its own pair of events,
  // one host wait per batch.
  std::vector<double> time(const cublasLtMatmulAlgo_t& algorithm, int warmup, int iterations) {
    for (int i = 0; i < warmup; ++i) launch(algorithm);
    std::vector<double> seconds;
    seconds.reserve(static_cast<std::size_t>(std::max(0, iterations)));
    constexpr int kQueued = 64;  // well inside CUDA's launch queue
    int flushes = 0;
    for (int done = 0; done < iterations;) {
      const int runs = std::min(kQueued, iterations - done);
      QueuedEventTimes times(runs);
      enqueue_delay(stream_, 2e-3 + runs * 30e-6);
      for (int r = 0; r < runs; ++r) {
        if (flush_->size) TRAINPLAN_CUDA(cudaMemsetAsync(flush_->data, flushes++ & 0xff, flush_->size, stream_));
        times.start(r, stream_);
        launch(algorithm);
        times.stop(r, stream_);
      }
      for (double s : times.seconds()) seconds.push_back(s);
      done += runs;
    }
    return seconds;
  }

 public:
  // The first heuristic algorithm back to back for `seconds` (host clock; a wait every 20 runs).
  void run_for(double seconds) {
    cublasLtMatmulHeuristicResult_t first{};
    int returned = 0;
    lt_check(cublasLtMatmulAlgoGetHeuristic(problem_.handle, problem_.operation, problem_.a, problem_.b, problem_.c, problem_.d,
                                            problem_.preference, 1, &first, &returned),
             "cublasLtMatmulAlgoGetHeuristic");
    if (returned == 0) throw GemmUnsupported("cuBLASLt has no algorithm for the warm-up shape");
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
      for (int i = 0; i < 20; ++i) launch(first.algo);
      TRAINPLAN_CUDA(cudaStreamSynchronize(stream_));
    }
  }

 private:
  GemmCase shape_;
  GemmRunSettings settings_;
  std::string layout_ = "TN";
  std::size_t element_bytes_;
  DeviceBuffer a_, b_, d_, workspace_, scales_;
  std::unique_ptr<DeviceBuffer> flush_;
  MatmulProblem problem_;
  cudaStream_t stream_ = nullptr;
  std::unique_ptr<EventTimer> timer_;
};

}  // namespace

GemmTiming time_gemm(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings) {
  GemmRunner runner(shape, dtype, settings);
  return runner.run();
}

void warm_up_gemm(const GemmCase& shape, GemmDtype dtype, const GemmRunSettings& settings, double seconds) {
  if (!(seconds > 0)) return;
  GemmRunner runner(shape, dtype, settings);
  runner.run_for(seconds);
}

}  // namespace trainplan::probe
