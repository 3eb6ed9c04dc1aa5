// The comm probe's GPU backend: NCCL collectives on device memory, one rank per GPU, timed per
// sample with CUDA events on the collectives' stream around a batch of back-to-back collectives
// (nccl-tests likewise times a batch of iterations and divides).
#include <cuda_runtime_api.h>
#include <nccl.h>

#include <cstring>
#include <memory>
#include <stdexcept>

#include "comm_backend.hpp"
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

class NcclBackend : public CommBackend {
 public:
  NcclBackend(const Group& group, const BackendSettings& settings)
      : device_(select_device(settings.local_rank)), group_(group), rank_(group.rank()), ranks_(group.size()) {
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
  }
  ~NcclBackend() override {
    timer_.reset();
    cudaFree(send_);
    cudaFree(receive_);
    if (comm_) ncclCommDestroy(comm_);
    cudaStreamDestroy(stream_);
  }

  // Warm-up collectives back to back, then each sample's batch of collectives between two CUDA
  // events on their stream. Before a sample the stream drains (the warm-up, or the previous
  // sample) and the group meets in an MPI barrier, so every rank's batch starts together.
  std::vector<double> time_collective(Collective kind, std::uint64_t bytes, int warmup, int samples, int batch) override {
    struct StreamClock {
      EventTimer& timer;
      const Group& group;
      cudaStream_t stream;
      void start() {
        TRAINPLAN_CUDA(cudaStreamSynchronize(stream));
        group.barrier();
        timer.start(stream);
      }
      double stop() { return timer.stop(stream); }
    } clock{*timer_, group_, stream_};
    return time_batched(warmup, samples, batch, [&] { run(kind, bytes); }, clock);
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
  // Counts follow nccl-tests: `bytes` is the full buffer; all_gather and reduce_scatter move 1/n
  // of it per rank, all_to_all sends bytes/n to each peer, send_recv passes to the next rank.
  void run(Collective kind, std::uint64_t bytes) {
    const std::size_t total = bytes / sizeof(float);
    const std::size_t per_rank = total / static_cast<std::size_t>(ranks_);
    auto* in = static_cast<char*>(send_);
    auto* out = static_cast<char*>(receive_);
    switch (kind) {
      case Collective::all_reduce:
        TRAINPLAN_NCCL(ncclAllReduce(in, out, total, ncclFloat, ncclSum, comm_, stream_));
        break;
      case Collective::all_gather:
        TRAINPLAN_NCCL(ncclAllGather(in, out, per_rank, ncclFloat, comm_, stream_));
        break;
      case Collective::reduce_scatter:
        TRAINPLAN_NCCL(ncclReduceScatter(in, out, per_rank, ncclFloat, ncclSum, comm_, stream_));
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
  ncclComm_t comm_ = nullptr;
  cudaStream_t stream_ = nullptr;
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
