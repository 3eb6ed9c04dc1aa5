#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;
const std::vector<std::string> llama_plan = {"plan", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4",
                                             "--global-batch", "1024", "--seq-len", "8192", "--tokens", "15T"};
}  // namespace

TEST(Cli, NoArgumentsPrintsUsageAndFails) {
  const CliRun r = run({});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("usage: trainplan"), std::string::npos);
}

TEST(Cli, HelpListsEveryPlanFlag) {
  const CliRun r = run({"plan", "--help"});
  EXPECT_EQ(r.status, 0);
  for (const char* flag : {"--model", "--gpu", "--gpus", "--gpus-per-node", "--tp", "--pp", "--dp", "--cp", "--vp",
                           "--micro-batch", "--global-batch", "--global-batch-tokens", "--seq-len", "--tokens",
                           "--precision", "--recompute", "--sequence-parallel", "--zero", "--set", "--format"})
    EXPECT_NE(r.out.find(flag), std::string::npos) << flag;
}

TEST(Cli, PlanJsonHasTheContractKeys) {
  const CliRun r = run(with(llama_plan, {"--format", "json", "--sequence-parallel", "--zero", "1"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"params_total", "params_active", "step_time_s", "tokens_per_second", "tflops_per_gpu", "mfu", "hfu",
                          "memory_per_gpu_gib", "fits_in_memory", "time_to_train_days", "breakdown"})
    EXPECT_TRUE(j.contains(key)) << key;
  for (const char* key : {"compute_s", "tp_comm_s", "pp_comm_s", "dp_comm_s", "pipeline_bubble_s"})
    EXPECT_TRUE(j["breakdown"].contains(key)) << key;
  EXPECT_GT(j["step_time_s"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(j["params_total"].get<double>(), j["params_active"].get<double>());
  EXPECT_EQ(j["settings"]["dp"], 32);
}

TEST(Cli, PlanJsonCarriesGoodputCostAndEnergy) {
  const CliRun r = run(with(llama_plan, {"--format", "json", "--runs", "50", "--seed", "3"}));
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* key : {"cost_usd", "energy_mwh", "power_mw", "goodput", "time_to_train_days_failure_free", "monte_carlo"})
    EXPECT_TRUE(j.contains(key)) << key;
  EXPECT_GT(j["time_to_train_days"].get<double>(), j["time_to_train_days_failure_free"].get<double>());
  EXPECT_LT(j["goodput"].get<double>(), 1.0);
  EXPECT_GT(j["cost_usd"].get<double>(), 0);
  // Deterministic for a seed.
  EXPECT_EQ(nlohmann::json::parse(run(with(llama_plan, {"--format", "json", "--runs", "50", "--seed", "3"})).out)["monte_carlo"],
            j["monte_carlo"]);
}

// A ZeRO-2 plan with several micro-batches says why its data-parallel line is large (each micro-batch
// reduce-scatters the gradient shard), and a ZeRO-3 plan why its gathers are too; a ZeRO-1 plan, or
// ZeRO-2 / ZeRO-3 with one micro-batch, says nothing of it.
TEST(Cli, PlanNotesThatZeroTwoReducesEveryMicroBatch) {
  const std::vector<std::string> base = with(llama_plan, {"--sequence-parallel", "--uncertainty-samples", "0"});
  const CliRun zero2 = run(with(base, {"--zero", "2"}));  // 1,024 / (8 x 4) = 32 replicas: 32 sequences, 32 micro-batches
  ASSERT_EQ(zero2.status, 0) << zero2.err;
  EXPECT_NE(zero2.out.find("note: ZeRO-2 keeps only a shard of the gradients, so each of the 32 micro-batches"), std::string::npos)
      << zero2.out;
  const CliRun json = run(with(base, {"--zero", "2", "--format", "json"}));
  ASSERT_EQ(json.status, 0) << json.err;
  const auto notes = nlohmann::json::parse(json.out).at("notes");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].get<std::string>().find("32 times ZeRO-1's gradient traffic"), std::string::npos);
  const CliRun zero1 = run(with(base, {"--zero", "1"}));
  ASSERT_EQ(zero1.status, 0) << zero1.err;
  EXPECT_EQ(zero1.out.find("ZeRO-2 keeps"), std::string::npos);
  const CliRun one_microbatch = run(with(base, {"--zero", "2", "--micro-batch", "32"}));
  ASSERT_EQ(one_microbatch.status, 0) << one_microbatch.err;
  EXPECT_EQ(one_microbatch.out.find("ZeRO-2 keeps"), std::string::npos);
  // ZeRO-3 says why its gathers and reductions grow with the micro-batches; with one it says nothing.
  const CliRun zero3 = run(with(base, {"--zero", "3"}));
  ASSERT_EQ(zero3.status, 0) << zero3.err;
  EXPECT_NE(zero3.out.find("note: ZeRO-3 keeps only a shard of the weights and of the gradients, so each of the 32 "
                           "micro-batches gathers every layer's weights for its forward and again for its backward (64 gathers"),
            std::string::npos)
      << zero3.out;
  EXPECT_EQ(zero3.out.find("ZeRO-2 keeps"), std::string::npos);
  const CliRun zero3_once = run(with(base, {"--zero", "3", "--micro-batch", "32"}));
  ASSERT_EQ(zero3_once.status, 0) << zero3_once.err;
  EXPECT_EQ(zero3_once.out.find("ZeRO-3 keeps"), std::string::npos);
}

