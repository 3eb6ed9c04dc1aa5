// Activation offloading end to end: a GB200 plan that holds its memory only by offloading (as
// Megatron-Bridge's GB200 Llama 3 70B recipe does), a GPU without a stated host, and a bad host block.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::vector<std::string> kGb200Llama70b = {"plan", "--model", "llama3-70b", "--gpu", "gb200", "--gpus", "64",
                                                 "--global-batch", "128", "--micro-batch", "2", "--seq-len", "8192",
                                                 "--zero", "3", "--precision", "fp8", "--set", "plan.fp8_scaling=current"};
}  // namespace

TEST(ActivationOffloadCli, AGb200PlanFitsOnlyByOffloadingAndSaysWhatGoesToTheHost) {
  const CliRun kept = run(with(kGb200Llama70b, {"--format", "json"}));
  ASSERT_EQ(kept.status, 0) << kept.err;
  const auto k = nlohmann::json::parse(kept.out);
  EXPECT_FALSE(k["fits_in_memory"].get<bool>());
  EXPECT_EQ(k["host_memory_gib"], 0.0);
  EXPECT_EQ(k["breakdown"]["activation_offload_s"], 0.0);

  const CliRun offloaded = run(with(kGb200Llama70b, {"--activation-offload-layers", "40", "--format", "json"}));
  ASSERT_EQ(offloaded.status, 0) << offloaded.err;
  const auto o = nlohmann::json::parse(offloaded.out);
  EXPECT_TRUE(o["fits_in_memory"].get<bool>());
  EXPECT_LT(o["memory_per_gpu_gib"].get<double>(), o["memory_capacity_gib"].get<double>());
  EXPECT_GT(o["host_memory_gib"].get<double>(), 0.0);
  EXPECT_LE(o["host_memory_gib"].get<double>(), o["host_memory_capacity_gib"].get<double>());
  EXPECT_EQ(o["settings"]["activation_offload_layers"], 40);
  // The breakdown still sums to the step.
  double sum = 0;
  for (const auto& [key, seconds] : o["breakdown"].items()) sum += seconds.get<double>();
  EXPECT_NEAR(sum, o["step_time_s"].get<double>(), 1e-9);

  const CliRun table = run(with(kGb200Llama70b, {"--activation-offload-layers", "40"}));
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("offloaded to host memory"), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("activation offload "), std::string::npos) << table.out;
  EXPECT_NE(table.out.find("(1 micro-batch)"), std::string::npos) << table.out;  // one, not "1 micro-batches"
  // Without offloading the table keeps its usual lines.
  EXPECT_EQ(run(kGb200Llama70b).out.find("activation offload"), std::string::npos);
}

TEST(ActivationOffloadCli, AGpuWithoutAStatedHostOrAPipelinedPlanIsRefusedWithWhy) {
  const CliRun h800 = run({"plan", "--model", "llama3-8b", "--gpu", "h800-sxm", "--gpus", "8", "--global-batch", "8",
                           "--activation-offload-layers", "4"});
  EXPECT_EQ(h800.status, 2);
  EXPECT_NE(h800.err.find("states no host link and memory"), std::string::npos) << h800.err;
  const CliRun pipelined = run({"plan", "--model", "llama3-8b", "--gpus", "8", "--pp", "2", "--global-batch", "8",
                                "--activation-offload-layers", "4"});
  EXPECT_EQ(pipelined.status, 2);
  EXPECT_NE(pipelined.err.find("needs pp 1, got pp 2"), std::string::npos) << pipelined.err;
  const CliRun negative = run({"plan", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8",
                               "--activation-offload-layers", "-1"});
  EXPECT_EQ(negative.status, 2);
  EXPECT_NE(negative.err.find("activation"), std::string::npos) << negative.err;
}

