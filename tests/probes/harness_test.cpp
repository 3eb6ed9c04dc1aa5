// The probe harness's host parts: statistics, size sweeps, grouping, busbw of a comm point, GEMM
// shapes, and the result file written incrementally.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "comm/comm_backend.hpp"
#include "comm/comm_groups.hpp"
#include "comm/comm_result.hpp"
#include "cuda/cuda_probes.hpp"
#include "gemm/gemm_shapes.hpp"
#include "harness/result_file.hpp"
#include "harness/size_sweep.hpp"
#include "harness/statistics.hpp"
#include "harness/timing.hpp"
#include "harness/watchdog.hpp"
#include "planner/core/model/moe_layer.hpp"

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
  // Beyond 2^50 bytes, and never a wrapped-around product.
  EXPECT_EQ(parse_byte_size("1048576G"), 1ull << 50);
  EXPECT_FALSE(parse_byte_size("1048577G"));
  EXPECT_FALSE(parse_byte_size("1125899906842624T"));
  EXPECT_FALSE(parse_byte_size("99999999999999999999"));
}

TEST(ProbeTiming, WarmupRunsAreNotRecorded) {
  std::vector<bool> calls;
  int timed = 0;
  const auto seconds = time_iterations(2, 3, [&](bool is_timed) {
    calls.push_back(is_timed);
    return is_timed ? 0.5 * ++timed : -1.0;
  });
  EXPECT_EQ(calls, (std::vector<bool>{false, false, true, true, true}));
  EXPECT_EQ(seconds, (std::vector<double>{0.5, 1.0, 1.5}));
  EXPECT_TRUE(time_iterations(0, 0, [](bool) { return 1.0; }).empty());
}

// A fake clock and a fake collective whose k-th call takes k seconds: the batched samples must be
// the batch's total divided by the batch, the warm-up must stay outside every sample.
struct FakeClock {
  double now = 0;
  double started = -1;
  int starts = 0;
  void start() {
    started = now;
    ++starts;
  }
  double stop() const { return now - started; }
};

TEST(ProbeTiming, BatchedSamplesAreTheBatchTimeDividedByTheBatch) {
  FakeClock clock;
  int calls = 0;
  std::vector<int> untimed;  // calls made while no sample was open
  auto op = [&] {
    ++calls;
    if (clock.starts == 0) untimed.push_back(calls);
    clock.now += calls;  // the k-th operation lasts k seconds
  };
  // 2 warm-up operations (1 s, 2 s), then 3 samples of 4: ops 3-6, 7-10, 11-14.
  const auto seconds = time_batched(2, 3, 4, op, clock);
  EXPECT_EQ(calls, 2 + 3 * 4);
  EXPECT_EQ(untimed, (std::vector<int>{1, 2}));
  EXPECT_EQ(clock.starts, 3);
  ASSERT_EQ(seconds.size(), 3u);
  EXPECT_DOUBLE_EQ(seconds[0], (3 + 4 + 5 + 6) / 4.0);
  EXPECT_DOUBLE_EQ(seconds[1], (7 + 8 + 9 + 10) / 4.0);
  EXPECT_DOUBLE_EQ(seconds[2], (11 + 12 + 13 + 14) / 4.0);

  // A batch of one is the old one-operation-per-sample timing.
  FakeClock single;
  const auto one = time_batched(0, 2, 1, [&] { single.now += 0.25; }, single);
  EXPECT_EQ(one, (std::vector<double>{0.25, 0.25}));
  EXPECT_THROW(time_batched(0, 1, 0, [] {}, single), std::invalid_argument);
}

TEST(ProbeMpiBackend, RefusesCountsAboveIntAndBuffersAboveHostMemory) {
  // 4 GiB is 2^30 floats; 8 GiB is 2^31, one above MPI's int counts.
  EXPECT_NO_THROW(check_mpi_backend_limits(4ull << 30, 1, 64ull << 30));
  try {
    check_mpi_backend_limits(8ull << 30, 1, 64ull << 30);
    ADD_FAILURE() << "8 GiB accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("int count limit"), std::string::npos) << e.what();
  }
  // 2 ranks x (send + receive) x 4 GiB = 16 GiB: too much for 12 GiB, fine for 24 GiB.
  EXPECT_NO_THROW(check_mpi_backend_limits(4ull << 30, 2, 24ull << 30));
  try {
    check_mpi_backend_limits(4ull << 30, 2, 12ull << 30);
    ADD_FAILURE() << "16 GiB of buffers accepted on a 12 GiB host";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("of host memory"), std::string::npos) << e.what();
  }
}

