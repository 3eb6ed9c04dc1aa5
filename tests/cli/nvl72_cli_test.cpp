// GB200 NVL72 racks end to end: the gb200 GPU preset on the gb200-nvl72-ndr topology with
// --gpus-per-node 72 plans, reports the rack as the failure unit, and keeps an expert group that
// tiles the rack on NVLink.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::vector<std::string> kDeepSeekPlan = {"plan", "--model", "deepseek-v3", "--gpus", "4608", "--tp", "1", "--pp", "8",
                                                "--seq-len", "4096", "--global-batch", "4608", "--zero", "1", "--recompute",
                                                "full", "--tokens", "14.8T", "--set", "plan.uneven_pipeline=true",
                                                "--format", "json"};
const std::vector<std::string> kOnRacks = {"--gpu", "gb200", "--topology", "gb200-nvl72-ndr", "--gpus-per-node", "72"};

bool has_failure_unit_note(const nlohmann::json& j) {
  for (const auto& note : j["economics_notes"])
    if (note.get<std::string>().find("failure unit: the 72-GPU scale-up domain (18 hosts of 4 GPUs)") != std::string::npos)
      return true;
  return false;
}
}  // namespace

TEST(Nvl72Cli, RacksPlanWithTheRackAsFailureUnitAndExpertsOnNvlink) {
  const CliRun racks = run(with(with(kDeepSeekPlan, kOnRacks), {"--ep", "8"}));
  ASSERT_EQ(racks.status, 0) << racks.err;
  const auto j = nlohmann::json::parse(racks.out);
  EXPECT_TRUE(has_failure_unit_note(j));
  // EP 8 tiles the 72-GPU rack: every expert group stays on NVLink.
  EXPECT_EQ(j["placement"]["expert"]["tiers_crossed"], nlohmann::json::array({"nvlink"}));
  // The same GPUs in 8-GPU domains: no multi-host failure unit.
  const CliRun nodes = run(with(kDeepSeekPlan, {"--gpu", "gb200", "--gpus-per-node", "8", "--ep", "8"}));
  ASSERT_EQ(nodes.status, 0) << nodes.err;
  EXPECT_FALSE(has_failure_unit_note(nlohmann::json::parse(nodes.out)));
}

TEST(Nvl72Cli, SixtyFourWayExpertsRunFasterInRacksThanInEightGpuNodes) {
  // EP 64: inside a rack for most groups (those straddling two racks are costed, placement), across
  // eight 8-GPU nodes otherwise.
  const CliRun racks = run(with(with(kDeepSeekPlan, kOnRacks), {"--ep", "64"}));
  const CliRun nodes = run(with(kDeepSeekPlan, {"--gpu", "gb200", "--gpus-per-node", "8", "--ep", "64",
                                                "--set", "fabric.scale_up.gb_s_per_direction=900"}));
  ASSERT_EQ(racks.status, 0) << racks.err;
  ASSERT_EQ(nodes.status, 0) << nodes.err;
  const double rack_step = nlohmann::json::parse(racks.out)["step_time_s"].get<double>();
  const double node_step = nlohmann::json::parse(nodes.out)["step_time_s"].get<double>();
  EXPECT_LT(rack_step, node_step);
}

