// The probe harness's defences: results only in regular files (and a copy rewritten on a signal),
// range-checked flags (NaN and huge timeouts too), ranks told apart by node and launcher, the
// comm data check's expectations, 16-byte chunks, the fault injection the MPI failure tests use,
// and the GEMM layouts of training passes.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <csignal>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "comm/comm_backend.hpp"
#include "comm/comm_pattern.hpp"
#include "comm/comm_result.hpp"
#include "cuda/cuda_probes.hpp"
#include "gemm/gemm_shapes.hpp"
#include "harness/fault_injection.hpp"
#include "harness/options.hpp"
#include "harness/process_group.hpp"
#include "harness/result_file.hpp"
#include "harness/watchdog.hpp"
#include "planner/io/description_loader.hpp"

namespace trainplan::probe {
namespace {

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "probe_hardening_" + name; }

std::string message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "(no error)";
}

// /dev/null, a FIFO, a directory or a symbolic link given as --json: refused before anything is
// written, and never replaced by a rename (root could replace /dev/null with a regular file).
TEST(ProbeResultPath, OnlyRegularFilesAreWritten) {
  EXPECT_NE(message_of([] { check_result_path("/dev/null"); }).find("/dev/null is a device; results are written only to regular files"),
            std::string::npos);
  const std::string fifo = temp_path("fifo");
  std::remove(fifo.c_str());
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(message_of([&] { check_result_path(fifo); }).find("is a FIFO"), std::string::npos);
  EXPECT_NE(message_of([&] { ResultFile file(fifo, nlohmann::json::object()); }).find("is a FIFO"), std::string::npos);
  struct stat info {};
  ASSERT_EQ(lstat(fifo.c_str(), &info), 0);
  EXPECT_TRUE(S_ISFIFO(info.st_mode));  // still a FIFO
  std::remove(fifo.c_str());
  EXPECT_NE(message_of([] { check_result_path(::testing::TempDir()); }).find("is a directory"), std::string::npos);
  const std::string link = temp_path("link.json");
  std::remove(link.c_str());
  ASSERT_EQ(symlink("/dev/null", link.c_str()), 0);
  EXPECT_NE(message_of([&] { check_result_path(link); }).find("is a symbolic link"), std::string::npos);
  std::remove(link.c_str());
  // A leftover PATH.partial that is not a regular file is refused too.
  const std::string path = temp_path("ok.json");
  const std::string partial = path + ".partial";
  std::remove(partial.c_str());
  ASSERT_EQ(mkfifo(partial.c_str(), 0600), 0);
  EXPECT_NE(message_of([&] { check_result_path(path); }).find("is a FIFO"), std::string::npos);
  std::remove(partial.c_str());
  EXPECT_EQ(message_of([&] { check_result_path(path); }), "(no error)");
}

// A signal (the launcher ending the job after a rank died, a batch time limit) leaves the file
// readable, incomplete, with the reason; an error recorded before is kept.
TEST(ProbeResultPath, ASignalLeavesTheFileIncompleteWithTheReason) {
  for (bool failed_first : {false, true}) {
    const std::string path = temp_path(failed_first ? "signal_failed.json" : "signal.json");
    std::remove(path.c_str());
    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      ResultFile file(path, {{"probe", "comm"}});
      file.append({{"bytes", 8}});
      if (failed_first) file.fail("rank 1 on h2: MPI_Allreduce failed");
      raise(SIGTERM);
      _exit(0);  // not reached
    }
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    std::ifstream in(path);
    const nlohmann::json document = nlohmann::json::parse(in);
    EXPECT_FALSE(document["complete"].get<bool>());
    EXPECT_EQ(document["results"].size(), 1u);
    EXPECT_EQ(document["error"].get<std::string>(), failed_first ? "rank 1 on h2: MPI_Allreduce failed" : std::string(kSignalError));
  }
}

TEST(ProbeOptions, EveryNumberIsRangeChecked) {
  CommonSettings s;
  EXPECT_EQ(message_of([&] { check_common_settings(s); }), "(no error)");
  for (double timeout : {std::nan(""), std::numeric_limits<double>::infinity(), 1e10, -1.0}) {
    s.timeout_s = timeout;
    EXPECT_NE(message_of([&] { check_common_settings(s); }).find("--timeout: expected seconds from 0 (never) to 604800"), std::string::npos)
        << timeout;
  }
  s.timeout_s = 0;
  s.iterations = 0;
  EXPECT_NE(message_of([&] { check_common_settings(s); }).find("--iters: expected an integer from 1 to 1000000, got 0"), std::string::npos);
  s.iterations = 10;
  s.warmup = 2000000;
  EXPECT_NE(message_of([&] { check_common_settings(s); }).find("--warmup: expected an integer from 0 to 1000000"), std::string::npos);
  EXPECT_NE(message_of([] { check_range("--batch", 0, 1, 10000); }).find("--batch: expected an integer from 1 to 10000, got 0"), std::string::npos);
}

