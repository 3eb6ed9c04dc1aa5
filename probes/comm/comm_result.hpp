#pragma once
// One point of the comm probe's sweep as JSON: raw per-iteration times, their statistics, and
// algbw/busbw with nccl-tests' definitions (doc/PERFORMANCE.md of NVIDIA/nccl-tests).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "planner/core/network/collective.hpp"

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
  std::vector<double> iteration_seconds;  // per sample: the slowest rank's time per collective
  int batch = 1;                     // collectives back to back in each timed sample
  // Which group of its kind (GroupLabel): "world", the host (intra) or "rail N" (inter); empty
  // means `group`. `host` and `rail` are written when set (not empty, >= 0).
  std::string group_id;
  std::string host;
  int rail = -1;
  std::string placement = "out_of_place";  // or "in_place" (--placement)
  // The data check (--check): elements that differed on any rank of the group; -1: not checked.
  long long wrong_elements = -1;
};

// algbw = bytes / time (GB/s, 1e9 bytes/s); busbw = algbw * bus_bandwidth_factor(collective, n).
double algorithm_bandwidth_gb_s(std::uint64_t bytes, double seconds);

// {"collective", "group", "group_id", ["host" | "rail"], "level", "group_ranks", "ranks_per_node",
//  "bytes", "count", "dtype", "batch", "time_us": {median, min, max, mean, p10, p90}, "algbw_gb_s",
//  "busbw_gb_s" (from the median time), "busbw_gb_s_max" (from the min time), "iterations_us": [...],
//  "placement" (out_of_place | in_place), "nwrong" when checked (nccl-tests' name: wrong elements
//  over the group's ranks)}
nlohmann::json comm_point_json(const CommPoint& point);

// The groups of one point (rows of one collective and size, one per group) whose busbw is below
// `factor` x the median of the rows: "all_reduce 1 GiB: rail 3 at 12.1 GB/s, 25% of the median of
// 8 groups (48.4 GB/s)". Fewer than 3 rows: none (no majority to compare with).
std::vector<std::string> slow_groups(const std::vector<nlohmann::json>& rows, double factor = 0.8);

// The rows world rank 0 records for one point of a split run: each rank offers its group's row as
// JSON text (group rank 0) or nothing (the other ranks, skipped groups), gathered in world-rank
// order (Group::gather_text); the non-empty texts, parsed, in that order. Throws
// std::runtime_error naming the rank whose text is not a JSON object.
std::vector<nlohmann::json> gathered_rows(const std::vector<std::string>& texts);

}  // namespace trainplan::probe
