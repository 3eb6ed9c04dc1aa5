// Megatron-LM flag names, --megatron-args and --nemo-recipe on the planning commands
// (planner/cli/framework_options.cpp).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "planner/cli/framework_options.hpp"

namespace trainplan {

namespace {
using testing::CliRun;
using testing::run;
using testing::with;

const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/";

std::size_t lines(const std::string& text) { return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')); }
}  // namespace

TEST(MegatronFlags, AliasesGiveTheSamePlanAsTrainplansFlags) {
  const std::vector<std::string> base = {"plan", "--model", "llama3-70b", "--gpus", "1024", "--tokens", "15T", "--format", "json"};
  const CliRun ours = run(with(base, {"--tp", "8", "--pp", "4", "--vp", "5", "--cp", "2", "--micro-batch", "1", "--global-batch",
                                      "512", "--seq-len", "8192", "--sequence-parallel", "--zero", "1", "--recompute", "selective",
                                      "--precision", "fp8", "--set", "model.layers=80"}));
  const CliRun megatron = run(with(base, {"--tensor-model-parallel-size", "8", "--pipeline-model-parallel-size", "4",
                                          "--num-layers-per-virtual-pipeline-stage", "4", "--context-parallel-size", "2",
                                          "--micro-batch-size", "1", "--global-batch-size", "512", "--seq-length", "8192",
                                          "--sequence-parallel", "--use-distributed-optimizer", "--recompute-granularity",
                                          "selective", "--fp8-format", "hybrid", "--num-layers", "80"}));
  ASSERT_EQ(ours.status, 0) << ours.err;
  ASSERT_EQ(megatron.status, 0) << megatron.err;
  EXPECT_EQ(megatron.out, ours.out);
  EXPECT_EQ(megatron.err, "");
  EXPECT_EQ(nlohmann::json::parse(megatron.out)["settings"]["vp"], 5);
}

// `plan` builds the Megatron-LM / NeMo options only for a command line that can name one (or asks for
// help); the rule must let through every spelling Boost would match, abbreviations included.
TEST(MegatronFlags, TheOptionsAreBuiltForEveryCommandLineThatCanNameOne) {
  boost::program_options::options_description own;
  own.add_options()("tp", "")("seq-len", "")("gpus", "")("zero", "");
  EXPECT_FALSE(framework_names_asked({"plan", "--gpus", "1024", "--tp", "8", "--seq-len=8192", "--format", "json"}, own));
  EXPECT_FALSE(framework_names_asked({"--zero=1", "--", "-", "8"}, own));
  EXPECT_TRUE(framework_names_asked({"--gpus", "8", "--tensor-model-parallel-size", "2"}, own));
  EXPECT_TRUE(framework_names_asked({"--tensor-model", "2"}, own));  // an abbreviation Boost accepts
  EXPECT_TRUE(framework_names_asked({"--seq", "8192"}, own));        // seq-len or seq-length: ambiguous with them
  EXPECT_TRUE(framework_names_asked({"--num-layers=80"}, own));
  EXPECT_TRUE(framework_names_asked({"--megatron-args=run.sh"}, own));
  EXPECT_TRUE(framework_names_asked({"--nemo", "recipe.yaml"}, own));
  EXPECT_TRUE(help_asked({"--help"}));
  EXPECT_TRUE(help_asked({"--he"}));
  EXPECT_TRUE(help_asked({"-h"}));
  EXPECT_FALSE(help_asked({"--hidden-size", "--", "help"}));
  const std::vector<std::string> base = {"plan", "--model", "llama3-70b", "--gpus", "1024", "--tokens", "15T", "--global-batch",
                                         "512", "--format", "json"};
  const CliRun full = run(with(base, {"--tensor-model-parallel-size", "8"}));
  const CliRun abbreviated = run(with(base, {"--tensor-model", "8"}));
  const CliRun ours = run(with(base, {"--tp", "8"}));
  ASSERT_EQ(full.status, 0) << full.err;
  EXPECT_EQ(abbreviated.out, full.out);
  EXPECT_EQ(ours.out, full.out);
  const CliRun help = run({"plan", "--help"});
  EXPECT_NE(help.out.find("--tensor-model-parallel-size"), std::string::npos);
  EXPECT_NE(help.out.find("--nemo-recipe"), std::string::npos);
  const CliRun unknown = run(with(base, {"--tensor-model-parallel-sizes", "8"}));
  EXPECT_NE(unknown.status, 0);
  const CliRun ambiguous = run(with(base, {"--seq", "8192"}));  // --seq-len or Megatron-LM's --seq-length
  EXPECT_NE(ambiguous.status, 0);
  EXPECT_NE(ambiguous.err.find("ambiguous"), std::string::npos) << ambiguous.err;
}

TEST(MegatronFlags, ModelShapeFlagsOverrideTheModelsFields) {
  const std::vector<std::string> base = {"plan", "--model", "mixtral-8x7b", "--gpus", "64", "--global-batch", "64", "--format", "json"};
  const CliRun set = run(with(base, {"--set", "model.layers=16", "--set", "model.moe.top_k=1", "--set", "model.kv_heads=4"}));
  const CliRun megatron = run(with(base, {"--num-layers", "16", "--moe-router-topk", "1", "--num-query-groups", "4"}));
  ASSERT_EQ(set.status, 0) << set.err;
  EXPECT_EQ(megatron.out, set.out);
  EXPECT_NE(run(base).out, set.out);  // the overrides change the plan
}

TEST(MegatronFlags, EveryPlanningCommandTakesThem) {
  for (const char* command : {"plan", "search", "size", "sweep", "compare", "report"}) {
    const CliRun r = run({command, "--help"});
    EXPECT_EQ(r.status, 0) << command;
    for (const char* flag : {"--tensor-model-parallel-size", "--num-layers", "--megatron-args", "--nemo-recipe"})
      EXPECT_NE(r.out.find(flag), std::string::npos) << command << " " << flag;
  }
  // A given alias fixes its knob in the search, as the trainplan flag does.
  const CliRun search = run({"search", "--model", "llama3-8b", "--gpus", "64", "--global-batch", "64", "--tensor-model-parallel-size",
                             "2", "--format", "json"});
  ASSERT_EQ(search.status, 0) << search.err;
  const auto plans = nlohmann::json::parse(search.out)["plans"];
  ASSERT_FALSE(plans.empty());
  for (const auto& p : plans) EXPECT_EQ(p["settings"]["tp"], 2);
}

TEST(MegatronFlags, ConflictsAndBadValuesNameTheFlagTyped) {
  const std::vector<std::string> base = {"plan", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "8"};
  const CliRun conflict = run(with(base, {"--tp", "8", "--tensor-model-parallel-size", "4"}));
  EXPECT_EQ(conflict.status, 2);
  EXPECT_NE(conflict.err.find("--tensor-model-parallel-size 4: gives tp 4 but --tp gives 8; give one"), std::string::npos) << conflict.err;
  EXPECT_EQ(lines(conflict.err), 1u);
  const CliRun zero = run(with(base, {"--tensor-model-parallel-size", "0"}));
  EXPECT_EQ(zero.status, 2);
  EXPECT_EQ(zero.err.rfind("trainplan plan: error: --tensor-model-parallel-size 0: ", 0), 0u) << zero.err;
  const CliRun layers = run(with(base, {"--num-layers", "0"}));
  EXPECT_EQ(layers.status, 2);
  EXPECT_NE(layers.err.find("--num-layers 0"), std::string::npos) << layers.err;
  const CliRun word = run(with(base, {"--fp8-format", "e5m2"}));
  EXPECT_EQ(word.status, 2);
  EXPECT_NE(word.err.find("--fp8-format e5m2: expected hybrid | e4m3, got 'e5m2'"), std::string::npos) << word.err;
  const CliRun virtual_stages = run(with(base, {"--num-layers-per-virtual-pipeline-stage", "3", "--pp", "2"}));
  EXPECT_EQ(virtual_stages.status, 2);
  EXPECT_NE(virtual_stages.err.find("32 layers are not a whole number"), std::string::npos) << virtual_stages.err;
}

TEST(MegatronArgsFlag, PlansTheLaunchScriptsModelAndLayout) {
  const CliRun imported = run({"plan", "--megatron-args", fixtures + "megatron/llama3-8b-fp8.args", "--gpus", "8", "--format", "json"});
  ASSERT_EQ(imported.status, 0) << imported.err;
  // One warning line naming what is not modelled.
  EXPECT_EQ(lines(imported.err), 1u);
  EXPECT_EQ(imported.err.rfind("trainplan plan: warning: --megatron-args ", 0), 0u) << imported.err;
  EXPECT_NE(imported.err.find("--overlap-param-gather (line"), std::string::npos);
  const auto j = nlohmann::json::parse(imported.out);
  EXPECT_EQ(j["settings"]["precision"], "fp8");
  EXPECT_EQ(j["settings"]["seq_len"], 8192);
  EXPECT_EQ(j["settings"]["global_batch"], 128);
  EXPECT_EQ(j["settings"]["zero"], 1);
  // --sequence-parallel at tp 1: Megatron-LM turns it off, so does the import, and says so.
  EXPECT_EQ(j["settings"]["sequence_parallel"], false);
  EXPECT_NE(imported.err.find(", line 54 (--sequence-parallel): sequence parallelism, off at tp 1"), std::string::npos) << imported.err;
  // The same shape as the bundled Llama 3 8B.
  const CliRun preset = run({"plan", "--model", "llama3-8b", "--gpus", "8", "--global-batch", "128", "--seq-len", "8192", "--format", "json"});
  EXPECT_EQ(j["params_total"], nlohmann::json::parse(preset.out)["params_total"]);
  // A flag given on the command line wins over the file.
  const CliRun tp2 = run({"plan", "--megatron-args", fixtures + "megatron/llama3-8b-fp8.args", "--gpus", "8", "--tp", "2", "--format", "json"});
  ASSERT_EQ(tp2.status, 0) << tp2.err;
  EXPECT_EQ(nlohmann::json::parse(tp2.out)["settings"]["tp"], 2);
  EXPECT_EQ(nlohmann::json::parse(tp2.out)["settings"]["sequence_parallel"], true);
}

TEST(MegatronArgsFlag, SearchAndSweepTakeTheFile) {
  const CliRun search = run({"search", "--megatron-args", fixtures + "megatron/mixtral-8x7b.args", "--gpus", "256", "--format", "json"});
  ASSERT_EQ(search.status, 0) << search.err;
  const nlohmann::json found = nlohmann::json::parse(search.out);  // kept: the loop walks into it
  for (const auto& p : found["plans"]) {
    EXPECT_EQ(p["settings"]["ep"], 8);
    EXPECT_EQ(p["settings"]["pp"], 4);
  }
}

TEST(MegatronArgsFlag, BadFilesExitTwoWithOneLine) {
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/with-variable.args";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("--num-layers 32 \\\n  --tensor-model-parallel-size $TP_SIZE \\\n", f);
  std::fclose(f);
  const CliRun r = run({"plan", "--megatron-args", path, "--gpus", "8", "--global-batch", "8"});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(lines(r.err), 1u);
  EXPECT_NE(r.err.find("--megatron-args " + path + " line 2: '$TP_SIZE' is a shell variable left unexpanded"), std::string::npos) << r.err;
  const CliRun missing = run({"plan", "--megatron-args", dir + "/none.args", "--gpus", "8", "--global-batch", "8"});
  EXPECT_EQ(missing.status, 2);
  const CliRun both = run({"plan", "--megatron-args", path, "--nemo-recipe", path, "--gpus", "8"});
  EXPECT_EQ(both.status, 2);
  EXPECT_NE(both.err.find("give --megatron-args or --nemo-recipe, not both"), std::string::npos) << both.err;
}

TEST(NemoRecipeFlag, PlansTheRecipeWithItsGpus) {
  const CliRun r = run({"plan", "--nemo-recipe", fixtures + "nemo/llama3-8b-pretrain.yaml", "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");  // every key of the recipe is read or on the documented ignore list
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["job"]["gpus"], 8);
  EXPECT_EQ(j["settings"]["cp"], 2);
  EXPECT_EQ(j["settings"]["global_batch"], 512);
  const CliRun bridge = run({"plan", "--nemo-recipe", fixtures + "nemo/llama3-70b-bridge.yaml", "--gpus", "1024", "--format", "json"});
  ASSERT_EQ(bridge.status, 0) << bridge.err;
  EXPECT_EQ(nlohmann::json::parse(bridge.out)["settings"]["vp"], 5);
  EXPECT_EQ(bridge.err.rfind("trainplan plan: warning: --nemo-recipe ", 0), 0u) << bridge.err;
}

}  // namespace trainplan

namespace trainplan {

TEST(FrameworkFiles, SizeAndSweepChooseTheirGpusAndAMaximumBatchWinsOverTheFiles) {
  const std::string recipe = std::string(TRAINPLAN_TEST_FIXTURES) + "/nemo/llama3-8b-pretrain.yaml";
  // The recipe's 1 node x 8 GPUs is plan's job size, not sweep's range.
  const CliRun sweep = testing::run({"sweep", "--nemo-recipe", recipe, "--format", "json"});
  EXPECT_EQ(sweep.status, 2);
  EXPECT_NE(sweep.err.find("--gpus"), std::string::npos) << sweep.err;
  // --max-global-batch searches the batch, the recipe's 512 aside.
  const CliRun search = testing::run({"search", "--nemo-recipe", recipe, "--max-global-batch", "64", "--format", "json"});
  ASSERT_EQ(search.status, 0) << search.err;
  const nlohmann::json found = nlohmann::json::parse(search.out);  // kept: the loop walks into it
  for (const auto& p : found["plans"]) EXPECT_LE(p["settings"]["global_batch"].get<int>(), 64);
}

}  // namespace trainplan
