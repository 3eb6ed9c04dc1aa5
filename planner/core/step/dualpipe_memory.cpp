#include "planner/core/step/dualpipe_memory.hpp"

#include <algorithm>

namespace trainplan {

DualPipeInFlight dualpipe_in_flight(int pp, int half_rank, int microbatches) {
  DualPipeInFlight f;
  const double per_direction = std::max(1.0, microbatches / 2.0);
  f.near_chunk = std::min(per_direction, static_cast<double>(pp - half_rank));
  f.far_chunk = std::min(per_direction, static_cast<double>(half_rank + 1));
  return f;
}

MemoryBreakdown dualpipe_rank_memory(const MemoryBreakdown& near_chunk, const MemoryBreakdown& far_chunk, int zero_stage) {
  MemoryBreakdown m;
  auto sharded = [zero_stage](int from_stage) { return zero_stage >= from_stage ? 0.5 : 1.0; };
  m.weights_bytes = sharded(3) * (near_chunk.weights_bytes + far_chunk.weights_bytes);
  m.gradients_bytes = sharded(2) * (near_chunk.gradients_bytes + far_chunk.gradients_bytes);
  m.optimizer_bytes = sharded(1) * (near_chunk.optimizer_bytes + far_chunk.optimizer_bytes);
  m.activations_bytes = near_chunk.activations_bytes + far_chunk.activations_bytes;
  m.overhead_bytes = std::max(near_chunk.overhead_bytes, far_chunk.overhead_bytes);
  return m;
}

}  // namespace trainplan