// compare, search and size say the same of the plans they report, in text and JSON; search's
// evaluation of the rest of the space is not charged for it.
TEST(Cli, CompareSearchAndSizeNoteZeroTwoAsPlanDoes) {
  const std::string note = "ZeRO-2 keeps only a shard of the gradients, so each of the 32 micro-batches";
  const std::vector<std::string> knobs = {"--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4", "--global-batch",
                                          "1024", "--seq-len", "8192", "--sequence-parallel", "--zero", "2",
                                          "--uncertainty-samples", "0"};
  const CliRun compare = run(with(with({"compare"}, knobs), {"--topologies", "dgx-h100-superpod-ndr", "dgx-h100-superpod-ndr"}));
  ASSERT_EQ(compare.status, 0) << compare.err;
  EXPECT_NE(compare.out.find("\nnote: " + note), std::string::npos) << compare.out;  // both variants: said once
  const CliRun compare_json =
      run(with(with({"compare"}, knobs), {"--topologies", "dgx-h100-superpod-ndr", "--format", "json"}));
  ASSERT_EQ(compare_json.status, 0) << compare_json.err;
  EXPECT_EQ(nlohmann::json::parse(compare_json.out).at("variants").at(0).at("plan").at("notes").size(), 1u);

  const std::vector<std::string> search_knobs = {"search", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--pp", "4",
                                                 "--cp", "1", "--micro-batch", "1", "--global-batch", "1024",
                                                 "--seq-len", "8192", "--zero", "2", "--top", "2", "--uncertainty-samples", "0"};
  const CliRun search = run(search_knobs);
  ASSERT_EQ(search.status, 0) << search.err;
  EXPECT_NE(search.out.find("note: " + note), std::string::npos) << search.out;
  const CliRun search_json = run(with(search_knobs, {"--format", "json"}));
  ASSERT_EQ(search_json.status, 0) << search_json.err;
  const auto search_plans = nlohmann::json::parse(search_json.out);  // kept: the loop reads into it
  for (const auto& plan : search_plans.at("plans")) EXPECT_EQ(plan.at("notes").size(), 1u) << plan.dump();

  const CliRun size = run(with(with({"size"}, knobs), {"--micro-batch", "1", "--tokens", "1T"}));
  ASSERT_EQ(size.status, 0) << size.err;
  EXPECT_NE(size.out.find("  note: " + note), std::string::npos) << size.out;
  std::vector<std::string> zero1_knobs = with({"compare"}, knobs);
  *std::find(zero1_knobs.begin(), zero1_knobs.end(), "2") = "1";  // --zero 2 -> --zero 1
  const CliRun zero1 = run(with(zero1_knobs, {"--topologies", "dgx-h100-superpod-ndr"}));
  ASSERT_EQ(zero1.status, 0) << zero1.err;
  EXPECT_EQ(zero1.out.find("ZeRO-2 keeps"), std::string::npos);
}

