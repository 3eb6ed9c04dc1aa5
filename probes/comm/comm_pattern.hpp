#pragma once
// The data check of the comm probe (nccl-tests' -c): every rank fills its send buffer with a known
// pattern, runs the collective once, and counts the received elements that differ from what the
// collective must produce. Small integers in float, so every sum is exact. C++17, usable from host
// code and CUDA kernels (comm_check.cu).
#include <cstdint>

#if defined(__CUDACC__)
#define TRAINPLAN_HOST_DEVICE __host__ __device__
#else
#define TRAINPLAN_HOST_DEVICE
#endif

namespace trainplan {
namespace probe {

// Element `index` of rank `rank`'s send buffer: (rank + 1) + index mod 7.
TRAINPLAN_HOST_DEVICE inline float pattern_value(int rank, std::uint64_t index) {
  return static_cast<float>(rank + 1) + static_cast<float>(index % 7u);
}

// The collective kinds in the order of planner/core/network/collective's enum (all_reduce, reduce_scatter,
// all_gather, all_to_all, send_recv), as plain ints for the kernels.
enum CheckKind { check_all_reduce = 0, check_reduce_scatter = 1, check_all_gather = 2, check_all_to_all = 3, check_send_recv = 4 };

// Element `index` of `rank`'s receive buffer after the collective over `ranks` ranks with
// `per_rank` elements per rank (nccl-tests' counts: all_reduce and send_recv move `per_rank`
// elements in total; the others per_rank per rank).
TRAINPLAN_HOST_DEVICE inline float expected_value(int kind, int ranks, int rank, std::uint64_t per_rank, std::uint64_t index) {
  const float sum_of_ranks = static_cast<float>(ranks) * static_cast<float>(ranks + 1) / 2.0f;
  switch (kind) {
    case check_all_reduce:
      return sum_of_ranks + static_cast<float>(ranks) * static_cast<float>(index % 7u);
    case check_reduce_scatter:
      return sum_of_ranks + static_cast<float>(ranks) * static_cast<float>((static_cast<std::uint64_t>(rank) * per_rank + index) % 7u);
    case check_all_gather:
      return pattern_value(static_cast<int>(index / per_rank), index % per_rank);
    case check_all_to_all: {
      const std::uint64_t peer = index / per_rank;  // block p holds what p sent to this rank
      return pattern_value(static_cast<int>(peer), static_cast<std::uint64_t>(rank) * per_rank + index % per_rank);
    }
    default:  // send_recv: from the previous rank
      return pattern_value((rank + ranks - 1) % ranks, index);
  }
}

// Elements of the receive buffer to check: all_reduce and send_recv `per_rank`, reduce_scatter
// per_rank, all_gather and all_to_all ranks x per_rank.
TRAINPLAN_HOST_DEVICE inline std::uint64_t received_elements(int kind, int ranks, std::uint64_t per_rank) {
  return kind == check_all_gather || kind == check_all_to_all ? static_cast<std::uint64_t>(ranks) * per_rank : per_rank;
}

}  // namespace probe
}  // namespace trainplan
