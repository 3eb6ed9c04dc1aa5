#pragma once
// One point of the comm probe's sweep as JSON: raw per-iteration times, their statistics, and
// algbw/busbw with nccl-tests' definitions (doc/PERFORMANCE.md of NVIDIA/nccl-tests).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/core/collective.hpp"

namespace trainplan::probe {

// Names as written in result files ("all_reduce", ..., "send_recv") and back.
std::optional<Collective> collective_from_name(const std::string& name);

struct CommPoint {
  Collective collective = Collective::all_reduce;
  std::string group;                 // world | intra | inter
  std::string level;                 // intra_node | inter_node | mixed
  int group_ranks = 1;
  int ranks_per_node = 1;            // ranks of the group on each host
  std::uint64_t bytes = 0;           // nccl-tests' size: the full buffer (gathered output for all_gather)
  std::uint64_t count = 0;           // elements per rank buffer, as nccl-tests' count
  std::string dtype = "float";
  std::vector<double> iteration_seconds;  // slowest rank's time of each timed iteration
};

// algbw = bytes / time (GB/s, 1e9 bytes/s); busbw = algbw * bus_bandwidth_factor(collective, n).
double algorithm_bandwidth_gb_s(std::uint64_t bytes, double seconds);

// {"collective", "group", "level", "group_ranks", "ranks_per_node", "bytes", "count", "dtype",
//  "time_us": {median, min, max, mean, p10, p90}, "algbw_gb_s", "busbw_gb_s" (from the median
//  time), "busbw_gb_s_max" (from the min time), "iterations_us": [...]}
nlohmann::json comm_point_json(const CommPoint& point);

}  // namespace trainplan::probe
