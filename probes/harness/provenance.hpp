#pragma once
// Where and how a probe ran: hosts, date, command line, ranks, library versions, the NCCL
// environment. Stored in every result file under "provenance".
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace trainplan::probe {

inline constexpr const char* kProbeToolVersion = "trainplan-probe 0.1.0";

// UTC now, ISO 8601 ("2025-06-01T12:00:00Z").
std::string utc_timestamp();
// argv joined with spaces, arguments holding spaces quoted.
std::string command_line(int argc, char** argv);
// NCCL_*, UCX_*, CUDA_VISIBLE_DEVICES and TRAINPLAN_PROBE_HOST (a faked host name) variables of
// this process, name -> value (NCCL_ALGO, NCCL_PROTO...).
nlohmann::json probe_environment();
// NVIDIA kernel driver version from /proc/driver/nvidia/version; empty when absent.
std::string nvidia_driver_version();

struct RunContext {
  std::string probe;                      // gemm | hbm | comm
  std::string command;                    // command line
  std::vector<std::string> hosts_by_rank;
  std::string mpi_version;                // empty without MPI
  // Every rank's probe_environment() as JSON text, in rank order (main gathers them); empty: this
  // rank's only.
  std::vector<std::string> environment_by_rank;
};

// NCCL's configuration files as NCCL reads them (NCCL_CONF_FILE, else ~/.nccl.conf, and
// /etc/nccl.conf), path -> contents, and the network plugin NCCL_NET_PLUGIN names (or "default").
nlohmann::json nccl_configuration();

// The "provenance" object: kind measured, tool, date, command line, ranks, hosts (distinct, in
// rank order) and hosts_by_rank, environment (rank 0's, and "environment_by_rank" with every rank
// whose environment differs), nccl_configuration. Probes add "gpu" and "versions" entries.
nlohmann::json base_provenance(const RunContext& context);

}  // namespace trainplan::probe
