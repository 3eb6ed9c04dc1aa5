#include "planner/core/search/cluster_sizing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "test_models.hpp"

namespace trainplan {

namespace {

SearchSpace llama_space() {
  SearchSpace space;
  space.base.seq_len = 8192;
  space.global_batch = 512;
  space.cp.max = 2;
  space.micro_batch.max = 2;
  return space;
}

SearchOptions one_plan() {
  SearchOptions o;
  o.top = 1;
  o.threads = 2;
  return o;
}

// A time-to-train that mostly falls with the count but not everywhere (awkward counts are slower).
double wiggly_days(int gpus) { return 1e5 / gpus * ((gpus / 8) % 3 == 1 ? 1.6 : 1.0); }

}  // namespace

TEST(GpuGrid, RoundsItsEndsOntoTheStep) {
  const GpuGrid g{8, 10, 100};
  EXPECT_EQ(g.first(), 16);
  EXPECT_EQ(g.last(), 96);
  EXPECT_EQ((GpuGrid{256, 0, 1000}.first()), 256);
}

TEST(SmallestCount, IsExactForAMonotonePredicate) {
  const GpuGrid grid{8, 0, 1 << 20};
  EXPECT_EQ(smallest_count_meeting([](int n) { return n >= 1000; }, grid), 1000);
  EXPECT_EQ(smallest_count_meeting([](int n) { return n >= 1001; }, grid), 1008);
  EXPECT_EQ(smallest_count_meeting([](int) { return true; }, grid), 8);
  EXPECT_EQ(smallest_count_meeting([](int n) { return n >= 5000; }, GpuGrid{8, 0, 4096}), 0);
  EXPECT_EQ(smallest_count_meeting([](int n) { return n >= 4000; }, GpuGrid{8, 0, 4000}), 4000);
}

TEST(SmallestCount, IsMonotoneInTheDeadlineEvenWhenTimeIsNot) {
  const GpuGrid grid{8, 0, 65536};
  int previous = grid.last() + 1;
  int searches = 0;
  for (double deadline = 3; deadline <= 2000; deadline *= 1.07) {
    const int n = smallest_count_meeting(
        [&](int gpus) {
          ++searches;
          return wiggly_days(gpus) <= deadline;
        },
        grid);
    ASSERT_GT(n, 0);
    EXPECT_LE(wiggly_days(n), deadline);
    EXPECT_LE(n, previous) << "a longer deadline (" << deadline << " days) needed more GPUs";
    previous = n;
  }
  EXPECT_GT(searches, 0);
}

TEST(SizeForDeadline, MeetsTheDeadlineAndNeverNeedsMoreGpusForALongerOne) {
  const ScenarioAtGpus at = scenario_with_gpus(testing::scenario(testing::llama3_8b(), 8));
  const GpuGrid grid{8, 0, 2048};
  int previous = grid.last() + 1;
  for (double deadline : {20.0, 40.0, 80.0, 160.0, 320.0}) {
    const SizingResult r = size_for_deadline(at, llama_space(), one_plan(), grid, deadline);
    ASSERT_TRUE(r.found) << deadline;
    EXPECT_LE(r.chosen.best.time_to_train_days, deadline);
    EXPECT_TRUE(r.chosen.best.fits_in_memory);
    EXPECT_EQ(r.chosen.best.gpus, r.chosen.gpus);
    EXPECT_LE(r.chosen.gpus, previous);
    previous = r.chosen.gpus;
    // Every count searched below the answer missed the deadline (or had no plan).
    for (const CountOutcome& o : r.searched) {
      if (o.gpus < r.chosen.gpus) {
        EXPECT_TRUE(!o.found || o.best.time_to_train_days > deadline) << o.gpus;
      }
    }
    // Each count is searched once.
    std::set<int> counts;
    for (const CountOutcome& o : r.searched) EXPECT_TRUE(counts.insert(o.gpus).second) << o.gpus;
  }
}

TEST(SizeForDeadline, ReportsNothingWhenNoCountIsFastEnough) {
  const ScenarioAtGpus at = scenario_with_gpus(testing::scenario(testing::llama3_8b(), 8));
  const SizingResult r = size_for_deadline(at, llama_space(), one_plan(), GpuGrid{8, 0, 64}, 0.001);
  EXPECT_FALSE(r.found);
  EXPECT_FALSE(r.searched.empty());
}

TEST(SizeForDeadline, NeverChoosesACountBeyondTheFabricsReach) {
  const ScenarioAtGpus at = scenario_with_gpus(testing::scenario(testing::llama3_8b(), 8));
  const GpuGrid grid{8, 0, 2048};
  const double deadline = 40;
  const SizingResult unlimited = size_for_deadline(at, llama_space(), one_plan(), grid, deadline);
  ASSERT_TRUE(unlimited.found);
  ASSERT_GT(unlimited.chosen.gpus, 8);
  EXPECT_FALSE(unlimited.limited_by_reach);
  EXPECT_EQ(unlimited.reachable_last, grid.last());

  // A fabric that reaches exactly the answer: the same answer.
  const SizingResult exact = size_for_deadline(at, llama_space(), one_plan(), grid, deadline, {}, unlimited.chosen.gpus);
  ASSERT_TRUE(exact.found);
  EXPECT_EQ(exact.chosen.gpus, unlimited.chosen.gpus);
  EXPECT_TRUE(exact.limited_by_reach);

  // One node less: nothing is found, and no count beyond the reach is searched.
  const int reach = unlimited.chosen.gpus - 8;
  const SizingResult short_fabric = size_for_deadline(at, llama_space(), one_plan(), grid, deadline, {}, reach);
  EXPECT_FALSE(short_fabric.found);
  EXPECT_TRUE(short_fabric.limited_by_reach);
  EXPECT_EQ(short_fabric.reachable_last, reach);
  ASSERT_FALSE(short_fabric.searched.empty());
  bool searched_the_reach = false;
  for (const CountOutcome& o : short_fabric.searched) {
    EXPECT_LE(o.gpus, reach);
    searched_the_reach = searched_the_reach || o.gpus == reach;
  }
  EXPECT_TRUE(searched_the_reach) << "the ladder tops out at the reach";

  // A reach that is not on the grid caps the ladder at the grid count below it.
  const SizingResult off_grid = size_for_deadline(at, llama_space(), one_plan(), GpuGrid{64, 0, 2048}, 0.001, {}, 1000);
  EXPECT_FALSE(off_grid.found);
  EXPECT_EQ(off_grid.reachable_last, 960);
  for (const CountOutcome& o : off_grid.searched) EXPECT_LE(o.gpus, 960);

  // A reach below the grid's first count: nothing to search.
  const SizingResult below = size_for_deadline(at, llama_space(), one_plan(), GpuGrid{256, 0, 2048}, deadline, {}, 128);
  EXPECT_FALSE(below.found);
  EXPECT_TRUE(below.limited_by_reach);
  EXPECT_TRUE(below.searched.empty());
}

TEST(BestPlanAt, IsTheSearchsBestPlan) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 128);
  const CountOutcome o = best_plan_at(scenario_with_gpus(sc), llama_space(), one_plan(), 128);
  const SearchResult r = search_plans(sc, llama_space(), one_plan());
  ASSERT_TRUE(o.found);
  ASSERT_FALSE(r.plans.empty());
  EXPECT_DOUBLE_EQ(o.best.step_time_s, r.plans.front().step_time_s);
  EXPECT_EQ(o.evaluated, r.evaluated);
  EXPECT_DOUBLE_EQ(o.gpu_days(), 128 * o.best.time_to_train_days);
}

