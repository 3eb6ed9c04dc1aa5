// The comm probe's GPU backend: NCCL collectives on device memory, one rank per GPU, timed per
// sample with CUDA events on the collectives' stream around a batch of back-to-back collectives
// (nccl-tests likewise times a batch of iterations and divides).
#include <cuda_runtime_api.h>
#include <nccl.h>

#include <chrono>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <thread>

#include "comm_backend.hpp"
#include "comm_check.hpp"
#include "cuda/cuda_check.hpp"
#include "cuda/device_info.hpp"
#include "cuda/event_timer.hpp"
#include "harness/timing.hpp"

namespace trainplan::probe {

namespace {

void nccl_check(ncclResult_t status, const char* call) {
  if (status == ncclSuccess) return;
  std::string message = std::string(call) + ": " + ncclGetErrorString(status);
#if defined(NCCL_VERSION_CODE) && NCCL_VERSION_CODE >= NCCL_VERSION(2, 13, 0)
  // NCCL's own account of the last failure ("Duplicate GPU detected ...", a failed connection).
  const char* last = ncclGetLastError(nullptr);
  if (last && *last) message += " (" + std::string(last) + ")";
#endif
  throw std::runtime_error(message);
}
#define TRAINPLAN_NCCL(call) nccl_check((call), #call)

std::string nccl_version_text() {
  int code = 0;
  if (ncclGetVersion(&code) != ncclSuccess) return "unknown";
  // NCCL_VERSION(X,Y,Z) = X*10000 + Y*100 + Z since 2.9.
  return std::to_string(code / 10000) + "." + std::to_string(code / 100 % 100) + "." + std::to_string(code % 100);
}

// Waits until `event` has completed, polling NCCL for an asynchronous error meanwhile (an IB or
// NVLink failure, a peer that left): without it such a failure only shows as a watchdog timeout.
void wait_polling(cudaEvent_t event, ncclComm_t comm) {
  for (;;) {
    const cudaError_t done = cudaEventQuery(event);
    if (done == cudaSuccess) return;
    if (done != cudaErrorNotReady) cuda_check(done, "cudaEventQuery (waiting for the collectives)");
    ncclResult_t async = ncclSuccess;
    TRAINPLAN_NCCL(ncclCommGetAsyncError(comm, &async));
#if defined(NCCL_VERSION_CODE) && NCCL_VERSION_CODE >= NCCL_VERSION(2, 14, 0)
    const bool pending = async == ncclInProgress;  // a non-blocking communicator still working
#else
    const bool pending = false;
#endif
    if (async != ncclSuccess && !pending) nccl_check(async, "NCCL asynchronous error (ncclCommGetAsyncError)");
    std::this_thread::sleep_for(std::chrono::microseconds(20));
  }
}

class NcclBackend : public CommBackend {
 public:
  NcclBackend(const Group& group, const BackendSettings& settings)
      : device_(select_device(settings.local_rank, settings.ranks_on_host)), group_(group), rank_(group.rank()),
        ranks_(group.size()), cuda_graph_(settings.cuda_graph) {
    try {
      // Rank 0 of the group creates the id; the group's MPI broadcast hands it to the others.
      ncclUniqueId id{};
      if (rank_ == 0) TRAINPLAN_NCCL(ncclGetUniqueId(&id));
      std::vector<std::uint8_t> bytes(sizeof(id));
      std::memcpy(bytes.data(), &id, sizeof(id));
      group.broadcast(bytes, 0);
      std::memcpy(&id, bytes.data(), sizeof(id));
      TRAINPLAN_NCCL(ncclCommInitRank(&comm_, ranks_, id, rank_));
      TRAINPLAN_CUDA(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking));
      const std::size_t buffer_bytes = settings.max_bytes + 64;
      TRAINPLAN_CUDA(cudaMalloc(&send_, buffer_bytes));
      TRAINPLAN_CUDA(cudaMalloc(&receive_, buffer_bytes));
      TRAINPLAN_CUDA(cudaMemset(send_, 0, buffer_bytes));
      timer_ = std::make_unique<EventTimer>();
    } catch (...) {
      failed_ = true;   // a half-made communicator is aborted, not destroyed (which could wait on peers)
      release();
      throw;
    }
  }
  ~NcclBackend() override { release(); }

