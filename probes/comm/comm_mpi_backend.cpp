// The comm probe's host backend: MPI collectives on host memory. It measures the MPI library and
// the host network, not GPUs; its purpose is to exercise the harness anywhere (CI) and to check
// the network path of a cluster before GPUs are involved.
#include <unistd.h>

#include <algorithm>
#include <iomanip>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "comm_backend.hpp"
#include "comm_pattern.hpp"
#include "harness/timing.hpp"

#ifdef TRAINPLAN_PROBE_WITH_MPI
#include <mpi.h>
#endif

namespace trainplan::probe {

namespace {

std::string gib(double bytes) {
  std::ostringstream text;
  text << std::setprecision(3) << bytes / double(1ull << 30) << " GiB";
  return text.str();
}

}  // namespace

void check_mpi_backend_limits(std::uint64_t max_bytes, int ranks_on_host, std::uint64_t physical_bytes) {
  const std::uint64_t floats = max_bytes / sizeof(float);
  const auto int_max = static_cast<std::uint64_t>(std::numeric_limits<int>::max());
  if (floats > int_max)
    throw std::invalid_argument("--backend mpi: -e " + std::to_string(max_bytes) + " bytes is " + std::to_string(floats) +
                                " floats, above MPI's int count limit of " + std::to_string(int_max) +
                                " (use -e 4G or less)");
  if (physical_bytes == 0) {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || page <= 0) return;  // unknown: let the allocation decide
    physical_bytes = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  }
  const double needed = 2.0 * static_cast<double>(max_bytes + sizeof(float)) * std::max(1, ranks_on_host);
  if (needed > static_cast<double>(physical_bytes))
    throw std::invalid_argument("--backend mpi: -e " + gib(static_cast<double>(max_bytes)) + " needs " + gib(needed) +
                                " of host memory on " + local_host_name() + " (" + std::to_string(ranks_on_host) +
                                " ranks x 2 buffers), which has " + gib(static_cast<double>(physical_bytes)) +
                                "; lower -e");
}

#ifdef TRAINPLAN_PROBE_WITH_MPI
namespace {

void check(int status, const char* call) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string(call) + " failed");
}

class MpiBackend : public CommBackend {
 public:
  MpiBackend(const Group& group, const BackendSettings& settings)
      : comm_(*static_cast<const MPI_Comm*>(group.native_handle())), rank_(group.rank()), ranks_(group.size()) {
    const std::size_t elements = settings.max_bytes / sizeof(float) + 1;
    send_.assign(elements, 1.0f);
    receive_.assign(elements, 0.0f);
  }

  // Every sample starts together (a barrier) and is timed with MPI_Wtime on each rank.
  std::vector<double> time_collective(Collective kind, std::uint64_t bytes, int warmup, int samples, int batch, bool in_place) override {
    struct WtimeClock {
      MPI_Comm comm;
      double started = 0;
      void start() {
        check(MPI_Barrier(comm), "MPI_Barrier");
        started = MPI_Wtime();
      }
      double stop() const { return MPI_Wtime() - started; }
    } clock{comm_};
    return time_batched(warmup, samples, batch, [&] { run(kind, bytes, in_place); }, clock);
  }

  std::uint64_t check_collective(Collective kind, std::uint64_t bytes) override {
    const std::uint64_t total = bytes / sizeof(float);
    const std::uint64_t per_rank = kind == Collective::all_reduce || kind == Collective::send_recv ? total : total / static_cast<std::uint64_t>(ranks_);
    for (std::uint64_t i = 0; i < total; ++i) send_[i] = pattern_value(rank_, i);
    std::fill(receive_.begin(), receive_.end(), -1.0f);
    run(kind, bytes);
    const int check_kind = static_cast<int>(kind);
    std::uint64_t wrong = 0;
    const std::uint64_t elements = received_elements(check_kind, ranks_, per_rank);
    for (std::uint64_t i = 0; i < elements; ++i)
      if (receive_[i] != expected_value(check_kind, ranks_, rank_, per_rank, i)) ++wrong;
    return wrong;
  }

  nlohmann::json describe() const override { return {{"backend", "mpi"}, {"memory", "host"}, {"gpu", nullptr}}; }

 private:
  // Element counts follow nccl-tests' conventions for `bytes` (see comm_result.hpp).
  // in_place: MPI_IN_PLACE forms (all_gather: this rank's slot of the output holds its input;
  // reduce_scatter: the output buffer holds the whole input).
  void run(Collective kind, std::uint64_t bytes, bool in_place = false) {
    const int total = static_cast<int>(bytes / sizeof(float));
    const int per_rank = total / ranks_;
    float* in = send_.data();
    float* out = receive_.data();
    switch (kind) {
      case Collective::all_reduce:
        check(MPI_Allreduce(in_place ? MPI_IN_PLACE : in, out, total, MPI_FLOAT, MPI_SUM, comm_), "MPI_Allreduce");
        break;
      case Collective::all_gather:
        if (in_place)
          check(MPI_Allgather(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, out, per_rank, MPI_FLOAT, comm_), "MPI_Allgather(in place)");
        else
          check(MPI_Allgather(in, per_rank, MPI_FLOAT, out, per_rank, MPI_FLOAT, comm_), "MPI_Allgather");
        break;
      case Collective::reduce_scatter:
        check(MPI_Reduce_scatter_block(in_place ? MPI_IN_PLACE : in, in_place ? in : out, per_rank, MPI_FLOAT, MPI_SUM, comm_),
              "MPI_Reduce_scatter_block");
        break;
      case Collective::all_to_all:
        check(MPI_Alltoall(in, per_rank, MPI_FLOAT, out, per_rank, MPI_FLOAT, comm_), "MPI_Alltoall");
        break;
      case Collective::send_recv: {
        // Each rank sends to the next and receives from the previous (nccl-tests sendrecv_perf).
        const int next = (rank_ + 1) % ranks_;
        const int previous = (rank_ + ranks_ - 1) % ranks_;
        check(MPI_Sendrecv(in, total, MPI_FLOAT, next, 0, out, total, MPI_FLOAT, previous, 0, comm_, MPI_STATUS_IGNORE),
              "MPI_Sendrecv");
        break;
      }
    }
  }

  MPI_Comm comm_;
  int rank_;
  int ranks_;
  std::vector<float> send_;
  std::vector<float> receive_;
};

}  // namespace

std::unique_ptr<CommBackend> make_mpi_backend(const Group& group, const BackendSettings& settings) {
  return std::make_unique<MpiBackend>(group, settings);
}
#else
std::unique_ptr<CommBackend> make_mpi_backend(const Group&, const BackendSettings&) {
  throw std::runtime_error("--backend mpi: trainplan-probe was built without MPI (install an MPI and reconfigure)");
}
#endif

}  // namespace trainplan::probe
