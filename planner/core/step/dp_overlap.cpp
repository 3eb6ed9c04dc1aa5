#include "planner/core/step/dp_overlap.hpp"

#include <algorithm>

namespace trainplan {

DataParallelOverlap overlap_data_parallel(const DataParallelOverlapInputs& in) {
  DataParallelOverlap out;
  const int chunks = std::max(1, in.chunks);
  const int buckets = std::max(1, in.buckets_per_chunk);
  const double group = std::max(1, in.group_microbatches);

  // Backward: time 0 is the end of the GPU's last backward. Chunk c (0 = the GPU's first layers)
  // finishes its last micro-batch's backward c groups of micro-batches before the end; inside that
  // backward its buckets become final one after another (the last layers' first).
  if (in.bucket_reduce_s > 0) {
    double stream_free = -1e300;
    for (int c = chunks - 1; c >= 0; --c) {
      const double chunk_end = -c * group * in.chunk_backward_s;
      const double chunk_start = chunk_end - in.chunk_backward_s;
      for (int b = 1; b <= buckets; ++b) {
        const double ready = chunk_start + in.chunk_backward_s * b / buckets;
        stream_free = std::max(stream_free, ready) + in.bucket_reduce_s;
      }
    }
    const double total = chunks * buckets * in.bucket_reduce_s;
    out.reduce_exposed_s = std::min(total, std::max(0.0, stream_free));
    out.hidden_s += total - out.reduce_exposed_s;
  }

  // Forward: all gathers are issued at time 0 in the order the forward needs them; chunk c's first
  // forward starts after c groups of micro-batches of the chunks before it, its buckets one after
  // another; the forward waits whenever a bucket is not there yet.
  if (in.bucket_gather_s > 0) {
    double stall = 0, gathered = 0;
    for (int c = 0; c < chunks; ++c)
      for (int b = 0; b < buckets; ++b) {
        gathered += in.bucket_gather_s;
        const double needed = c * group * in.chunk_forward_s + in.chunk_forward_s * b / buckets + stall;
        if (gathered > needed) stall += gathered - needed;
      }
    const double total = chunks * buckets * in.bucket_gather_s;
    out.gather_exposed_s = std::min(total, stall);
    out.hidden_s += total - out.gather_exposed_s;
  }
  return out;
}

double megatron_bucket_parameters(int data_parallel_ranks) {
  return std::max(40e6, 1e6 * std::max(1, data_parallel_ranks));
}

}  // namespace trainplan