// sweep says it of each count's best plan, naming the counts where they differ (1,024 GPUs: 32
// replicas, 32 micro-batches; 2,048: 16), in text and in each point's plan JSON.
TEST(Cli, SweepNotesEachCountsBestPlanAsPlanDoes) {
  const std::vector<std::string> knobs = {"sweep", "--model", "llama3-70b", "--gpus", "1024,2048", "--tp", "8", "--pp", "4",
                                          "--cp", "1", "--micro-batch", "1", "--global-batch", "1024", "--seq-len", "8192",
                                          "--zero", "2", "--uncertainty-samples", "0"};
  const CliRun sweep = run(knobs);
  ASSERT_EQ(sweep.status, 0) << sweep.err;
  EXPECT_NE(sweep.out.find("\nnote (GPU counts 1024): ZeRO-2 keeps only a shard of the gradients, so each of the 32 micro-batches"),
            std::string::npos)
      << sweep.out;
  EXPECT_NE(sweep.out.find("\nnote (GPU counts 2048): ZeRO-2 keeps only a shard of the gradients, so each of the 16 micro-batches"),
            std::string::npos)
      << sweep.out;
  const CliRun json = run(with(knobs, {"--format", "json"}));
  ASSERT_EQ(json.status, 0) << json.err;
  const auto swept = nlohmann::json::parse(json.out);  // kept: the loop reads into it
  ASSERT_EQ(swept.at("points").size(), 2u);
  for (const auto& point : swept.at("points")) EXPECT_EQ(point.at("plan").at("notes").size(), 1u) << point.dump();
}

// The plan says which fused attention figure its layers were costed at: the kernel, its fraction of
// the bf16 peak at the plan's shape and its source; none for the materialized kernel.
TEST(Cli, PlanSaysTheFusedAttentionFigureItUsed) {
  const CliRun json = run(with(llama_plan, {"--format", "json", "--set", "plan.attention_kernel=flash2"}));
  ASSERT_EQ(json.status, 0) << json.err;
  const auto a = nlohmann::json::parse(json.out)["provenance"]["fused_attention"];
  EXPECT_EQ(a["kernel"], "flash2");
  // llama3-70b: causal, head dimension 128, 8,192 keys: FlashAttention-2's published 308 TFLOP/s on H100.
  EXPECT_NEAR(a["fraction_of_bf16_peak"].get<double>(), 308 / 989.4, 1e-9);
  EXPECT_EQ(a["figures"], "curves by mask, head dimension and keys per query");
  EXPECT_EQ(a["source"].get<std::string>().rfind("published: ", 0), 0u) << a["source"];
  const CliRun text = run(with(llama_plan, {"--set", "plan.attention_kernel=flash2"}));
  EXPECT_NE(text.out.find("fused attention published (flash2 at 0.31 of the bf16 peak here)"), std::string::npos) << text.out;
  const CliRun materialized = run(with(llama_plan, {"--format", "json", "--set", "plan.attention_kernel=materialized"}));
  ASSERT_EQ(materialized.status, 0) << materialized.err;
  EXPECT_TRUE(nlohmann::json::parse(materialized.out)["provenance"]["fused_attention"].is_null());
  EXPECT_EQ(run(with(llama_plan, {"--set", "plan.attention_kernel=materialized"})).out.find("fused attention"), std::string::npos);
}

TEST(Cli, CsvHasAHeaderAndOneRow) {
  const CliRun r = run(with(llama_plan, {"--format", "csv"}));
  ASSERT_EQ(r.status, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, row, extra;
  std::getline(lines, header);
  std::getline(lines, row);
  EXPECT_NE(header.find("step_time_s"), std::string::npos);
  EXPECT_FALSE(row.empty());
  EXPECT_FALSE(std::getline(lines, extra));
}

TEST(Cli, SetOverridesAnyField) {
  const CliRun base = run(with(llama_plan, {"--format", "json"}));
  const CliRun fewer = run(with(llama_plan, {"--format", "json", "--set", "model.layers=40"}));
  ASSERT_EQ(fewer.status, 0) << fewer.err;
  EXPECT_LT(nlohmann::json::parse(fewer.out)["params_total"].get<double>(),
            nlohmann::json::parse(base.out)["params_total"].get<double>());
  const CliRun zero = run(with(llama_plan, {"--format", "json", "--set", "plan.zero=1"}));
  EXPECT_EQ(nlohmann::json::parse(zero.out)["settings"]["zero"], 1);
}

TEST(Cli, ImpossiblePlanExitsTwoWithTheReason) {
  const CliRun r = run({"plan", "--model", "llama3-70b", "--gpus", "1008", "--tp", "7", "--global-batch", "144"});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("does not divide the attention heads"), std::string::npos) << r.out;
}

