#pragma once
// Per-collective caching for the search (docs/search.md, "Caching"): the plans of a layout ask for
// the same collectives (the same group, kind and bytes) over and over, e.g. the data-parallel
// reduction of a stage at every micro-batch size. A memo, installed on a thread for one scenario,
// keeps the seconds collective_cost gave for each (kind, group, bytes) and returns them again:
// the same values, so results are bit-identical.
//
// Only a scenario that does not change while the memo is installed may be served (the search's:
// it is const for the whole search); collective_seconds asks the memo only for that scenario (by
// address) and computes afresh for any other.
#include <cstdint>
#include <vector>

#include "planner/core/network/collective.hpp"
#include "planner/core/network/collective_cost.hpp"

namespace trainplan {

struct Scenario;

class CollectiveMemo {
 public:
  // `slots` is rounded up to a power of two; storage is allocated here, never on lookup.
  explicit CollectiveMemo(const Scenario& scenario, std::size_t slots = 4096);

  bool serves(const Scenario& scenario) const { return &scenario == scenario_; }
  // collective_cost(...).seconds for the memo's scenario, remembered (direct-mapped: a colliding
  // key replaces the older one).
  double seconds(Collective kind, const GroupPlacement& group, double bytes);

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }

 private:
  struct Slot {
    std::uint64_t bytes_bits = 0;
    long long job_ranks = 0;
    int size = 0, stride = 0;
    int kind = -1;  // -1: empty
    double seconds = 0;
  };
  const Scenario* scenario_;
  std::vector<Slot> slots_;
  std::uint64_t hits_ = 0, misses_ = 0;
};

// The memo collective_seconds consults on this thread; nullptr when none is installed.
extern constinit thread_local CollectiveMemo* active_collective_memo;

// Installs a memo on the calling thread for its lifetime (restoring the previous one after).
class ScopedCollectiveMemo {
 public:
  explicit ScopedCollectiveMemo(CollectiveMemo& memo) : previous_(active_collective_memo) { active_collective_memo = &memo; }
  ~ScopedCollectiveMemo() { active_collective_memo = previous_; }
  ScopedCollectiveMemo(const ScopedCollectiveMemo&) = delete;
  ScopedCollectiveMemo& operator=(const ScopedCollectiveMemo&) = delete;

 private:
  CollectiveMemo* previous_;
};

}  // namespace trainplan
