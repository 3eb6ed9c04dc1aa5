#pragma once
// The ranks of a probe job. With MPI (compile definition TRAINPLAN_PROBE_WITH_MPI) a World wraps
// MPI_COMM_WORLD and Groups are MPI sub-communicators; without it the job is one rank.
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace trainplan::probe {

class Group {
 public:
  virtual ~Group() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  virtual void barrier() const = 0;
  // Broadcasts `bytes` from group rank `root` to every rank of the group.
  virtual void broadcast(std::vector<std::uint8_t>& bytes, int root) const = 0;
  // Element-wise maximum over the group's ranks, result on every rank.
  virtual std::vector<double> max_over_ranks(const std::vector<double>& values) const = 0;
  // Every rank's `text` (any bytes, empty allowed), gathered at group rank 0 in rank order; the
  // other ranks get an empty vector. Throws std::runtime_error when the total exceeds 2 GiB.
  virtual std::vector<std::string> gather_text(const std::string& text) const = 0;
  // The native communicator (an MPI_Comm) for backends that need it; nullptr without MPI.
  virtual const void* native_handle() const = 0;
};

class World : public Group {
 public:
  // Initialises MPI when built with it (MPI_Init), else a single-rank world.
  static std::unique_ptr<World> start(int& argc, char**& argv);
  virtual ~World() = default;

  // Each rank's host. Hosts are told apart by MPI's shared-memory split (MPI_COMM_TYPE_SHARED), not
  // by name alone: two nodes (containers) with one host name become "name#2", ... in rank order.
  const std::vector<std::string>& hosts_by_rank() const { return hosts_; }
  int local_rank() const { return local_rank_; }   // index among the ranks on this host
  int ranks_on_host() const { return ranks_on_host_; }
  // Whether MPI granted MPI_THREAD_MULTIPLE: only then may another thread (the watchdog) call
  // MPI_Abort while the main thread is inside MPI.
  bool threads_may_call_mpi() const { return threads_may_call_mpi_; }
  std::string mpi_version() const { return mpi_version_; }
  bool with_mpi() const { return with_mpi_; }

  // Ranks with equal colour form a group, ordered by world rank (MPI_Comm_split).
  virtual std::unique_ptr<Group> split(int colour) const = 0;
  // Ends every rank of the job now (MPI_Abort), so no rank waits forever on a failed one.
  [[noreturn]] virtual void abort(int exit_code) const = 0;
  // The same from a thread other than the main one: MPI_Abort when MPI granted
  // MPI_THREAD_MULTIPLE, else this process exits at once (_Exit) and the launcher (mpirun, srun),
  // seeing a rank end without MPI_Finalize, ends the others.
  [[noreturn]] void abort_from_other_thread(int exit_code) const {
    if (threads_may_call_mpi_) abort(exit_code);
    std::_Exit(exit_code);
  }
  // MPI_Finalize when built with MPI, bounded: a teardown that does not return within
  // kFinalizeTimeoutSeconds ends the process with exit_status (the status the probe already
  // decided on; a line on stderr says so only when that status is success, since a failure was
  // already reported in one line). Never a hang after the work is done.
  virtual void finish(int exit_status) = 0;
  static constexpr double kFinalizeTimeoutSeconds = 20.0;

 protected:
  std::vector<std::string> hosts_;
  int local_rank_ = 0;
  int ranks_on_host_ = 1;
  bool threads_may_call_mpi_ = true;
  std::string mpi_version_;
  bool with_mpi_ = false;
};

// The environment variable that, when set and not empty, replaces this rank's host name (the
// ranks' grouping by host, provenance, messages): for tests that fake several hosts on one
// machine, as NCCL_HOSTID does for NCCL.
inline constexpr const char* kHostOverrideVariable = "TRAINPLAN_PROBE_HOST";
// This machine's host name, or TRAINPLAN_PROBE_HOST when set.
std::string local_host_name();
// Index of each rank among the ranks on its host, in world-rank order, from the hosts list.
std::vector<int> local_ranks(const std::vector<std::string>& hosts_by_rank);
// Host labels from each rank's host name and the lowest world rank of its shared-memory node:
// names shared by several nodes get "#2", "#3", ... on the second and later nodes (in rank order).
std::vector<std::string> distinct_host_labels(const std::vector<std::string>& names, const std::vector<int>& node_leaders);
// Why a world of `world_size` ranks must not run when the launcher started more tasks (srun
// without PMI, or an MPI that does not match the launcher: every task would be rank 0 of its own
// world, measure alone and race on --json); empty when fine. `env` reads an environment variable
// (nullptr: unset): SLURM_STEP_NUM_TASKS / SLURM_NTASKS with SLURM_PROCID, OMPI_COMM_WORLD_SIZE,
// PMI_SIZE, PMIX_SIZE... are compared with the world's size.
std::string launcher_mismatch(int world_size, const std::function<const char*(const char*)>& env);

}  // namespace trainplan::probe