// A huge timeout never overflows the watchdog's clock into an immediate abort.
TEST(ProbeOptions, AHugeTimeoutDoesNotFireAtOnce) {
  std::atomic<bool> fired{false};
  {
    Watchdog dog(kMaxTimeoutSeconds, [&](const std::string&) { fired = true; });
    dog.kick("phase");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  {
    Watchdog dog(1e300, [&](const std::string&) { fired = true; });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(fired.load());
}

TEST(ProbeRanks, NodesWithOneHostNameStayApart) {
  // Two containers called "worker" on two nodes (shared-memory leaders 0 and 2), and a third host.
  EXPECT_EQ(distinct_host_labels({"worker", "worker", "worker", "worker", "n3"}, {0, 0, 2, 2, 4}),
            (std::vector<std::string>{"worker", "worker", "worker#2", "worker#2", "n3"}));
  EXPECT_EQ(local_ranks(distinct_host_labels({"worker", "worker", "worker", "worker"}, {0, 0, 2, 2})), (std::vector<int>{0, 1, 0, 1}));
  // Faked names on one node (TRAINPLAN_PROBE_HOST) stay as given.
  EXPECT_EQ(distinct_host_labels({"a", "a", "b", "b"}, {0, 0, 0, 0}), (std::vector<std::string>{"a", "a", "b", "b"}));
}

TEST(ProbeRanks, TasksTheMpiWorldDoesNotSeeAreRefused) {
  auto env_of = [](std::map<std::string, std::string> vars) {
    return [vars](const char* name) -> const char* {
      const auto it = vars.find(name);
      return it == vars.end() ? nullptr : it->second.c_str();
    };
  };
  // srun without PMI: four tasks, each an MPI world of one.
  EXPECT_NE(launcher_mismatch(1, env_of({{"SLURM_NTASKS", "4"}, {"SLURM_PROCID", "2"}})).find("the launcher started 4 tasks (SLURM_NTASKS=4)"),
            std::string::npos);
  EXPECT_NE(launcher_mismatch(1, env_of({{"OMPI_COMM_WORLD_SIZE", "8"}})).find("OMPI_COMM_WORLD_SIZE=8"), std::string::npos);
  // A batch script (no srun task) or a job whose world matches: fine.
  EXPECT_EQ(launcher_mismatch(1, env_of({{"SLURM_NTASKS", "16"}})), "");
  EXPECT_EQ(launcher_mismatch(16, env_of({{"SLURM_NTASKS", "16"}, {"SLURM_PROCID", "3"}})), "");
  EXPECT_EQ(launcher_mismatch(1, env_of({{"SLURM_STEP_NUM_TASKS", "1"}, {"SLURM_NTASKS", "16"}, {"SLURM_PROCID", "0"}})), "");
  EXPECT_EQ(launcher_mismatch(1, env_of({})), "");
}

// nccl-tests aligns each rank's chunk to 16 bytes.
TEST(ProbeCommSizes, ChunksAreWholeSixteenBytes) {
  EXPECT_EQ(collective_bytes(Collective::all_gather, 1000, 8), 896u);   // 8 x 112
  EXPECT_EQ(collective_bytes(Collective::all_to_all, 127, 8), 0u);
  EXPECT_EQ(collective_bytes(Collective::reduce_scatter, 1 << 20, 8), 1u << 20);
  EXPECT_EQ(collective_bytes(Collective::all_reduce, 10, 8), 8u);        // whole floats
  EXPECT_EQ(collective_bytes(Collective::send_recv, 1003, 2), 1000u);
}

// The data check's expected values are what each collective produces from the pattern: simulated
// here on the host for 4 ranks.
TEST(ProbeCommCheck, ExpectedValuesMatchASimulatedCollective) {
  const int n = 4;
  const std::uint64_t per = 5;
  for (int rank = 0; rank < n; ++rank) {
    for (std::uint64_t i = 0; i < per; ++i) {
      float sum = 0;
      for (int r = 0; r < n; ++r) sum += pattern_value(r, i);
      EXPECT_EQ(expected_value(check_all_reduce, n, rank, per, i), sum);
      float scattered = 0;
      for (int r = 0; r < n; ++r) scattered += pattern_value(r, rank * per + i);
      EXPECT_EQ(expected_value(check_reduce_scatter, n, rank, per, i), scattered);
      EXPECT_EQ(expected_value(check_send_recv, n, rank, per, i), pattern_value((rank + n - 1) % n, i));
    }
    for (std::uint64_t j = 0; j < n * per; ++j) {
      EXPECT_EQ(expected_value(check_all_gather, n, rank, per, j), pattern_value(static_cast<int>(j / per), j % per));
      // all-to-all: block p of this rank's output is block `rank` of p's input.
      EXPECT_EQ(expected_value(check_all_to_all, n, rank, per, j), pattern_value(static_cast<int>(j / per), rank * per + j % per));
    }
  }
  EXPECT_EQ(received_elements(check_all_gather, n, per), n * per);
  EXPECT_EQ(received_elements(check_reduce_scatter, n, per), per);
}

// A split run flags a group well below the others of its kind at once.
TEST(ProbeCommSizes, SlowGroupsOfAPointAreFlagged) {
  std::vector<nlohmann::json> rows;
  for (int rail = 0; rail < 8; ++rail)
    rows.push_back({{"collective", "all_reduce"}, {"bytes", 1u << 30}, {"group_id", "rail " + std::to_string(rail)},
                    {"busbw_gb_s", rail == 3 ? 12.0 : 48.0}});
  const auto slow = slow_groups(rows);
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_EQ(slow.front(), "all_reduce 1073741824 bytes: rail 3 at 12.0 GB/s, 25.0% of the median of 8 groups (48.0 GB/s)");
  rows[3]["busbw_gb_s"] = 45.0;
  EXPECT_TRUE(slow_groups(rows).empty());
  rows.resize(2);
  rows[1]["busbw_gb_s"] = 1.0;
  EXPECT_TRUE(slow_groups(rows).empty());  // two groups: no majority
}

TEST(ProbeFaultInjection, ParsesOnlyWellFormedFaults) {
  EXPECT_FALSE(parse_injected_fault(nullptr));
  EXPECT_FALSE(parse_injected_fault(""));
  const auto fault = parse_injected_fault("1:hang:3");
  ASSERT_TRUE(fault);
  EXPECT_EQ(fault->rank, 1);
  EXPECT_EQ(fault->action, InjectedFault::Action::hang);
  EXPECT_EQ(fault->after_points, 3);
  EXPECT_NE(message_of([] { parse_injected_fault("1:explode:3"); }).find("TRAINPLAN_PROBE_TEST_FAULT: expected RANK:kill|hang:POINTS"),
            std::string::npos);
  EXPECT_NE(message_of([] { parse_injected_fault("x:kill:1"); }).find("expected"), std::string::npos);
}

// bf16 training runs its data gradients NN and weight gradients NT; fp8 on Hopper is TN throughout.
TEST(ProbeGemmLayouts, TrainingPassesHaveTheirOwnLayouts) {
  GemmRunSettings settings;
  const GemmCase fwd{"mlp_up.fwd", 8192, 3584, 8192, 1};
  const GemmCase dgrad{"mlp_up.dgrad", 8192, 8192, 3584, 1, "NN"};
  const GemmCase wgrad{"mlp_up.wgrad", 8192, 3584, 8192, 1, "NT"};
  EXPECT_EQ(gemm_layout(fwd, GemmDtype::bf16, settings), "TN");
  EXPECT_EQ(gemm_layout(dgrad, GemmDtype::bf16, settings), "NN");
  EXPECT_EQ(gemm_layout(wgrad, GemmDtype::bf16, settings), "NT");
  EXPECT_EQ(gemm_layout(dgrad, GemmDtype::fp8, settings), "TN");
  settings.training_layouts = false;
  EXPECT_EQ(gemm_layout(wgrad, GemmDtype::bf16, settings), "TN");
  // The model's shapes carry them.
  const ModelShape model = load_model("llama3-8b", {});
  ParallelPlan plan;
  plan.micro_batch = 1;
  plan.seq_len = 1024;
  int nn = 0, nt = 0;
  for (const auto& c : model_gemm_cases(model, plan)) {
    const bool is_dgrad = c.name.find(".dgrad") != std::string::npos, is_wgrad = c.name.find(".wgrad") != std::string::npos;
    EXPECT_EQ(c.layout, is_dgrad ? "NN" : is_wgrad ? "NT" : "TN") << c.name;
    nn += c.layout == "NN";
    nt += c.layout == "NT";
  }
  EXPECT_GT(nn, 0);
  EXPECT_GT(nt, 0);
}

}  // namespace
}  // namespace trainplan::probe