  // Warm-up collectives back to back, then each sample's batch of collectives between two CUDA
  // events on their stream. Before a sample the stream drains (the warm-up, or the previous
  // sample) and the group meets in an MPI barrier, so every rank's batch starts together. Every
  // wait polls NCCL for asynchronous errors. With cuda_graph the batch is captured once into a
  // CUDA graph and each sample launches it (nccl-tests -G).
  std::vector<double> time_collective(Collective kind, std::uint64_t bytes, int warmup, int samples, int batch, bool in_place) override {
    try {
      struct StreamClock {
        NcclBackend& backend;
        void start() {
          backend.drain();
          backend.group_.barrier();
          backend.timer_->start(backend.stream_);
        }
        double stop() {
          backend.timer_->record_stop(backend.stream_);
          wait_polling(backend.timer_->stop_event(), backend.comm_);
          return backend.timer_->elapsed();
        }
      } clock{*this};
      if (!cuda_graph_) return time_batched(warmup, samples, batch, [&] { run(kind, bytes, in_place); }, clock);
      return time_graph(kind, bytes, warmup, samples, batch, in_place, clock);
    } catch (...) {
      failed_ = true;
      throw;
    }
  }

  std::uint64_t check_collective(Collective kind, std::uint64_t bytes) override {
    try {
      const std::uint64_t total = bytes / sizeof(float);
      const std::uint64_t per_rank = kind == Collective::all_reduce || kind == Collective::send_recv ? total : total / static_cast<std::uint64_t>(ranks_);
      fill_pattern(static_cast<float*>(send_), total, rank_, stream_);
      TRAINPLAN_CUDA(cudaMemsetAsync(receive_, 0xff, bytes, stream_));
      drain();
      group_.barrier();
      run(kind, bytes);
      drain();
      return count_mismatches(static_cast<const float*>(receive_), static_cast<int>(kind), ranks_, rank_, per_rank, stream_);
    } catch (...) {
      failed_ = true;
      throw;
    }
  }

  nlohmann::json describe() const override {
    return {{"backend", "nccl"},
            {"memory", "device"},
            {"gpu", device_json(device_)},
            {"versions",
             {{"nccl", nccl_version_text()},
              {"cuda_runtime", cuda_version_text(device_.runtime_version)},
              {"cuda_driver_api", cuda_version_text(device_.driver_version)}}}};
  }

 private:
  // Waits for everything on the stream, polling NCCL for asynchronous errors.
  void drain() {
    TRAINPLAN_CUDA(cudaEventRecord(drained_event(), stream_));
    wait_polling(drained_event(), comm_);
  }
  cudaEvent_t drained_event() {
    if (!drained_) TRAINPLAN_CUDA(cudaEventCreateWithFlags(&drained_, cudaEventDisableTiming));
    return drained_;
  }

  template <typename Clock>
  std::vector<double> time_graph(Collective kind, std::uint64_t bytes, int warmup, int samples, int batch, bool in_place, Clock& clock) {
    cudaGraph_t graph = nullptr;
    cudaGraphExec_t exec = nullptr;
    drain();
    TRAINPLAN_CUDA(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeThreadLocal));
    try {
      for (int i = 0; i < batch; ++i) run(kind, bytes, in_place);
    } catch (...) {
      cudaStreamEndCapture(stream_, &graph);
      if (graph) cudaGraphDestroy(graph);
      throw;
    }
    TRAINPLAN_CUDA(cudaStreamEndCapture(stream_, &graph));
#if CUDART_VERSION >= 12000
    const cudaError_t made = cudaGraphInstantiate(&exec, graph, 0);
#else
    const cudaError_t made = cudaGraphInstantiate(&exec, graph, nullptr, nullptr, 0);
#endif
    cudaGraphDestroy(graph);
    cuda_check(made, "cudaGraphInstantiate");
    try {
      // Warm-up: whole graphs (at least one), then one graph per sample, divided by the batch.
      const int warmup_graphs = warmup > 0 ? (warmup + batch - 1) / batch : 0;
      std::vector<double> seconds = time_batched(warmup_graphs, samples, 1, [&] { TRAINPLAN_CUDA(cudaGraphLaunch(exec, stream_)); }, clock);
      for (double& s : seconds) s /= static_cast<double>(batch);
      cudaGraphExecDestroy(exec);
      return seconds;
    } catch (...) {
      cudaGraphExecDestroy(exec);
      throw;
    }
  }

