#include "planner/core/search/sizing_choice.hpp"

#include <gtest/gtest.h>

namespace trainplan {

namespace {

CountOutcome outcome(int gpus, bool found, double days) {
  CountOutcome o;
  o.gpus = gpus;
  o.found = found;
  o.best.time_to_train_days = days;
  return o;
}

SizingResult searched(std::vector<CountOutcome> counts, int chosen_gpus) {
  SizingResult r;
  r.searched = std::move(counts);
  for (const CountOutcome& o : r.searched)
    if (o.gpus == chosen_gpus) {
      r.found = true;
      r.chosen = o;
    }
  return r;
}

}  // namespace

TEST(ChooseCheapestMeeting, TakesTheLeastCostAmongCountsThatMeetTheDeadline) {
  // 512 meets the deadline and is the fewest; 1024 meets it and is cheaper; 2048 is cheapest but
  // misses the deadline; 256 fits nothing.
  SizingResult r = searched({outcome(256, false, 0), outcome(512, true, 30), outcome(1024, true, 20), outcome(2048, true, 40)}, 512);
  const auto cost = [](const CountOutcome& o) { return o.gpus == 512 ? 10.0 : o.gpus == 1024 ? 8.0 : 1.0; };
  choose_cheapest_meeting(r, 35, cost);
  EXPECT_EQ(r.chosen.gpus, 1024);
}

TEST(ChooseCheapestMeeting, KeepsTheFewestOnATieAndLeavesANotFoundResultAlone) {
  SizingResult r = searched({outcome(512, true, 30), outcome(1024, true, 20)}, 512);
  choose_cheapest_meeting(r, 35, [](const CountOutcome&) { return 5.0; });
  EXPECT_EQ(r.chosen.gpus, 512);
  SizingResult none = searched({outcome(512, true, 50)}, 0);
  choose_cheapest_meeting(none, 35, [](const CountOutcome&) { return 1.0; });
  EXPECT_FALSE(none.found);
}

TEST(SizingFailure, SaysWhichLimitStoppedTheSearch) {
  const GpuGrid grid{8, 64, 1024};
  SizingResult r;
  EXPECT_EQ(sizing_failure(r, false, grid), SizingFailure::nothing_fits);
  EXPECT_EQ(sizing_failure(r, true, grid), SizingFailure::no_count_meets);
  r.limited_by_reach = true;
  r.reachable_last = 512;
  EXPECT_EQ(sizing_failure(r, true, grid), SizingFailure::needs_beyond_reach);
  r.reachable_last = 32;
  EXPECT_EQ(sizing_failure(r, true, grid), SizingFailure::beyond_reach_below_grid);
  r.found = true;
  EXPECT_EQ(sizing_failure(r, true, grid), SizingFailure::none);
}

}  // namespace trainplan
