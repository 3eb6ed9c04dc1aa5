#pragma once
// A library that runs collectives for the comm probe on one group of ranks: NCCL on GPU memory,
// or MPI on host memory (so the harness runs anywhere, CI included).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "harness/process_group.hpp"
#include "planner/core/collective.hpp"

namespace trainplan::probe {

class CommBackend {
 public:
  virtual ~CommBackend() = default;
  // Runs `warmup` untimed then `iterations` timed collectives of `bytes` (nccl-tests' size
  // convention) on float elements; returns this rank's time of each timed iteration, seconds.
  virtual std::vector<double> time_collective(Collective kind, std::uint64_t bytes, int warmup, int iterations) = 0;
  // A patch for the result's provenance: {"backend", "memory", "versions": {...}, "gpu": {...}}.
  virtual nlohmann::json describe() const = 0;
};

struct BackendSettings {
  std::uint64_t max_bytes = 0;   // largest size of the sweep: buffers are allocated once
  int local_rank = 0;            // index of this rank on its host (selects the GPU)
};

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
