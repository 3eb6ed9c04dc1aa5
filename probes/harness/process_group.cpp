#include "process_group.hpp"

#include "watchdog.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>

#ifdef TRAINPLAN_PROBE_WITH_MPI
#include <mpi.h>
#endif

namespace trainplan::probe {

std::string local_host_name() {
  if (const char* fake = std::getenv(kHostOverrideVariable); fake && *fake) return fake;
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown-host";
  return name.data();
}

std::vector<int> local_ranks(const std::vector<std::string>& hosts_by_rank) {
  std::map<std::string, int> seen;
  std::vector<int> result;
  result.reserve(hosts_by_rank.size());
  for (const auto& host : hosts_by_rank) result.push_back(seen[host]++);
  return result;
}

std::vector<std::string> distinct_host_labels(const std::vector<std::string>& names, const std::vector<int>& node_leaders) {
  std::map<std::string, std::vector<int>> leaders_of;  // name -> its nodes' leaders, in order of first rank
  std::vector<std::string> labels;
  labels.reserve(names.size());
  for (std::size_t r = 0; r < names.size(); ++r) {
    auto& leaders = leaders_of[names[r]];
    const int leader = r < node_leaders.size() ? node_leaders[r] : 0;
    auto at = std::find(leaders.begin(), leaders.end(), leader);
    if (at == leaders.end()) at = leaders.insert(leaders.end(), leader);
    const auto index = at - leaders.begin();
    labels.push_back(index == 0 ? names[r] : names[r] + "#" + std::to_string(index + 1));
  }
  return labels;
}

std::string launcher_mismatch(int world_size, const std::function<const char*(const char*)>& env) {
  auto number = [&](const char* name) -> long {
    const char* text = env(name);
    if (!text || !*text) return 0;
    char* end = nullptr;
    const long value = std::strtol(text, &end, 10);
    return end && *end == '\0' ? value : 0;
  };
  struct Source {
    const char* variable;
    bool needs_procid;  // Slurm's counts are set in a batch script too; srun's tasks also have SLURM_PROCID
  };
  for (const Source& source : {Source{"SLURM_STEP_NUM_TASKS", true}, Source{"SLURM_NTASKS", true}, Source{"OMPI_COMM_WORLD_SIZE", false},
                               Source{"PMI_SIZE", false}, Source{"PMIX_SIZE", false}, Source{"MV2_COMM_WORLD_SIZE", false}}) {
    const long tasks = number(source.variable);
    if (tasks < 1 || (source.needs_procid && !env("SLURM_PROCID"))) continue;
    // The first count that is set decides (a step's own count before the job's).
    if (tasks > 1 && tasks != world_size)
      return "the launcher started " + std::to_string(tasks) + " tasks (" + source.variable + "=" + std::to_string(tasks) +
             ") but this rank's MPI world has " + std::to_string(world_size) +
             " rank(s): each task would measure alone as rank 0 and they would race on --json. Start the ranks so that MPI sees "
             "them all (srun --mpi=pmix, or mpirun), with trainplan-probe built against that MPI";
    return "";
  }
  return "";
}

namespace {

// One process, no MPI: every collective is the identity.
class SingleRankWorld : public World {
 public:
  SingleRankWorld() {
    hosts_ = {local_host_name()};
    threads_may_call_mpi_ = false;
  }
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void barrier() const override {}
  void broadcast(std::vector<std::uint8_t>&, int) const override {}
  std::vector<double> max_over_ranks(const std::vector<double>& values) const override { return values; }
  std::vector<std::string> gather_text(const std::string& text) const override { return {text}; }
  const void* native_handle() const override { return nullptr; }
  std::unique_ptr<Group> split(int) const override { return std::make_unique<SingleRankWorld>(); }
  [[noreturn]] void abort(int exit_code) const override { std::_Exit(exit_code); }
  void finish(int) override {}
};

#ifdef TRAINPLAN_PROBE_WITH_MPI
void check_mpi(int status, const char* what) {
  if (status != MPI_SUCCESS) throw std::runtime_error(std::string("MPI call failed: ") + what);
}

class MpiGroup : public Group {
 public:
  explicit MpiGroup(MPI_Comm comm, bool owned) : comm_(comm), owned_(owned) {
    check_mpi(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
    check_mpi(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
  }
  ~MpiGroup() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (owned_ && !finalized) MPI_Comm_free(&comm_);
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void barrier() const override { check_mpi(MPI_Barrier(comm_), "MPI_Barrier"); }
  void broadcast(std::vector<std::uint8_t>& bytes, int root) const override {
    check_mpi(MPI_Bcast(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, root, comm_), "MPI_Bcast");
  }
  std::vector<double> max_over_ranks(const std::vector<double>& values) const override {
    std::vector<double> result(values.size());
    check_mpi(MPI_Allreduce(values.data(), result.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_MAX, comm_),
              "MPI_Allreduce(max)");
    return result;
  }
  std::vector<std::string> gather_text(const std::string& text) const override {
    constexpr auto kIntMax = static_cast<std::size_t>(std::numeric_limits<int>::max());
    if (text.size() > kIntMax) throw std::runtime_error("cannot gather a text above 2 GiB");
    const int length = static_cast<int>(text.size());
    std::vector<int> lengths(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
    check_mpi(MPI_Gather(&length, 1, MPI_INT, lengths.data(), 1, MPI_INT, 0, comm_), "MPI_Gather(lengths)");
    std::vector<int> offsets(lengths.size());
    std::size_t total = 0;
    for (std::size_t r = 0; r < lengths.size(); ++r) {
      offsets[r] = static_cast<int>(std::min(total, kIntMax));
      total += static_cast<std::size_t>(lengths[r]);
    }
    // MPI displacements are ints: the root says whether the whole fits, so all ranks stop together.
    int fits = total <= kIntMax ? 1 : 0;
    check_mpi(MPI_Bcast(&fits, 1, MPI_INT, 0, comm_), "MPI_Bcast(fits)");
    if (!fits) throw std::runtime_error("cannot gather texts above 2 GiB in all");
    std::vector<char> all(total);
    check_mpi(MPI_Gatherv(text.data(), length, MPI_CHAR, all.data(), lengths.data(), offsets.data(), MPI_CHAR, 0, comm_),
              "MPI_Gatherv(text)");
    std::vector<std::string> texts;
    texts.reserve(lengths.size());
    for (std::size_t r = 0; r < lengths.size(); ++r)
      texts.emplace_back(all.data() + offsets[r], static_cast<std::size_t>(lengths[r]));
    return texts;
  }
  const void* native_handle() const override { return &comm_; }

 private:
  MPI_Comm comm_;
  bool owned_;
  int rank_ = 0;
  int size_ = 1;
};

class MpiWorld : public World {
 public:
  explicit MpiWorld(bool thread_multiple) : group_(MPI_COMM_WORLD, false) {
    with_mpi_ = true;
    threads_may_call_mpi_ = thread_multiple;
    // Host names, gathered in fixed-size slots.
    constexpr int kSlot = 256;
    std::array<char, kSlot> mine{};
    const std::string host = local_host_name();
    std::copy_n(host.begin(), std::min<std::size_t>(host.size(), kSlot - 1), mine.begin());
    std::vector<char> all(static_cast<std::size_t>(kSlot) * group_.size());
    check_mpi(MPI_Allgather(mine.data(), kSlot, MPI_CHAR, all.data(), kSlot, MPI_CHAR, MPI_COMM_WORLD), "MPI_Allgather");
    std::vector<std::string> names;
    for (int r = 0; r < group_.size(); ++r) names.emplace_back(all.data() + static_cast<std::size_t>(r) * kSlot);
    // Which ranks share a node's memory: the lowest world rank of each shared-memory group names
    // the node, so that equal host names (containers) on different nodes stay apart.
    MPI_Comm node;
    check_mpi(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, group_.rank(), MPI_INFO_NULL, &node), "MPI_Comm_split_type");
    int leader = group_.rank();
    check_mpi(MPI_Allreduce(MPI_IN_PLACE, &leader, 1, MPI_INT, MPI_MIN, node), "MPI_Allreduce(node leader)");
    MPI_Comm_free(&node);
    std::vector<int> leaders(static_cast<std::size_t>(group_.size()));
    check_mpi(MPI_Allgather(&leader, 1, MPI_INT, leaders.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather(node leaders)");
    hosts_ = distinct_host_labels(names, leaders);
    local_rank_ = local_ranks(hosts_)[static_cast<std::size_t>(group_.rank())];
    ranks_on_host_ = static_cast<int>(std::count(hosts_.begin(), hosts_.end(), hosts_[static_cast<std::size_t>(group_.rank())]));
    std::array<char, MPI_MAX_LIBRARY_VERSION_STRING> version{};
    int length = 0;
    MPI_Get_library_version(version.data(), &length);
    mpi_version_ = std::string(version.data(), static_cast<std::size_t>(std::max(0, length)));
    while (!mpi_version_.empty() && (mpi_version_.back() == '\n' || mpi_version_.back() == '\0')) mpi_version_.pop_back();
    const auto comma = mpi_version_.find(',');
    if (comma != std::string::npos) mpi_version_ = mpi_version_.substr(0, comma);
  }
  int rank() const override { return group_.rank(); }
  int size() const override { return group_.size(); }
  void barrier() const override { group_.barrier(); }
  void broadcast(std::vector<std::uint8_t>& bytes, int root) const override { group_.broadcast(bytes, root); }
  std::vector<double> max_over_ranks(const std::vector<double>& values) const override {
    return group_.max_over_ranks(values);
  }
  std::vector<std::string> gather_text(const std::string& text) const override { return group_.gather_text(text); }
  const void* native_handle() const override { return group_.native_handle(); }
  std::unique_ptr<Group> split(int colour) const override {
    MPI_Comm sub;
    check_mpi(MPI_Comm_split(MPI_COMM_WORLD, colour, rank(), &sub), "MPI_Comm_split");
    return std::make_unique<MpiGroup>(sub, true);
  }
  [[noreturn]] void abort(int exit_code) const override {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);
  }
  void finish(int exit_status) override {
    // OpenMPI's teardown was once seen to hang in a singleton process (no mpirun) on a loaded CI
    // machine after a rejected command line had been reported.
    Watchdog guard(kFinalizeTimeoutSeconds, [exit_status](const std::string&) {
      if (exit_status == 0) {
        static const char line[] = "trainplan-probe: MPI_Finalize did not return; exiting (the results are written)\n";
        (void)!::write(STDERR_FILENO, line, sizeof line - 1);
      }
      std::_Exit(exit_status);
    });
    guard.kick("MPI_Finalize");
    MPI_Finalize();
  }

 private:
  MpiGroup group_;
};
#endif

}  // namespace

std::unique_ptr<World> World::start(int& argc, char**& argv) {
#ifdef TRAINPLAN_PROBE_WITH_MPI
  int provided = 0;
  // A watchdog thread may call MPI_Abort while the main thread is inside MPI: ask for threads, and
  // look at what was granted (abort_from_other_thread exits instead where it was not).
  check_mpi(MPI_Init_thread(&argc, &argv, MPI_THREAD_MULTIPLE, &provided), "MPI_Init_thread");
  // MPI failures (a peer that died, a broken connection) come back as error codes, which become
  // exceptions: the probe records them in its result file before the job is aborted.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int size = 1;
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  const std::string mismatch = launcher_mismatch(size, [](const char* name) { return std::getenv(name); });
  if (!mismatch.empty()) {
    MPI_Finalize();
    throw std::runtime_error(mismatch);
  }
  return std::make_unique<MpiWorld>(provided >= MPI_THREAD_MULTIPLE);
#else
  (void)argc;
  (void)argv;
  const std::string mismatch = launcher_mismatch(1, [](const char* name) { return std::getenv(name); });
  if (!mismatch.empty()) throw std::runtime_error(mismatch);
  return std::make_unique<SingleRankWorld>();
#endif
}

}  // namespace trainplan::probe