TEST(ActivationOffloadCli, SearchOffloadsTheFewestLayersThatMakeAPlanFit) {
  const std::vector<std::string> search = {"search", "--model", "llama3-70b", "--gpu", "gb200", "--gpus", "64", "--global-batch",
                                           "128", "--seq-len", "8192", "--precision", "fp8", "--set", "plan.fp8_scaling=current",
                                           "--top", "5", "--format", "json"};
  const CliRun without = run(search);
  ASSERT_EQ(without.status, 0) << without.err;
  const auto without_plans = nlohmann::json::parse(without.out);
  for (const auto& p : without_plans["plans"]) EXPECT_EQ(p["settings"]["activation_offload_layers"], 0);
  const CliRun offloading = run(with(search, {"--offload-to-fit"}));
  ASSERT_EQ(offloading.status, 0) << offloading.err;
  const auto best = nlohmann::json::parse(offloading.out)["plans"][0];
  const int layers = best["settings"]["activation_offload_layers"].get<int>();
  ASSERT_GT(layers, 1) << best.dump();
  EXPECT_TRUE(best["fits_in_memory"].get<bool>());
  EXPECT_EQ(best["settings"]["pp"], 1);
  // The plan at that count fits; one layer fewer does not: the fewest were offloaded.
  const auto plan_with = [&](int n) {
    const auto& s = best["settings"];
    const CliRun r = run({"plan", "--model", "llama3-70b", "--gpu", "gb200", "--gpus", "64", "--global-batch", "128", "--seq-len",
                          "8192", "--precision", "fp8", "--set", "plan.fp8_scaling=current", "--tp", std::to_string(s["tp"].get<int>()),
                          "--pp", "1", "--cp", std::to_string(s["cp"].get<int>()), "--micro-batch",
                          std::to_string(s["micro_batch"].get<int>()), "--zero", std::to_string(s["zero"].get<int>()),
                          "--activation-offload-layers", std::to_string(n), "--format", "json"});
    EXPECT_EQ(r.status, 0) << r.err;
    return nlohmann::json::parse(r.out)["fits_in_memory"].get<bool>();
  };
  EXPECT_TRUE(plan_with(layers));
  EXPECT_FALSE(plan_with(layers - 1));
  // The table says which plans offload.
  const CliRun table = run({"search", "--model", "llama3-70b", "--gpu", "gb200", "--gpus", "64", "--global-batch", "128", "--seq-len",
                            "8192", "--offload-to-fit", "--top", "3"});
  ASSERT_EQ(table.status, 0) << table.err;
  EXPECT_NE(table.out.find("activation offload (layers whose activations go to host memory"), std::string::npos) << table.out;
  // sweep adds a column where some row offloads: 64 GPUs offload, 128 fit without.
  const CliRun sweep = run({"sweep", "--model", "llama3-70b", "--gpu", "gb200", "--gpus", "64,128", "--global-batch", "128",
                            "--seq-len", "8192", "--tokens", "1T", "--precision", "fp8", "--set", "plan.fp8_scaling=current",
                            "--offload-to-fit", "--uncertainty-samples", "0"});
  ASSERT_EQ(sweep.status, 0) << sweep.err;
  EXPECT_NE(sweep.out.find("activation offload"), std::string::npos) << sweep.out;
  EXPECT_NE(sweep.out.find(" GiB)"), std::string::npos) << sweep.out;
  EXPECT_NE(sweep.out.find("none"), std::string::npos) << sweep.out;
  // The decision report names the offload in its plans' settings.
  const std::string html = ::testing::TempDir() + "offload_report.html";
  const CliRun report = run({"report", "--model", "llama3-70b", "--gpu", "gb200", "--gpus", "64", "--global-batch", "128", "--seq-len",
                             "8192", "--tokens", "1T", "--offload-to-fit", "--output", html});
  ASSERT_EQ(report.status, 0) << report.err;
  std::ifstream page(html);
  const std::string text((std::istreambuf_iterator<char>(page)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("layers offloaded"), std::string::npos);
  // Refused: a GPU without a stated host, and a fixed count beside it.
  const CliRun h800 = run({"search", "--model", "llama3-8b", "--gpu", "h800-sxm", "--gpus", "8", "--global-batch", "8", "--offload-to-fit"});
  EXPECT_EQ(h800.status, 2);
  EXPECT_NE(h800.err.find("--offload-to-fit"), std::string::npos) << h800.err;
  const CliRun both = run({"search", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8", "--offload-to-fit",
                           "--activation-offload-layers", "4"});
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.err.find("not both"), std::string::npos) << both.err;
}

TEST(ActivationOffloadCli, ABadHostBlockInAGpuFileIsNamed) {
  const std::string path = ::testing::TempDir() + "gpu_bad_host.yaml";
  std::ofstream(path) << "name: X\nbf16_dense_tflops: 1000\nhbm_gib: 80\nhbm_tb_s: 3\ntdp_w: 700\n"
                         "provenance: {kind: assumption, source: test}\n"
                         "host: {link_gb_s_per_direction: 0, memory_gib: 100, provenance: {kind: assumption, source: test}}\n";
  const CliRun bad = run({"plan", "--model", "llama3-8b", "--gpu", path, "--gpus", "8", "--global-batch", "8"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find(path), std::string::npos) << bad.err;
  EXPECT_NE(bad.err.find("host.link_gb_s_per_direction"), std::string::npos) << bad.err;
  std::ofstream(path) << "name: X\nbf16_dense_tflops: 1000\nhbm_gib: 80\nhbm_tb_s: 3\ntdp_w: 700\n"
                         "provenance: {kind: assumption, source: test}\nhost: {link_gb_s_per_direction: 64, memory_gib: 100}\n";
  const CliRun unsourced = run({"plan", "--model", "llama3-8b", "--gpu", path, "--gpus", "8", "--global-batch", "8"});
  EXPECT_EQ(unsourced.status, 2);
  EXPECT_NE(unsourced.err.find("host.provenance"), std::string::npos) << unsourced.err;
}

}  // namespace trainplan