TEST(SweepCounts, GivesOnePointPerCountInOrder) {
  const ScenarioAtGpus at = scenario_with_gpus(testing::scenario(testing::llama3_8b(), 8));
  std::vector<int> started;
  const std::vector<int> counts{256, 64, 128, 3};
  const std::vector<CountOutcome> points =
      sweep_counts(at, llama_space(), one_plan(), counts, [&](int gpus) { started.push_back(gpus); });
  ASSERT_EQ(points.size(), counts.size());
  EXPECT_EQ(started, counts);
  for (std::size_t i = 0; i < counts.size(); ++i) EXPECT_EQ(points[i].gpus, counts[i]);
  EXPECT_TRUE(points[0].found);
  EXPECT_FALSE(points[3].found);  // 512 sequences do not split over 3 GPUs with the 8-GPU node's tp
  EXPECT_LT(points[0].best.time_to_train_days, points[1].best.time_to_train_days);
}

TEST(SweepCounts, CountsBeyondTheFabricsReachAreNotPlanned) {
  const ScenarioAtGpus at = scenario_with_gpus(testing::scenario(testing::llama3_8b(), 8));
  std::vector<int> started;
  const std::vector<int> counts{64, 256, 128, 129};
  const std::vector<CountOutcome> points =
      sweep_counts(at, llama_space(), one_plan(), counts, [&](int gpus) { started.push_back(gpus); }, 128);
  ASSERT_EQ(points.size(), counts.size());
  EXPECT_EQ(started, counts);  // every point is reported, planned or not
  EXPECT_TRUE(points[0].reachable);
  EXPECT_TRUE(points[0].found);
  EXPECT_TRUE(points[2].reachable);
  EXPECT_TRUE(points[2].found);  // the reach itself is reachable
  for (std::size_t i : {1u, 3u}) {
    EXPECT_FALSE(points[i].reachable) << counts[i];
    EXPECT_FALSE(points[i].found) << counts[i];
    EXPECT_EQ(points[i].evaluated, 0) << counts[i];
    EXPECT_EQ(points[i].gpus, counts[i]);
  }
  // Without a reach (0) every count is planned.
  EXPECT_TRUE(sweep_counts(at, llama_space(), one_plan(), {256}).front().found);
  EXPECT_TRUE(beyond_reach(129, 128));
  EXPECT_FALSE(beyond_reach(128, 128));
  EXPECT_FALSE(beyond_reach(1 << 30, 0));
}

}  // namespace trainplan