  // After a failure (a NCCL error, a peer that died, an exception on the way) the communicator is
  // aborted: ncclCommDestroy would wait for the peers' outstanding work, which may never finish.
  void release() noexcept {
    timer_.reset();
    if (comm_) {
      if (failed_) ncclCommAbort(comm_);
      else ncclCommDestroy(comm_);
      comm_ = nullptr;
    }
    if (drained_) cudaEventDestroy(drained_), drained_ = nullptr;
    if (send_) cudaFree(send_), send_ = nullptr;
    if (receive_) cudaFree(receive_), receive_ = nullptr;
    if (stream_) cudaStreamDestroy(stream_), stream_ = nullptr;
  }

  // Counts follow nccl-tests: `bytes` is the full buffer; all_gather and reduce_scatter move 1/n
  // of it per rank, all_to_all sends bytes/n to each peer, send_recv passes to the next rank.
  // in_place (nccl-tests' in-place runs): all_reduce in one buffer; all_gather's input is this
  // rank's slot of the output; reduce_scatter's output is this rank's slot of the input.
  void run(Collective kind, std::uint64_t bytes, bool in_place = false) {
    const std::size_t total = bytes / sizeof(float);
    const std::size_t per_rank = total / static_cast<std::size_t>(ranks_);
    const std::size_t slot = static_cast<std::size_t>(rank_) * per_rank * sizeof(float);
    auto* in = static_cast<char*>(send_);
    auto* out = static_cast<char*>(receive_);
    switch (kind) {
      case Collective::all_reduce:
        TRAINPLAN_NCCL(ncclAllReduce(in_place ? out : in, out, total, ncclFloat, ncclSum, comm_, stream_));
        break;
      case Collective::all_gather:
        TRAINPLAN_NCCL(ncclAllGather(in_place ? out + slot : in, out, per_rank, ncclFloat, comm_, stream_));
        break;
      case Collective::reduce_scatter:
        TRAINPLAN_NCCL(ncclReduceScatter(in, in_place ? in + slot : out, per_rank, ncclFloat, ncclSum, comm_, stream_));
        break;
      case Collective::all_to_all: {
        // ncclAlltoAll exists only in recent NCCL; grouped send/recv works everywhere.
        const std::size_t chunk = per_rank * sizeof(float);
        TRAINPLAN_NCCL(ncclGroupStart());
        for (int peer = 0; peer < ranks_; ++peer) {
          TRAINPLAN_NCCL(ncclSend(in + peer * chunk, per_rank, ncclFloat, peer, comm_, stream_));
          TRAINPLAN_NCCL(ncclRecv(out + peer * chunk, per_rank, ncclFloat, peer, comm_, stream_));
        }
        TRAINPLAN_NCCL(ncclGroupEnd());
        break;
      }
      case Collective::send_recv: {
        const int next = (rank_ + 1) % ranks_;
        const int previous = (rank_ + ranks_ - 1) % ranks_;
        TRAINPLAN_NCCL(ncclGroupStart());
        TRAINPLAN_NCCL(ncclSend(in, total, ncclFloat, next, comm_, stream_));
        TRAINPLAN_NCCL(ncclRecv(out, total, ncclFloat, previous, comm_, stream_));
        TRAINPLAN_NCCL(ncclGroupEnd());
        break;
      }
    }
  }

  DeviceInfo device_;
  const Group& group_;   // outlives the backend (comm_probe)
  int rank_;
  int ranks_;
  bool cuda_graph_ = false;
  bool failed_ = false;
  ncclComm_t comm_ = nullptr;
  cudaStream_t stream_ = nullptr;
  cudaEvent_t drained_ = nullptr;
  void* send_ = nullptr;
  void* receive_ = nullptr;
  std::unique_ptr<EventTimer> timer_;
};

}  // namespace

std::unique_ptr<CommBackend> make_nccl_backend(const Group& group, const BackendSettings& settings) {
  if (group.size() > 1 && group.native_handle() == nullptr)
    throw std::runtime_error("--backend nccl with several ranks needs MPI to share the NCCL id; this build has no MPI");
  return std::make_unique<NcclBackend>(group, settings);
}

}  // namespace trainplan::probe