TEST(Nvl72Cli, WithoutGpusPerNodeTheJobTakesTheTopologysDomainAndSaysSo) {
  // --topology gb200-nvl72-ndr alone: the job's node is the file's 72-GPU domain, as with the flag.
  const CliRun taken = run(with(with(kDeepSeekPlan, {"--gpu", "gb200", "--topology", "gb200-nvl72-ndr"}), {"--ep", "8"}));
  ASSERT_EQ(taken.status, 0) << taken.err;
  EXPECT_NE(taken.err.find("--gpus-per-node not given: 72, the NVLink domain of --topology gb200-nvl72-ndr"), std::string::npos)
      << taken.err;
  const CliRun given = run(with(with(kDeepSeekPlan, kOnRacks), {"--ep", "8"}));
  ASSERT_EQ(given.status, 0) << given.err;
  EXPECT_EQ(nlohmann::json::parse(taken.out), nlohmann::json::parse(given.out));
  // An 8-GPU file says nothing (8 is the default) and a flag that disagrees with the file is still refused.
  const CliRun eight = run(with(kDeepSeekPlan, {"--topology", "dgx-h100-superpod-ndr", "--ep", "8"}));
  ASSERT_EQ(eight.status, 0) << eight.err;
  EXPECT_EQ(eight.err.find("--gpus-per-node not given"), std::string::npos) << eight.err;
  // A file's domain that no job could take is refused as the file's, not as the flag nobody gave.
  const CliRun seven = run(with(kDeepSeekPlan, {"--gpu", "gb200", "--topology", "gb200-nvl72-ndr", "--set", "fabric.scale_up.gpus=7"}));
  EXPECT_EQ(seven.status, 2);
  EXPECT_NE(seven.err.find("--topology gb200-nvl72-ndr: scale_up.gpus: a domain of 1, 2 or a multiple of 4 GPUs"), std::string::npos)
      << seven.err;
  const CliRun refused = run(with(kDeepSeekPlan, {"--gpu", "gb200", "--topology", "gb200-nvl72-ndr", "--gpus-per-node", "8"}));
  EXPECT_EQ(refused.status, 2);
  EXPECT_NE(refused.err.find("the fabric has 72 GPUs per NVLink domain but the job says --gpus-per-node 8"), std::string::npos)
      << refused.err;
}

TEST(Nvl72Cli, AGb200WithoutTopologyOrFlagIsPlannedInItsOwn72GpuDomain) {
  // No --topology and no --gpus-per-node: the GPU file's nvlink_domain_gpus (72) on the default
  // fabric, as if --gpus-per-node 72 had been given, and a note says so.
  const CliRun taken = run(with(kDeepSeekPlan, {"--gpu", "gb200", "--ep", "8"}));
  ASSERT_EQ(taken.status, 0) << taken.err;
  EXPECT_NE(taken.err.find("--gpus-per-node not given: 72, the NVLink domain GB200 is built into"), std::string::npos)
      << taken.err;
  EXPECT_EQ(nlohmann::json::parse(taken.out)["job"]["gpus_per_node"], 72);
  const CliRun given = run(with(kDeepSeekPlan, {"--gpu", "gb200", "--gpus-per-node", "72", "--ep", "8"}));
  ASSERT_EQ(given.status, 0) << given.err;
  EXPECT_EQ(nlohmann::json::parse(taken.out), nlohmann::json::parse(given.out));
  // A GPU whose file states no domain keeps the 8-GPU default, with no note.
  const CliRun h100 = run(with(kDeepSeekPlan, {"--ep", "8"}));
  ASSERT_EQ(h100.status, 0) << h100.err;
  EXPECT_EQ(nlohmann::json::parse(h100.out)["job"]["gpus_per_node"], 8);
  EXPECT_EQ(h100.err.find("--gpus-per-node not given"), std::string::npos) << h100.err;
}

TEST(Nvl72Cli, OneSweepComparesRacksWithEightGpuNodes) {
  // Each --topology of a sweep takes its own domain: NVL72 racks and DGX nodes in one command.
  const CliRun sweep = run({"sweep", "--model", "llama3-70b", "--gpu", "gb200", "--topology", "gb200-nvl72-ndr", "--topology",
                            "dgx-h100-superpod-ndr", "--gpus", "144,288", "--global-batch", "1152", "--seq-len", "8192",
                            "--tokens", "15T", "--threads", "1", "--uncertainty-samples", "0", "--format", "json"});
  ASSERT_EQ(sweep.status, 0) << sweep.err;
  const auto j = nlohmann::json::parse(sweep.out);
  std::vector<std::string> topologies;
  for (const auto& point : j["points"]) topologies.push_back(point["topology"].get<std::string>());
  EXPECT_NE(std::find(topologies.begin(), topologies.end(), "gb200-nvl72-ndr"), topologies.end());
  EXPECT_NE(std::find(topologies.begin(), topologies.end(), "dgx-h100-superpod-ndr"), topologies.end());
}

}  // namespace trainplan