TEST(ProbeGpuChecks, Fp8NeedsAdaOrHopperAndHbmArraysDwarfL2) {
  EXPECT_TRUE(gemm_dtype_supported(GemmDtype::bf16, 80));
  EXPECT_FALSE(gemm_dtype_supported(GemmDtype::fp8, 80));   // A100
  EXPECT_TRUE(gemm_dtype_supported(GemmDtype::fp8, 89));    // L40S
  EXPECT_TRUE(gemm_dtype_supported(GemmDtype::fp8, 90));    // H100
  EXPECT_FALSE(gemm_dtype_supported(GemmDtype::bf16, 75));  // T4
  const std::size_t l2 = 50u << 20;                         // H100's 50 MiB
  EXPECT_NO_THROW(check_hbm_array_size(1u << 30, l2));
  EXPECT_NO_THROW(check_hbm_array_size(200u << 20, l2));
  try {
    check_hbm_array_size(64u << 20, l2);
    ADD_FAILURE() << "64 MiB arrays accepted with a 50 MiB L2";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("at least --array-bytes 200M"), std::string::npos) << e.what();
  }
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

TEST(ProbeGroups, LabelsEachGroupByHostRailAndRanks) {
  const std::vector<std::string> hosts = {"a", "a", "b", "b"};
  const GroupLabel intra = group_label(GroupKind::intra, hosts, 3);
  EXPECT_EQ(intra.id, "b");
  EXPECT_EQ(intra.host, "b");
  EXPECT_EQ(intra.rail, -1);
  EXPECT_EQ(intra.world_ranks, (std::vector<int>{2, 3}));
  EXPECT_EQ(intra.hosts, (std::vector<std::string>{"b"}));
  EXPECT_EQ(intra.level, "intra_node");
  EXPECT_EQ(intra.ranks_per_node, 2);
  const GroupLabel rail = group_label(GroupKind::inter, hosts, 3);
  EXPECT_EQ(rail.id, "rail 1");
  EXPECT_EQ(rail.rail, 1);
  EXPECT_TRUE(rail.host.empty());
  EXPECT_EQ(rail.world_ranks, (std::vector<int>{1, 3}));
  EXPECT_EQ(rail.hosts, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(rail.level, "inter_node");
  EXPECT_EQ(rail.ranks_per_node, 1);
  const GroupLabel world = group_label(GroupKind::world, hosts, 2);
  EXPECT_EQ(world.id, "world");
  EXPECT_EQ(world.world_ranks, (std::vector<int>{0, 1, 2, 3}));
  EXPECT_EQ(world.level, "mixed");
  EXPECT_EQ(world.ranks_per_node, 2);

  // Hosts with different numbers of ranks (a node short of a GPU): every group keeps its own
  // name; rail 2 has one rank only (host a's third).
  const std::vector<std::string> uneven = {"a", "b", "a", "a", "b"};
  EXPECT_EQ(group_label(GroupKind::intra, uneven, 4).world_ranks, (std::vector<int>{1, 4}));
  EXPECT_EQ(group_label(GroupKind::inter, uneven, 4).id, "rail 1");
  EXPECT_EQ(group_label(GroupKind::inter, uneven, 4).world_ranks, (std::vector<int>{2, 4}));
  EXPECT_EQ(group_label(GroupKind::inter, uneven, 3).id, "rail 2");
  EXPECT_EQ(group_label(GroupKind::inter, uneven, 3).world_ranks, (std::vector<int>{3}));
  EXPECT_EQ(group_label(GroupKind::inter, uneven, 3).hosts, (std::vector<std::string>{"a"}));
  EXPECT_EQ(group_label(GroupKind::inter, uneven, 2).id, "rail 1");
  EXPECT_EQ(group_label(GroupKind::inter, uneven, 0).world_ranks, (std::vector<int>{0, 1}));
  // The old per-rank functions agree with the label.
  for (int r = 0; r < 5; ++r)
    for (GroupKind kind : {GroupKind::intra, GroupKind::inter})
      EXPECT_EQ(group_label(kind, uneven, r).world_ranks.size(), group_hosts(kind, uneven, r).size());
}

TEST(ProbeCommPoint, RowsNameTheirGroupAndRankZeroGathersEveryGroupsRow) {
  CommPoint p;
  p.collective = Collective::all_gather;
  p.group = "inter";
  p.group_id = "rail 3";
  p.rail = 3;
  p.level = "inter_node";
  p.group_ranks = 2;
  p.bytes = 1 << 20;
  p.batch = 20;
  p.iteration_seconds = {1e-3, 2e-3};
  const auto row = comm_point_json(p);
  EXPECT_EQ(row["group_id"], "rail 3");
  EXPECT_EQ(row["rail"], 3);
  EXPECT_FALSE(row.contains("host"));
  EXPECT_EQ(row["batch"], 20);
  EXPECT_EQ(row["iterations_us"].size(), 2u);  // per sample, already divided by the batch

  CommPoint world;  // no id given: the group's kind
  world.group = "world";
  world.iteration_seconds = {1e-3};
  EXPECT_EQ(comm_point_json(world)["group_id"], "world");
  EXPECT_FALSE(comm_point_json(world).contains("rail"));

  CommPoint intra = p;
  intra.group = "intra";
  intra.group_id = intra.host = "node-b";
  intra.rail = -1;
  intra.level = "intra_node";
  // What gather_text returns on world rank 0 for 4 ranks in 2 groups: the leaders' rows (ranks 0
  // and 2), nothing from the others; the rows survive the text round trip exactly.
  p.group_id = "rail 0";
  p.rail = 0;
  const std::vector<std::string> texts = {comm_point_json(p).dump(), "", comm_point_json(intra).dump(), ""};
  const auto rows = gathered_rows(texts);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], comm_point_json(p));
  EXPECT_EQ(rows[1]["group_id"], "node-b");
  EXPECT_EQ(rows[1]["host"], "node-b");
  EXPECT_EQ(rows[1]["busbw_gb_s"].get<double>(), comm_point_json(intra)["busbw_gb_s"].get<double>());
  EXPECT_TRUE(gathered_rows({"", ""}).empty());
  try {
    gathered_rows({"", "{\"truncated\": "});
    ADD_FAILURE() << "a broken row accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("rank 1"), std::string::npos) << e.what();
  }
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
  EXPECT_EQ(cases.back().name, "logits.wgrad");
  for (const auto& c : cases) EXPECT_EQ(c.per_layer, 1) << c.name;
  EXPECT_TRUE(gemm_plan_problems(model, plan).empty());
  plan.tp = 3;
  ASSERT_FALSE(gemm_plan_problems(model, plan).empty());
  EXPECT_NE(gemm_plan_problems(model, plan).front().find("does not divide the attention heads"), std::string::npos);
}

