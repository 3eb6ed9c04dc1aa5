// The probe harness's host parts: statistics, size sweeps, grouping, busbw of a comm point, GEMM
// shapes, and the result file written incrementally.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "comm/comm_groups.hpp"
#include "comm/comm_result.hpp"
#include "gemm/gemm_shapes.hpp"
#include "harness/result_file.hpp"
#include "harness/size_sweep.hpp"
#include "harness/statistics.hpp"
#include "harness/watchdog.hpp"

#include <atomic>
#include <chrono>
#include <thread>

namespace trainplan::probe {
namespace {

TEST(ProbeStatistics, SummarizesOddSampleCount) {
  const Summary s = summarize({5, 1, 3, 2, 4});
  EXPECT_EQ(s.count, 5u);
  EXPECT_DOUBLE_EQ(s.median, 3);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_DOUBLE_EQ(s.max, 5);
  EXPECT_DOUBLE_EQ(s.mean, 3);
  // Type-7 percentiles: position q*(n-1) = 0.4 and 3.6 in the sorted samples.
  EXPECT_DOUBLE_EQ(s.p10, 1.4);
  EXPECT_DOUBLE_EQ(s.p90, 4.6);
}

TEST(ProbeStatistics, MedianOfEvenCountIsMeanOfMiddlePair) {
  EXPECT_DOUBLE_EQ(summarize({10, 40, 20, 30}).median, 25);
  EXPECT_DOUBLE_EQ(percentile({10, 40, 20, 30}, 1.0), 40);
}

TEST(ProbeStatistics, EmptyAndSingle) {
  EXPECT_EQ(summarize({}).count, 0u);
  const Summary one = summarize({7});
  EXPECT_DOUBLE_EQ(one.p10, 7);
  EXPECT_DOUBLE_EQ(one.p90, 7);
}

TEST(ProbeSizeSweep, ParsesBinarySuffixesLikeNcclTests) {
  EXPECT_EQ(parse_byte_size("8"), 8u);
  EXPECT_EQ(parse_byte_size("64K"), 64u << 10);
  EXPECT_EQ(parse_byte_size("128M"), 128u << 20);
  EXPECT_EQ(parse_byte_size("8G"), 8ull << 30);
  EXPECT_FALSE(parse_byte_size("12Q"));
  EXPECT_FALSE(parse_byte_size("M"));
  EXPECT_FALSE(parse_byte_size(""));
}

TEST(ProbeSizeSweep, GeometricIncludesBothEnds) {
  EXPECT_EQ(geometric_sweep(8, 128, 2), (std::vector<std::uint64_t>{8, 16, 32, 64, 128}));
  EXPECT_EQ(geometric_sweep(1024, 5000, 4), (std::vector<std::uint64_t>{1024, 4096}));
  EXPECT_THROW(geometric_sweep(0, 8, 2), std::invalid_argument);
  EXPECT_THROW(geometric_sweep(16, 8, 2), std::invalid_argument);
  EXPECT_THROW(geometric_sweep(8, 16, 1), std::invalid_argument);
  EXPECT_EQ(round_down_to(1000, 64), 960u);
  EXPECT_EQ(round_down_to(8, 64), 0u);
}

TEST(ProbeGroups, SplitsIntraByHostAndInterByLocalRank) {
  const std::vector<std::string> hosts = {"a", "a", "b", "b"};
  EXPECT_EQ(group_colour(GroupKind::intra, hosts, 3), 1);
  EXPECT_EQ(group_colour(GroupKind::inter, hosts, 3), 1);
  EXPECT_EQ(group_hosts(GroupKind::intra, hosts, 0), (std::vector<std::string>{"a", "a"}));
  EXPECT_EQ(group_hosts(GroupKind::inter, hosts, 0), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(network_level(group_hosts(GroupKind::intra, hosts, 0)), "intra_node");
  EXPECT_EQ(network_level(group_hosts(GroupKind::inter, hosts, 0)), "inter_node");
  EXPECT_EQ(network_level(hosts), "mixed");
  EXPECT_EQ(groups_for_split("both").size(), 2u);
  EXPECT_THROW(groups_for_split("rails"), std::invalid_argument);
}

TEST(ProbeCommPoint, BusBandwidthUsesNcclTestsFactors) {
  CommPoint p;
  p.collective = Collective::all_reduce;
  p.group = "world";
  p.level = "intra_node";
  p.group_ranks = 8;
  p.bytes = 1'000'000'000;
  p.iteration_seconds = {0.010, 0.005, 0.020};  // median 10 ms -> algbw 100 GB/s
  const auto j = comm_point_json(p);
  EXPECT_DOUBLE_EQ(j["algbw_gb_s"].get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(j["busbw_gb_s"].get<double>(), 100.0 * 2 * 7 / 8);  // 2(n-1)/n
  EXPECT_DOUBLE_EQ(j["busbw_gb_s_max"].get<double>(), 200.0 * 2 * 7 / 8);
  EXPECT_EQ(j["iterations_us"].size(), 3u);
  EXPECT_DOUBLE_EQ(j["time_us"]["median"].get<double>(), 10000.0);

  p.collective = Collective::all_gather;
  EXPECT_DOUBLE_EQ(comm_point_json(p)["busbw_gb_s"].get<double>(), 100.0 * 7 / 8);  // (n-1)/n
  p.collective = Collective::send_recv;
  EXPECT_DOUBLE_EQ(comm_point_json(p)["busbw_gb_s"].get<double>(), 100.0);  // 1
  EXPECT_EQ(collective_from_name("reduce_scatter"), Collective::reduce_scatter);
  EXPECT_FALSE(collective_from_name("broadcast"));
}

TEST(ProbeGemmShapes, ListGridAndModel) {
  const auto list = parse_shape_list("4096x4096x4096,1x2x3,4096x4096x4096");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_DOUBLE_EQ(list[0].flops(), 2.0 * 4096.0 * 4096.0 * 4096.0);
  EXPECT_THROW(parse_shape_list("4096x4096"), std::invalid_argument);
  EXPECT_THROW(parse_shape_list("0x1x1"), std::invalid_argument);
  EXPECT_EQ(parse_shape_grid("m=1024,2048;n=4096;k=512,1024").size(), 4u);
  EXPECT_THROW(parse_shape_grid("m=1;n=2"), std::invalid_argument);

  ModelShape model;
  model.layers = 2;
  model.hidden = 4096;
  model.heads = 32;
  model.kv_heads = 8;
  model.ffn = 14336;
  model.mlp = MlpKind::swiglu;
  model.vocab = 128256;
  ParallelPlan plan;
  plan.tp = 2;
  plan.seq_len = 2048;  // tokens != hidden, so forward and weight-gradient shapes differ
  const auto cases = model_gemm_cases(model, plan);
  ASSERT_FALSE(cases.empty());
  EXPECT_EQ(cases[0].name, "qkv.fwd");
  EXPECT_EQ(cases[0].k, 4096);              // input features: hidden
  EXPECT_EQ(cases[1].name, "qkv.dgrad");
  EXPECT_EQ(cases[1].n, cases[0].k);        // dX = dY W^T
  EXPECT_EQ(cases[2].name, "qkv.wgrad");
  EXPECT_EQ(cases[2].k, cases[0].m);        // dW = X^T dY sums over tokens
  EXPECT_EQ(cases[0].m, 2048);
}

TEST(ProbeResultFile, WritesAfterEveryResultAndMarksCompletion) {
  const std::string path = ::testing::TempDir() + "/probe_result_file_test.json";
  std::remove(path.c_str());
  ResultFile file(path, {{"probe", "comm"}, {"provenance", {{"kind", "measured"}}}});
  auto read = [&] {
    std::ifstream in(path);
    return nlohmann::json::parse(in);
  };
  EXPECT_EQ(read()["schema"], "trainplan-probe/1");
  EXPECT_FALSE(read()["complete"].get<bool>());
  file.append({{"bytes", 8}});
  EXPECT_EQ(read()["results"].size(), 1u);   // on disk before the run ends
  file.merge_provenance({{"gpu", {{"model", "X"}}}});
  EXPECT_EQ(read()["provenance"]["kind"], "measured");
  file.fail("rank 1 failed");
  EXPECT_EQ(read()["error"], "rank 1 failed");
  file.finish();
  EXPECT_TRUE(read()["complete"].get<bool>());
}

TEST(ProbeWatchdog, FiresOnlyWithoutProgressAndNamesThePhase) {
  std::atomic<bool> fired{false};
  std::string message;
  {
    Watchdog watchdog(0.2, [&](const std::string& m) {
      message = m;
      fired = true;
    });
    for (int i = 0; i < 4; ++i) {  // kicked every 0.1 s: no timeout
      watchdog.kick("step " + std::to_string(i));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_FALSE(fired);
    watchdog.kick("all_reduce of 1 GiB");
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
  }
  EXPECT_TRUE(fired);
  EXPECT_NE(message.find("all_reduce of 1 GiB"), std::string::npos) << message;
}

}  // namespace
}  // namespace trainplan::probe
