#pragma once
// Collective operations and their bus-bandwidth factors (nccl-tests' definitions).
namespace trainplan {

enum class Collective { all_reduce, reduce_scatter, all_gather, all_to_all, send_recv };

// busbw = algbw * factor, algbw = bytes / time; n = ranks in the group.
// all-reduce 2(n-1)/n; all-gather, reduce-scatter, all-to-all (n-1)/n; send/recv 1.
double bus_bandwidth_factor(Collective kind, int ranks);
const char* to_string(Collective kind);

}  // namespace trainplan