const GemmCase* find_case(const std::vector<GemmCase>& cases, const std::string& name) {
  for (const auto& c : cases)
    if (c.name == name) return &c;
  return nullptr;
}

// Mixtral 8x7B's shape (hidden 4096, 32/8 heads, 8 experts of width 14336, top-2).
ModelShape mixtral_like() {
  ModelShape model;
  model.layers = 32;
  model.hidden = 4096;
  model.heads = 32;
  model.kv_heads = 8;
  model.ffn = 14336;
  model.mlp = MlpKind::swiglu;
  model.vocab = 32000;
  model.moe.routed_experts = 8;
  model.moe.top_k = 2;
  model.moe.expert_ffn = 14336;
  return model;
}

TEST(ProbeGemmShapes, MoeModelsMeasureOneRoutedExpertAtItsTokens) {
  const ModelShape model = mixtral_like();
  ParallelPlan plan;
  plan.seq_len = 4096;
  plan.ep = 2;
  ASSERT_TRUE(gemm_plan_problems(model, plan).empty());
  const auto cases = model_gemm_cases(model, plan);
  const GemmCase* up = find_case(cases, "expert_up.fwd");
  ASSERT_NE(up, nullptr);
  // The planner's own figure (moe_layer_work): 4096 tokens x top-2 over this GPU's 8 / ep = 4 experts.
  const LayerWork work = moe_layer_work(model, plan);
  EXPECT_EQ(up->m, std::llround(work.mlp_up.m));
  EXPECT_EQ(up->m, std::llround(4096.0 * 2 / 4 * expert_load_factor(model.moe)));
  EXPECT_EQ(up->n, 2 * 14336);  // gate and up projections
  EXPECT_EQ(up->k, 4096);
  EXPECT_EQ(up->per_layer, 4);
  const GemmCase* down_wgrad = find_case(cases, "expert_down.wgrad");
  ASSERT_NE(down_wgrad, nullptr);
  EXPECT_EQ(down_wgrad->k, up->m);  // dW sums over the expert's tokens
  const GemmCase* router = find_case(cases, "router.fwd");
  ASSERT_NE(router, nullptr);
  EXPECT_EQ(router->n, 8);
  EXPECT_EQ(find_case(cases, "mlp_up.fwd"), nullptr);   // no dense layers
  EXPECT_EQ(find_case(cases, "shared_up.fwd"), nullptr);
  EXPECT_NE(find_case(cases, "qkv.fwd"), nullptr);
  EXPECT_NE(find_case(cases, "logits.fwd"), nullptr);

  ModelShape with_dense = model;
  with_dense.moe.first_dense_layers = 1;
  with_dense.moe.shared_experts = 1;
  with_dense.ffn = 28672;  // else the dense MLP's shapes equal the shared expert's, kept once
  const auto dense_cases = model_gemm_cases(with_dense, plan);
  const GemmCase* dense_up = find_case(dense_cases, "mlp_up.fwd");
  ASSERT_NE(dense_up, nullptr);
  EXPECT_EQ(dense_up->m, 4096);
  EXPECT_EQ(dense_up->n, 2 * 28672);
  EXPECT_EQ(dense_up->per_layer, 1);
  EXPECT_NE(find_case(dense_cases, "shared_up.fwd"), nullptr);

  plan.ep = 3;
  ASSERT_FALSE(gemm_plan_problems(model, plan).empty());
  EXPECT_NE(gemm_plan_problems(model, plan).front().find("does not divide the routed experts"), std::string::npos);
}