TEST(Cli, PlanThatDoesNotFitSaysSoWithItsMemory) {
  const CliRun r = run({"plan", "--model", "llama3-405b", "--gpus", "8", "--tp", "8", "--global-batch", "8", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j["fits_in_memory"].get<bool>());
  EXPECT_GT(j["memory_gib"]["weights"].get<double>(), 80);
}

TEST(Cli, BadFlagsGiveOneLineErrorsAndExitTwo) {
  const std::vector<std::vector<std::string>> bad = {
      with(llama_plan, {"--format", "xml"}),
      with(llama_plan, {"--tp", "zero"}),
      with(llama_plan, {"--precision", "fp4"}),
      with(llama_plan, {"--recompute", "some"}),
      with(llama_plan, {"--set", "nonsense"}),
      with(llama_plan, {"--set", "cluster.size=3"}),
      with(llama_plan, {"--no-such-flag"}),
      {"plan", "--model", "llama3-70b", "--global-batch", "8"},  // no --gpus
      {"plan", "--model", "llama3-70b", "--gpus", "8"},          // no batch
      {"plan", "--model", "does-not-exist", "--gpus", "8", "--global-batch", "8"},
      {"plan", "--model", "llama3-70b", "--gpu", "tpu-v5", "--gpus", "8", "--global-batch", "8"},
      {"plan", "--model", "llama3-70b", "--gpus", "8", "--global-batch", "8", "--zero", "4"},
      {"plan", "--model", "llama3-70b", "--gpus", "-8", "--global-batch", "8"},
      {"plan", "--model", "llama3-70b", "--gpus", "1024", "--tp", "8", "--global-batch", "128", "--topology", "rail-only-ndr"},
  };
  for (const auto& args : bad) {
    const CliRun r = run(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    SCOPED_TRACE(joined);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("error:"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
  }
}

// Boost matches each argument against only the options it can name (parse_command_line): a unique
// prefix, "--name=value", a short option, an ambiguous prefix and an unknown name are as Boost has them
// with every option, and the options not given keep their defaults.
TEST(Cli, ArgumentsAreMatchedAsBoostMatchesThemAgainstEveryOption) {
  const std::vector<std::string> json = {"--format", "json"};
  const CliRun full = run(with(llama_plan, json));
  ASSERT_EQ(full.status, 0) << full.err;
  const CliRun abbreviated = run({"plan", "--model=llama3-70b", "--gpus", "1024", "--tp=8", "--pp", "4", "--global-batch",
                                  "1024", "--seq-len", "8192", "--tok", "15T", "--form", "json"});
  ASSERT_EQ(abbreviated.status, 0) << abbreviated.err;
  EXPECT_EQ(abbreviated.out, full.out);
  const CliRun ambiguous = run(with(llama_plan, {"--global", "8"}));  // --global-batch or --global-batch-tokens
  EXPECT_EQ(ambiguous.status, 2);
  EXPECT_NE(ambiguous.err.find("ambiguous"), std::string::npos) << ambiguous.err;
  const CliRun unknown = run(with(llama_plan, {"--frobnicate", "1"}));
  EXPECT_EQ(unknown.status, 2);
  EXPECT_NE(unknown.err.find("frobnicate"), std::string::npos) << unknown.err;
  const CliRun help = run({"plan", "-h"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("--electricity-price"), std::string::npos);  // the whole list, not the options named
}

TEST(Cli, UnknownCommandFails) { EXPECT_EQ(run({"frobnicate"}).status, 2); }

TEST(Cli, ValidateJsonReportsRowsAndSummary) {
  const CliRun r = run({"validate", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("rows"));
  ASSERT_TRUE(j.contains("summary"));
  EXPECT_GE(j["summary"]["cases"].get<int>(), 21);
  for (const auto& row : j["rows"])
    for (const char* key : {"case", "metric", "published", "predicted", "error_pct"}) EXPECT_TRUE(row.contains(key)) << key;
  // Parameter counts: within 1% of the published totals; DeepSeek-V3's active count is published
  // rounded to "37B" and comes out 1.5% above it.
  EXPECT_LE(j["parameter_summary"]["max_abs_error_pct"].get<double>(), 1.6);
  // Memory rows come with the bundled set and are summarised apart from the timing rows.
  int timing = 0, memory = 0;
  for (const auto& row : j["rows"]) {
    const std::string metric = row["metric"].get<std::string>();
    if (metric == "memory_per_gpu_gib") ++memory;
    else if (metric != "params_total" && metric != "params_active") ++timing;
  }
  EXPECT_GT(memory, 0);
  EXPECT_EQ(j["memory_summary"]["cases"].get<int>(), memory);
  EXPECT_EQ(j["summary"]["cases"].get<int>(), timing);
  const CliRun text = run({"validate"});
  EXPECT_NE(text.out.find("memory rows: " + std::to_string(memory) + ", mean |error|"), std::string::npos) << text.out;
}

// The calibration set's MoE rows (Grok-1) have no other MoE group to fit a held-out band on: JSON
// gives that band as null, not 0..0, and the caveat says the rows count as outside; the bundled
// validation set fits every band on 2 or more groups and has no caveat.
TEST(Cli, ValidateCoverageSaysWhereNoBandCouldBeFitted) {
  const CliRun calibration = run({"validate", "--calibration", "--format", "json"});
  ASSERT_EQ(calibration.status, 0) << calibration.err;
  const auto coverage = nlohmann::json::parse(calibration.out).at("band_coverage");
  int without_band = 0;
  for (const auto& g : coverage.at("groups")) {
    if (g.at("groups_fitted").get<int>() > 0) {
      EXPECT_GT(g.at("band_high").get<double>(), g.at("band_low").get<double>()) << g.dump();
      continue;
    }
    ++without_band;
    EXPECT_TRUE(g.at("band_low").is_null() && g.at("band_high").is_null()) << g.dump();
    EXPECT_EQ(g.at("inside").get<int>(), 0) << g.dump();
  }
  EXPECT_GT(without_band, 0);
  EXPECT_NE(coverage.at("caveat").get<std::string>().find("no other group of their class to fit a band on (no band: they count as outside)"),
            std::string::npos)
      << coverage.dump();
  const CliRun validation = run({"validate", "--format", "json"});
  ASSERT_EQ(validation.status, 0) << validation.err;
  EXPECT_EQ(nlohmann::json::parse(validation.out).at("band_coverage").at("caveat").get<std::string>(), "");
}

}  // namespace trainplan

namespace trainplan {

TEST(Cli, PlanTableSaysWhichHardwareFiguresAreMeasured) {
  const CliRun published = run(llama_plan);
  ASSERT_EQ(published.status, 0) << published.err;
  EXPECT_NE(published.out.find("GEMM efficiency published, HBM bandwidth published, fused attention published (flash3 at 0.52 of "
                               "the bf16 peak here), busbw in a node published, across nodes nominal link rates"),
            std::string::npos)
      << published.out;
  // An nccl-tests file of two nodes replaces the across-node all-gather curve: measured.
  const CliRun measured = run(with(llama_plan, {"--probes", std::string(TRAINPLAN_TEST_FIXTURES) +
                                                                  "/../probes/fixtures/nccl_tests_all_gather_2nodes.json"}));
  ASSERT_EQ(measured.status, 0) << measured.err;
  EXPECT_NE(measured.out.find("across nodes measured"), std::string::npos) << measured.out;
}

}  // namespace trainplan

namespace trainplan {

TEST(Cli, MemoryHeadroomIsReportedAndDecidesTheFit) {
  const auto plan = [](const std::string& headroom) {
    const CliRun r = run(with(llama_plan, {"--format", "json", "--sequence-parallel", "--zero", "1", "--memory-headroom-gib", headroom}));
    EXPECT_EQ(r.status, 0) << r.err;
    return nlohmann::json::parse(r.out);
  };
  const auto none = plan("0");
  ASSERT_TRUE(none["fits_in_memory"].get<bool>());
  const double need = none["memory_per_gpu_gib"].get<double>();
  const auto roomy = plan(std::to_string(80.0 - need - 1.0));
  EXPECT_TRUE(roomy["fits_in_memory"].get<bool>());
  const auto tight = plan(std::to_string(80.0 - need + 1.0));
  EXPECT_FALSE(tight["fits_in_memory"].get<bool>());
  EXPECT_NEAR(tight["memory_headroom_gib"].get<double>(), 80.0 - need + 1.0, 1e-6);
  const CliRun text = run(with(llama_plan, {"--sequence-parallel", "--zero", "1", "--memory-headroom-gib", "10"}));
  EXPECT_NE(text.out.find("less 10.0 GiB headroom"), std::string::npos) << text.out;
}

}  // namespace trainplan
