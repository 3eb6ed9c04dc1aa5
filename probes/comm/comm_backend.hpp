#pragma once
// A library that runs collectives for the comm probe on one group of ranks: NCCL on GPU memory,
// or MPI on host memory (so the harness runs anywhere, CI included).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/process_group.hpp"
#include "planner/core/network/collective.hpp"

namespace trainplan::probe {

class CommBackend {
 public:
  virtual ~CommBackend() = default;
  // Runs `warmup` untimed collectives of `bytes` (nccl-tests' size convention) on float elements,
  // then `samples` timed samples of `batch` collectives back to back (time_batched in
  // harness/timing.hpp); returns this rank's time per collective of each sample, seconds.
  // in_place: the output overlaps the input as nccl-tests' in-place runs (supports_in_place).
  virtual std::vector<double> time_collective(Collective kind, std::uint64_t bytes, int warmup, int samples, int batch,
                                              bool in_place = false) = 0;
  // The data check (nccl-tests -c): fills this rank's send buffer with a known pattern, runs the
  // collective once and returns how many received elements differ from what it must produce
  // (comm_pattern.hpp). Every rank of the group must call it.
  virtual std::uint64_t check_collective(Collective kind, std::uint64_t bytes) = 0;
  // A patch for the result's provenance: {"backend", "memory", "versions": {...}, "gpu": {...}}.
  virtual nlohmann::json describe() const = 0;
};

// Collectives per timed sample when --batch is not given: NCCL launches are cheap and small
// messages take microseconds, so 20 (nccl-tests times 20 back to back by default); MPI on host
// memory is slower per call, so fewer.
inline constexpr int kDefaultNcclBatch = 20;
inline constexpr int kDefaultMpiBatch = 5;

struct BackendSettings {
  std::uint64_t max_bytes = 0;   // largest size of the sweep: buffers are allocated once
  int local_rank = 0;            // index of this rank on its host (selects the GPU)
  int ranks_on_host = 1;         // ranks of the job on this host (no more than its GPUs)
  bool cuda_graph = false;       // NCCL: capture each batch in a CUDA graph (nccl-tests -G)
};

// Whether a collective has an in-place form here: all_reduce (one buffer), all_gather (each rank's
// input is its slot of the output), reduce_scatter (each rank's output is its slot of the input).
// all_to_all and send_recv are measured out of place only.
inline bool supports_in_place(Collective kind) {
  return kind == Collective::all_reduce || kind == Collective::all_gather || kind == Collective::reduce_scatter;
}

// The bytes of one collective for a sweep size (nccl-tests' convention) on `ranks` ranks: where
// the buffer is split into one chunk per rank (all_gather, reduce_scatter, all_to_all) each chunk
// is a whole number of 16 bytes, as nccl-tests aligns them; all_reduce and send_recv a whole number
// of floats. 0 when the size holds no such chunk.
std::uint64_t collective_bytes(Collective kind, std::uint64_t size, int ranks);

// Whether the MPI backend can run a sweep up to `max_bytes` with `ranks_on_host` ranks on this
// host: MPI counts are ints (at most 2^31 - 1 floats, just under 8 GiB), and each rank holds a
// send and a receive buffer of max_bytes in host memory. Throws std::invalid_argument saying which
// limit and what to pass instead. `physical_bytes` 0: this host's physical memory.
void check_mpi_backend_limits(std::uint64_t max_bytes, int ranks_on_host, std::uint64_t physical_bytes = 0);

// MPI collectives on host memory (MPI_Allreduce, MPI_Allgather, MPI_Reduce_scatter_block,
// MPI_Alltoall, MPI_Sendrecv). Needs a build with MPI.
std::unique_ptr<CommBackend> make_mpi_backend(const Group& group, const BackendSettings& settings);
// NCCL on one GPU per rank; the unique id is broadcast over `group`. Needs CUDA and NCCL.
std::unique_ptr<CommBackend> make_nccl_backend(const Group& group, const BackendSettings& settings);

}  // namespace trainplan::probe
