// --slurm topology.conf on the planning commands: the cluster's fabric in place of --topology.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/topologies/";
const std::string two_leaves = fixtures + "slurm-topology.conf";  // 8 nodes: 2 leaves of 4 under one spine
// A small job: Llama 3 8B, tensor parallel within the node, a batch every count divides.
const std::vector<std::string> job = {"--model", "llama3-8b", "--tp", "8", "--global-batch", "64", "--seq-len", "2048"};

std::vector<std::string> command(const std::string& name, const std::vector<std::string>& more) {
  return with(with({name}, job), more);
}
}  // namespace

TEST(SlurmCli, PlanTakesEveryNodeOfTheFileAndSaysSo) {
  const CliRun r = run(command("plan", {"--slurm", two_leaves, "--format", "json", "--tokens", "1B"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["job"]["gpus"], 64);  // 8 nodes x 8 GPUs
  EXPECT_EQ(j["fabric"], "slurm:" + two_leaves);
  EXPECT_NE(r.err.find("note: --gpus not given: 64 GPUs, the 8 nodes of " + two_leaves + " x 8 GPUs per node"), std::string::npos) << r.err;
}

TEST(SlurmCli, TheFileIsCostedLikeTheSameTopologyFile) {
  const CliRun slurm = run(command("plan", {"--slurm", two_leaves, "--gpus", "64", "--format", "json", "--tokens", "1B"}));
  const CliRun yaml =
      run(command("plan", {"--topology", fixtures + "slurm-topology-as-yaml.yaml", "--gpus", "64", "--format", "json", "--tokens", "1B"}));
  ASSERT_EQ(slurm.status, 0) << slurm.err;
  ASSERT_EQ(yaml.status, 0) << yaml.err;
  const double network = nlohmann::json::parse(slurm.out)["capital_usd"]["network"].get<double>();
  EXPECT_GT(network, 0);
  EXPECT_DOUBLE_EQ(network, nlohmann::json::parse(yaml.out)["capital_usd"]["network"].get<double>());
  EXPECT_EQ(slurm.err, "");  // --gpus given: nothing to say
}

TEST(SlurmCli, MoreGpusThanTheNodesHoldIsAnErrorNamingBoth) {
  const CliRun r = run(command("plan", {"--slurm", two_leaves, "--gpus", "128"}));
  EXPECT_EQ(r.status, 2);
  for (const char* word : {"--gpus 128", "--slurm", "128 GPUs", "64 GPUs", "8 nodes"}) EXPECT_NE(r.err.find(word), std::string::npos) << r.err;
}

TEST(SlurmCli, TopologyAndSlurmAreExclusive) {
  const CliRun r = run(command("plan", {"--slurm", two_leaves, "--topology", "dgx-h100-superpod-ndr"}));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--slurm"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--topology"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("not both"), std::string::npos) << r.err;
}

TEST(SlurmCli, SetsOfTheTiersTheFileGivesAreRefused) {
  const CliRun r = run(command("plan", {"--slurm", two_leaves, "--set", "fabric.tiers.spine.oversubscription=2"}));
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("fabric.tiers"), std::string::npos) << r.err;
  const CliRun topo = run({"topo", "--slurm", two_leaves, "--set", "fabric.rail_optimized=true"});
  EXPECT_EQ(topo.status, 2);
  EXPECT_NE(topo.err.find("fabric.rail_optimized"), std::string::npos) << topo.err;
}

TEST(SlurmCli, SearchSizeSweepAndCompareTakeTheFile) {
  const CliRun search = run({"search", "--model", "llama3-8b", "--global-batch", "64", "--seq-len", "2048", "--slurm", two_leaves,
                             "--format", "json", "--tp-max", "8", "--micro-batch-max", "1"});
  ASSERT_EQ(search.status, 0) << search.err;
  EXPECT_NE(search.err.find("64 GPUs"), std::string::npos) << search.err;

  const CliRun sweep = run(command("sweep", {"--slurm", two_leaves, "--gpus", "32,64,128", "--format", "json", "--micro-batch-max", "1"}));
  ASSERT_EQ(sweep.status, 0) << sweep.err;
  // 32 and 64 GPUs have plans on the file's fabric; 128 are beyond its 64: a point, not an error.
  const auto points = nlohmann::json::parse(sweep.out)["points"];
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0]["topology"], "slurm:" + two_leaves);
  EXPECT_TRUE(points[0]["found"].get<bool>());
  EXPECT_TRUE(points[1]["found"].get<bool>());
  EXPECT_FALSE(points[2]["reachable"].get<bool>());
  EXPECT_NE(points[2]["problem"].get<std::string>().find("at most 64 GPUs"), std::string::npos) << points[2];

  const CliRun size = run(command("size", {"--slurm", two_leaves, "--gpus", "64", "--tokens", "1B", "--micro-batch-max", "1"}));
  EXPECT_EQ(size.status, 0) << size.err;
  EXPECT_NE(size.out.find("slurm:"), std::string::npos) << size.out;

  const CliRun compare = run(command("compare", {"--slurm", two_leaves, "--gpus", "64", "--topologies", "dgx-h100-superpod-ndr",
                                                 "--format", "json"}));
  ASSERT_EQ(compare.status, 0) << compare.err;
  EXPECT_NE(compare.out.find("slurm:"), std::string::npos) << compare.out;
  EXPECT_NE(compare.out.find("dgx-h100-superpod-ndr"), std::string::npos) << compare.out;
}

TEST(SlurmCli, TopoSeesTheSpineOfTwoLeaves) {
  const CliRun r = run({"topo", "--gpus", "64", "--slurm", two_leaves, "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["tiers"].size(), 2u);
  EXPECT_EQ(j["tiers"][1]["name"], "spine");
  EXPECT_EQ(j["tiers"][1]["switches"], 1);
  // Without --gpus, the file's 8 nodes of 8 GPUs.
  const CliRun rails = run({"topo", "--slurm", fixtures + "slurm-rails.conf", "--format", "json"});
  EXPECT_NE(rails.err.find("note: --gpus not given: 64 GPUs"), std::string::npos) << rails.err;
  ASSERT_EQ(rails.status, 0) << rails.err;
  EXPECT_EQ(nlohmann::json::parse(rails.out)["tiers"][1]["switches"], 2);
}

}  // namespace trainplan