TEST(ProbeGemmShapes, LatentAttentionAddsItsProjections) {
  ModelShape model;
  model.layers = 4;
  model.hidden = 7168;
  model.heads = 128;
  model.kv_heads = 128;
  model.ffn = 18432;
  model.mlp = MlpKind::swiglu;
  model.vocab = 129280;
  model.attention = AttentionKind::mla;
  model.mla = {1536, 512, 128, 64, 128};
  ParallelPlan plan;
  plan.tp = 8;
  plan.seq_len = 4096;
  const auto cases = model_gemm_cases(model, plan);
  const GemmCase* down = find_case(cases, "mla_down.fwd");
  const GemmCase* kv_up = find_case(cases, "mla_kv_up.fwd");
  ASSERT_NE(down, nullptr);
  ASSERT_NE(kv_up, nullptr);
  const LayerWork work = dense_layer_work(model, plan);
  EXPECT_EQ(down->n, std::llround(work.mla_down.n));
  EXPECT_EQ(kv_up->k, 512);  // from the KV latent
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
  file.append_all({{{"bytes", 16}}, {{"bytes", 32}}});  // one point's rows from several groups
  EXPECT_EQ(read()["results"].size(), 3u);
  EXPECT_EQ(read()["results"][2]["bytes"], 32);
  file.append_all({});
  file.merge_provenance({{"gpu", {{"model", "X"}}}});
  EXPECT_EQ(read()["provenance"]["kind"], "measured");
  file.fail("rank 1 failed");
  EXPECT_EQ(read()["error"], "rank 1 failed");
  file.finish();
  EXPECT_TRUE(read()["complete"].get<bool>());
}

TEST(ProbeResultFile, NamesAnUnwritablePathAndRecordsALateError) {
  try {
    check_result_path("/nonexistent-trainplan-dir/x.json");
    ADD_FAILURE() << "no error for a missing directory";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("/nonexistent-trainplan-dir/x.json"), std::string::npos) << message;
    EXPECT_NE(message.find("No such file or directory"), std::string::npos) << message;
  }
  const std::string path = ::testing::TempDir() + "/probe_result_file_late_error.json";
  EXPECT_NO_THROW(check_result_path(path));
  std::ifstream leftover(path + ".partial");
  EXPECT_FALSE(leftover.good());  // the check leaves nothing behind

  ResultFile file(path, {{"probe", "hbm"}, {"provenance", {{"kind", "measured"}}}});
  file.append({{"kernel", "copy"}});
  // What the watchdog does before it aborts: the measured result stays, the reason is added.
  EXPECT_TRUE(file.try_fail("timeout: no progress for 5 s during 'hbm triad'", std::chrono::milliseconds(100)));
  std::ifstream in(path);
  const auto j = nlohmann::json::parse(in);
  EXPECT_FALSE(j["complete"].get<bool>());
  EXPECT_EQ(j["results"].size(), 1u);
  EXPECT_NE(j["error"].get<std::string>().find("hbm triad"), std::string::npos);
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
