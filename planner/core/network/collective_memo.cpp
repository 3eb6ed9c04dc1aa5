#include "planner/core/network/collective_memo.hpp"

#include <bit>
#include <cstring>

#include "planner/core/scenario.hpp"

namespace trainplan {

constinit thread_local CollectiveMemo* active_collective_memo = nullptr;

CollectiveMemo::CollectiveMemo(const Scenario& scenario, std::size_t slots)
    : scenario_(&scenario), slots_(std::bit_ceil(slots > 0 ? slots : 1)) {}

double CollectiveMemo::seconds(Collective kind, const GroupPlacement& group, double bytes) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &bytes, sizeof bits);
  std::uint64_t h = bits ^ (static_cast<std::uint64_t>(kind) << 56) ^ (static_cast<std::uint64_t>(group.size) << 20) ^
                    (static_cast<std::uint64_t>(group.stride) << 36) ^ static_cast<std::uint64_t>(group.job_ranks);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 33;
  Slot& s = slots_[static_cast<std::size_t>(h) & (slots_.size() - 1)];
  if (s.kind == static_cast<int>(kind) && s.bytes_bits == bits && s.size == group.size && s.stride == group.stride &&
      s.job_ranks == group.job_ranks) {
    ++hits_;
    return s.seconds;
  }
  ++misses_;
  const Scenario& sc = *scenario_;
  s.seconds = collective_cost(sc.fabric, sc.profile, sc.calibration, kind, group, bytes).seconds;
  s.kind = static_cast<int>(kind);
  s.bytes_bits = bits;
  s.size = group.size;
  s.stride = group.stride;
  s.job_ranks = group.job_ranks;
  return s.seconds;
}

}  // namespace trainplan
