#include "planner/core/network/group_instance.hpp"

#include <algorithm>

#include "planner/core/network/fabric_sizing.hpp"

namespace trainplan {

GroupInstance slowest_instance(const Fabric& f, GroupPlacement group) {
  GroupInstance out;
  const long long g = std::max(1, f.scale_up.gpus);
  const long long n = group.size, s = std::max(1, group.stride);
  if (n <= 1) return out;
  const long long span = (n - 1) * s + 1;  // ranks from an instance's first member to its last
  const long long block = n * s;           // consecutive ranks that hold `stride` instances
  const int top = static_cast<int>(f.tiers.size()) - 1;
  // Boundary level L: -1 the scale-up domain (g ranks), t the subtree of one tier-t switch group.
  // Crossing a level-L boundary takes the traffic up to tier L + 1 (capped at the top tier).
  long long reach_nodes = 0;
  for (int level = -1; level < top; ++level) {
    long long size = g;
    if (level >= 0) {
      reach_nodes = tier_reach_step(f, static_cast<std::size_t>(level), reach_nodes);
      size = reach_nodes * g;
    }
    const int tier = level + 1;
    if (span > size) {  // the rank-0 instance crosses it (and so does every other)
      out.rank0_tier = out.tier = tier;
      out.first_rank = 0;
      continue;
    }
    // The first boundary at `size` is strictly inside a block unless blocks tile the subtree.
    if (group.job_ranks > size && size % block != 0) {
      const long long block_start = size / block * block;
      out.tier = tier;
      // The last instance of the block starts at block_start + s - 1 and ends at the block's end;
      // if it starts past the boundary, the first instance (which ends past it) straddles it.
      out.first_rank = block_start + s - 1 < size ? block_start + s - 1 : block_start;
    }
  }
  return out;
}

}  // namespace trainplan
