#include "planner/core/network/collective_seconds.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

TEST(CollectiveSeconds, IsTheScenariosCollectiveCostAndNothingForAGroupOfOne) {
  Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  const GroupPlacement across_nodes{64, 8};
  const double s = collective_seconds(sc, Collective::all_reduce, across_nodes, 1e9);
  EXPECT_DOUBLE_EQ(s, collective_cost(sc.fabric, sc.profile, sc.calibration, Collective::all_reduce, across_nodes, 1e9).seconds);
  EXPECT_EQ(collective_seconds(sc, Collective::all_reduce, {1, 1}, 1e9), 0);
  // The job's size does not enter: the group's placement and the fabric decide.
  sc.job.gpus = 16384;
  EXPECT_DOUBLE_EQ(collective_seconds(sc, Collective::all_reduce, across_nodes, 1e9), s);
  sc.fabric.nic_gbit_s = 200;
  EXPECT_GT(collective_seconds(sc, Collective::all_reduce, across_nodes, 1e9), s);
}

}  // namespace trainplan
