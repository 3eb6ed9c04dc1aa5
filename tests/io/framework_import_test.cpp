// Megatron-LM argument lists and NeMo / Megatron-Bridge recipes read into trainplan's model and plan
// (planner/io/framework_import). Fixtures: tests/fixtures/megatron, tests/fixtures/nemo (each cites
// the published launch script or recipe it was written from).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "planner/io/description_loader.hpp"
#include "planner/io/framework_import.hpp"
#include "planner/io/input_error.hpp"

namespace trainplan {

namespace {

const std::string fixtures = std::string(TRAINPLAN_TEST_FIXTURES) + "/";

std::string plan_value(const ImportedRun& run, const std::string& key) {
  const auto it = run.plan.find(key);
  return it == run.plan.end() ? "" : it->second.value;
}

bool lists(const ImportedRun& run, const std::string& prefix) {
  return std::any_of(run.not_modelled.begin(), run.not_modelled.end(),
                     [&](const std::string& s) { return s.rfind(prefix, 0) == 0; });
}

std::string error_of(const std::string& text) {
  try {
    parse_megatron_args(text, "args.txt");
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// The shape fields a published preset and an imported model must share.
void expect_same_shape(const ModelShape& a, const ModelShape& b) {
  EXPECT_EQ(a.layers, b.layers);
  EXPECT_EQ(a.hidden, b.hidden);
  EXPECT_EQ(a.heads, b.heads);
  EXPECT_EQ(a.kv_heads, b.kv_heads);
  EXPECT_EQ(a.ffn, b.ffn);
  EXPECT_EQ(a.vocab, b.vocab);
  EXPECT_EQ(a.mlp, b.mlp);
  EXPECT_EQ(a.tied_embeddings, b.tied_embeddings);
  EXPECT_EQ(a.linear_biases, b.linear_biases);
  EXPECT_EQ(a.learned_positions, b.learned_positions);
  EXPECT_EQ(a.moe.routed_experts, b.moe.routed_experts);
  EXPECT_EQ(a.moe.top_k, b.moe.top_k);
  EXPECT_EQ(a.moe.expert_ffn, b.moe.expert_ffn);
}

// A recipe given as YAML text, read as the file "r.yaml"; and the error it raises ("" if none).
ImportedRun parse_recipe_text(const std::string& text) { return parse_nemo_recipe(YAML::Load(text), "r.yaml"); }
std::string nemo_recipe_error(const std::string& text) {
  try {
    parse_recipe_text(text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(MegatronArgs, Llama3LaunchScriptGivesTheLlama3ShapeAndLayout) {
  const ImportedRun run = import_megatron_args(fixtures + "megatron/llama3-8b-fp8.args");
  ASSERT_TRUE(run.has_whole_model());
  const ModelShape model = load_imported_model(run, {});
  expect_same_shape(model, load_model("llama3-8b", {}));
  EXPECT_EQ(model.head_dim, 128);
  EXPECT_FALSE(model.dropout);
  EXPECT_EQ(plan_value(run, "tp"), "1");
  EXPECT_EQ(plan_value(run, "cp"), "1");
  EXPECT_EQ(plan_value(run, "micro_batch"), "1");
  EXPECT_EQ(plan_value(run, "global_batch"), "128");
  EXPECT_EQ(plan_value(run, "seq_len"), "8192");
  EXPECT_EQ(plan_value(run, "precision"), "fp8");
  EXPECT_EQ(plan_value(run, "sequence_parallel"), "true");
  EXPECT_EQ(plan_value(run, "zero"), "1");
  EXPECT_EQ(plan_value(run, "fp8_params"), "true");
  EXPECT_EQ(plan_value(run, "fp32_grad_reduce"), "false");  // --grad-reduce-in-bf16
  EXPECT_EQ(plan_value(run, "dp_overlap"), "true");
  // Not modelled, so listed; optimizer and logging settings are the documented ignore list.
  EXPECT_TRUE(lists(run, "--overlap-param-gather"));
  EXPECT_TRUE(lists(run, "--attention-backend"));
  EXPECT_FALSE(lists(run, "--lr"));
  EXPECT_FALSE(lists(run, "--adam-beta1"));
  EXPECT_FALSE(lists(run, "--manual-gc"));
}

TEST(MegatronArgs, Gpt3LaunchScriptTakesMegatronDefaultsAndPadsTheVocabulary) {
  const ImportedRun run = import_megatron_args(fixtures + "megatron/gpt3-175b.args");
  const ModelShape model = load_imported_model(run, {});
  EXPECT_EQ(model.layers, 96);
  EXPECT_EQ(model.hidden, 12288);
  EXPECT_EQ(model.heads, 96);
  EXPECT_EQ(model.kv_heads, 96);
  EXPECT_EQ(model.ffn, 4 * 12288);             // Megatron-LM's default ffn
  EXPECT_EQ(model.mlp, MlpKind::gelu);
  EXPECT_EQ(model.vocab, 51200);               // 50,257 padded to a multiple of 128 x tp 8
  EXPECT_EQ(model.learned_positions, 2048);    // learned absolute positions, the default
  EXPECT_TRUE(model.tied_embeddings);
  EXPECT_TRUE(model.linear_biases);
  EXPECT_TRUE(model.dropout);                  // 0.1 by default
  EXPECT_EQ(plan_value(run, "tp"), "8");
  EXPECT_EQ(plan_value(run, "pp"), "16");
  EXPECT_EQ(plan_value(run, "global_batch"), "1536");
  EXPECT_EQ(plan_value(run, "precision"), "");  // --fp16: 16-bit, trainplan's bf16 default
  EXPECT_TRUE(lists(run, "--rampup-batch-size (line"));
  EXPECT_FALSE(lists(run, "--save"));
}

TEST(MegatronArgs, MixtralLaunchScriptGivesTheMixtralShape) {
  const ImportedRun run = import_megatron_args(fixtures + "megatron/mixtral-8x7b.args");
  expect_same_shape(load_imported_model(run, {}), load_model("mixtral-8x7b", {}));
  EXPECT_EQ(plan_value(run, "ep"), "8");
  EXPECT_EQ(plan_value(run, "pp"), "4");
  EXPECT_TRUE(lists(run, "--moe-token-dispatcher-type"));
}

TEST(MegatronArgs, QueryGroupsNeedGroupQueryAttentionAsInMegatron) {
  const ImportedRun run = parse_megatron_args("--num-layers 2 --hidden-size 256 --num-attention-heads 8\n--num-query-groups 2 --vocab-size 1000\n", "a");
  EXPECT_EQ(load_imported_model(run, {}).kv_heads, 8);
  EXPECT_TRUE(lists(run, "--num-query-groups (line 2"));
  const ImportedRun gqa = parse_megatron_args("--num-layers 2 --hidden-size 256 --num-attention-heads 8 --group-query-attention "
                                              "--num-query-groups 2 --vocab-size 1000", "a");
  EXPECT_EQ(load_imported_model(gqa, {}).kv_heads, 2);
}

TEST(MegatronArgs, SwigluWithoutFfnTakesMegatronsTwoThirdsRule) {
  const ImportedRun run = parse_megatron_args("--num-layers 2 --hidden-size=4096 --num-attention-heads 32 --swiglu --vocab-size 1000", "a");
  EXPECT_EQ(load_imported_model(run, {}).ffn, 10880);  // floor(4 x 4096 x 2/3 / 64) x 64
}

TEST(MegatronArgs, PartialListsBecomeModelOverrides) {
  const ImportedRun run = parse_megatron_args("--num-layers 40 --tensor-model-parallel-size 8 # a comment\n", "a");
  EXPECT_FALSE(run.has_whole_model());
  const auto overrides = model_overrides(run);
  ASSERT_EQ(overrides.size(), 1u);
  EXPECT_EQ(overrides[0].path, std::vector<std::string>{"layers"});
  EXPECT_EQ(load_model("llama3-70b", overrides).layers, 40);
}

// Megatron-FSDP's sharding strategies are ZeRO stages, read only with Megatron-FSDP on, and they decide
// the stage over --use-distributed-optimizer (zero 1), which its launch scripts pass beside them.
TEST(MegatronArgs, MegatronFsdpShardingStrategiesAreZeroStages) {
  const std::string shape = "--num-layers 2 --hidden-size 256 --num-attention-heads 8 --vocab-size 1000\n";
  for (const auto& [strategy, zero] : std::vector<std::pair<std::string, std::string>>{
           {"optim", "1"}, {"optim_grads", "2"}, {"optim_grads_params", "3"}}) {
    const ImportedRun run = parse_megatron_args(
        shape + "--use-megatron-fsdp\n--data-parallel-sharding-strategy " + strategy + "\n--use-distributed-optimizer\n", "a");
    EXPECT_EQ(plan_value(run, "zero"), zero) << strategy;
    EXPECT_FALSE(lists(run, "--use-megatron-fsdp"));
    EXPECT_FALSE(lists(run, "--data-parallel-sharding-strategy"));
  }
  // no_shard leaves the stage to the distributed optimizer; the older switch's name reads the same.
  EXPECT_EQ(plan_value(parse_megatron_args(shape + "--use-custom-fsdp --data-parallel-sharding-strategy no_shard "
                                                   "--use-distributed-optimizer\n", "a"),
                       "zero"),
            "1");
  // Without Megatron-FSDP Megatron-LM does not read the strategy: listed as not modelled, no stage set.
  const ImportedRun plain = parse_megatron_args(shape + "--data-parallel-sharding-strategy optim_grads_params\n", "a");
  EXPECT_TRUE(lists(plain, "--data-parallel-sharding-strategy"));
  EXPECT_EQ(plain.plan.count("zero"), 0u);
  // A strategy Megatron-LM does not have names the line and the choices.
  try {
    parse_megatron_args(shape + "--use-megatron-fsdp\n--data-parallel-sharding-strategy zero3\n", "args.txt");
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("args.txt line 3"), std::string::npos) << what;
    EXPECT_NE(what.find("optim_grads_params"), std::string::npos) << what;
  }
}

TEST(MegatronArgs, ErrorsNameTheLineAndWhatWasExpected) {
  EXPECT_NE(error_of("--num-layers 32 \\\n--hidden-size $HIDDEN\n").find("args.txt line 2: '$HIDDEN' is a shell variable"), std::string::npos);
  EXPECT_NE(error_of("--seq-length \"${SEQ}\"").find("line 1"), std::string::npos);
  EXPECT_NE(error_of("torchrun --num-layers 2").find("expected a Megatron-LM argument (--name), got 'torchrun'"), std::string::npos);
  EXPECT_NE(error_of("--num-layers 2\n--num-layers 3").find("line 2 (--num-layers): given twice (also on line 1)"), std::string::npos);
  EXPECT_NE(error_of("--sequence-parallel true").find("is a switch"), std::string::npos);
  EXPECT_NE(error_of("--num-layers many").find("(--num-layers): expected a number, got 'many'"), std::string::npos);
  EXPECT_NE(error_of("--num-layers 1 2").find("expected one value, got 2"), std::string::npos);
  EXPECT_NE(error_of("--recompute-granularity most").find("expected full | selective, got 'most'"), std::string::npos);
  EXPECT_NE(error_of("--split '99,1,0").find("unbalanced quote"), std::string::npos);
  EXPECT_NE(error_of("--num-layers 2 | tee log").find("shell syntax"), std::string::npos);
  EXPECT_NE(error_of("--fp8-format hybrid --fp8-format e4m3").find("given twice"), std::string::npos);
}

TEST(MegatronArgs, AWholeModelWithoutVocabularyAsksForIt) {
  const ImportedRun run = parse_megatron_args("--num-layers 2 --hidden-size 256 --num-attention-heads 8 --tokenizer-type Llama2Tokenizer", "a");
  try {
    load_imported_model(run, {});
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--vocab-size"), std::string::npos) << e.what();
  }
}

TEST(MegatronArgs, AnOutOfRangeShapeNamesTheLine) {
  const ImportedRun run = parse_megatron_args("--num-layers 2\n--hidden-size 256\n--num-attention-heads 7 --vocab-size 1000", "a");
  try {
    load_imported_model(run, {});
    FAIL() << "expected an error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("a line 3 (--num-attention-heads)", 0), 0u) << e.what();
  }
}

TEST(NemoRecipe, Nemo2Llama3RecipeGivesTheLlama3ShapeLayoutAndGpus) {
  const ImportedRun run = import_nemo_recipe(fixtures + "nemo/llama3-8b-pretrain.yaml");
  ASSERT_TRUE(run.has_whole_model());
  expect_same_shape(load_imported_model(run, {}), load_model("llama3-8b", {}));
  EXPECT_EQ(plan_value(run, "tp"), "1");
  EXPECT_EQ(plan_value(run, "pp"), "1");
  EXPECT_EQ(plan_value(run, "cp"), "2");
  EXPECT_EQ(plan_value(run, "vp"), "");  // null: the default
  EXPECT_EQ(plan_value(run, "sequence_parallel"), "false");
  EXPECT_EQ(plan_value(run, "global_batch"), "512");
  EXPECT_EQ(plan_value(run, "micro_batch"), "1");
  EXPECT_EQ(plan_value(run, "seq_len"), "8192");
  EXPECT_EQ(plan_value(run, "zero"), "1");
  EXPECT_EQ(plan_value(run, "gpus"), "8");
  EXPECT_EQ(plan_value(run, "fp32_grad_reduce"), "true");
  EXPECT_TRUE(run.not_modelled.empty()) << run.not_modelled.front();
}

TEST(NemoRecipe, MegatronBridgeLlama3Config) {
  const ImportedRun run = import_nemo_recipe(fixtures + "nemo/llama3-70b-bridge.yaml");
  const ModelShape model = load_imported_model(run, {});
  expect_same_shape(model, load_model("llama3-70b", {}));
  EXPECT_EQ(plan_value(run, "tp"), "4");
  EXPECT_EQ(plan_value(run, "pp"), "4");
  EXPECT_EQ(plan_value(run, "vp"), "5");
  EXPECT_EQ(plan_value(run, "cp"), "2");
  EXPECT_EQ(plan_value(run, "sequence_parallel"), "true");
  EXPECT_EQ(plan_value(run, "tp_overlap"), "true");
  EXPECT_EQ(plan_value(run, "precision"), "");  // bf16_mixed
  EXPECT_TRUE(lists(run, "ddp.overlap_param_gather"));
}

// Megatron-FSDP as the two readers' files set it: Megatron-Bridge's ddp (or dist) use_megatron_fsdp
// with ddp.data_parallel_sharding_strategy, NeMo 2.0's MegatronStrategy(fsdp="megatron") with the
// strategy's ddp config; the stages as --megatron-args reads them (MegatronArgs above).
TEST(NemoRecipe, MegatronFsdpShardingStrategiesAreZeroStages) {
  const auto parse = parse_recipe_text;
  for (const auto& [strategy, zero] : std::vector<std::pair<std::string, std::string>>{
           {"optim", "1"}, {"optim_grads", "2"}, {"optim_grads_params", "3"}}) {
    const ImportedRun bridge = parse("ddp: {use_distributed_optimizer: true, use_megatron_fsdp: true, data_parallel_sharding_strategy: " +
                                     strategy + "}\n");
    EXPECT_EQ(plan_value(bridge, "zero"), zero) << strategy;
    EXPECT_TRUE(bridge.not_modelled.empty()) << bridge.not_modelled.front();
    const ImportedRun dist = parse("dist: {use_megatron_fsdp: true}\nddp: {data_parallel_sharding_strategy: " + strategy + "}\n");
    EXPECT_EQ(plan_value(dist, "zero"), zero) << strategy;
    const ImportedRun nemo2 = parse("trainer: {strategy: {fsdp: megatron, ddp: {use_distributed_optimizer: true, "
                                    "data_parallel_sharding_strategy: " + strategy + "}}}\n");
    EXPECT_EQ(plan_value(nemo2, "zero"), zero) << strategy;
    EXPECT_TRUE(nemo2.not_modelled.empty()) << nemo2.not_modelled.front();
  }
  // no_shard leaves the stage to the distributed optimizer; ddp "megatron" is Megatron-Core's DDP.
  EXPECT_EQ(plan_value(parse("ddp: {use_distributed_optimizer: true, use_megatron_fsdp: true, data_parallel_sharding_strategy: no_shard}\n"),
                       "zero"),
            "1");
  EXPECT_TRUE(parse("trainer: {strategy: {ddp: megatron}}\n").not_modelled.empty());
  // Without Megatron-FSDP the strategy is not read: listed, no stage set. PyTorch FSDP is not Megatron-FSDP.
  const ImportedRun plain = parse("ddp: {data_parallel_sharding_strategy: optim_grads_params}\n");
  EXPECT_TRUE(lists(plain, "ddp.data_parallel_sharding_strategy"));
  EXPECT_EQ(plain.plan.count("zero"), 0u);
  const ImportedRun torch_fsdp = parse("trainer: {strategy: {fsdp: pytorch, ddp: {data_parallel_sharding_strategy: optim_grads}}}\n");
  EXPECT_TRUE(lists(torch_fsdp, "trainer.strategy.fsdp pytorch"));
  EXPECT_EQ(torch_fsdp.plan.count("zero"), 0u);
  const auto error = nemo_recipe_error;
  EXPECT_NE(error("ddp: {use_megatron_fsdp: true, data_parallel_sharding_strategy: zero3}\n")
                .find("r.yaml: ddp.data_parallel_sharding_strategy: expected no_shard | optim | optim_grads | optim_grads_params, got 'zero3'"),
            std::string::npos)
      << error("ddp: {use_megatron_fsdp: true, data_parallel_sharding_strategy: zero3}\n");
  EXPECT_NE(error("ddp: {use_megatron_fsdp: yes please}\n").find("expected true | false"), std::string::npos);
  // Two places disagreeing on the strategy: the error names both.
  EXPECT_NE(error("trainer: {strategy: {fsdp: megatron, ddp: {data_parallel_sharding_strategy: optim}}}\n"
                  "ddp: {data_parallel_sharding_strategy: optim_grads}\n")
                .find("is optim_grads, but r.yaml: trainer.strategy.ddp.data_parallel_sharding_strategy is optim"),
            std::string::npos);
}

// A YAML boolean reads the same in each of the core schema's spellings, in the named settings and in
// use_megatron_fsdp alike; other words are refused with what was expected.
TEST(NemoRecipe, BooleansInEverySpellingYamlAllows) {
  const auto parse = parse_recipe_text;
  for (const std::string yes : {"true", "True", "TRUE"}) {
    EXPECT_EQ(plan_value(parse("trainer: {strategy: {sequence_parallel: " + yes + "}}\n"), "sequence_parallel"), "true") << yes;
    EXPECT_EQ(plan_value(parse("ddp: {use_megatron_fsdp: " + yes + ", data_parallel_sharding_strategy: optim_grads}\n"), "zero"), "2")
        << yes;
  }
  for (const std::string no : {"false", "False", "FALSE"}) {
    EXPECT_EQ(plan_value(parse("trainer: {strategy: {sequence_parallel: " + no + "}}\n"), "sequence_parallel"), "false") << no;
    EXPECT_EQ(parse("ddp: {use_megatron_fsdp: " + no + ", data_parallel_sharding_strategy: optim_grads}\n").plan.count("zero"), 0u) << no;
  }
  const auto error = nemo_recipe_error;
  EXPECT_NE(error("trainer: {strategy: {sequence_parallel: tRUE}}\n").find("expected true | false, got 'tRUE'"), std::string::npos);
  EXPECT_NE(error("ddp: {use_megatron_fsdp: Yes}\n").find("expected true | false, got 'Yes'"), std::string::npos);
}

TEST(NemoRecipe, Fp8AndConflictsAndBadValues) {
  const auto parse = parse_recipe_text;
  EXPECT_EQ(plan_value(parse("mixed_precision: bf16_with_fp8_delayed_scaling_mixed\n"), "precision"), "fp8");
  EXPECT_EQ(plan_value(parse("trainer: {plugins: {fp8: hybrid}}\n"), "precision"), "fp8");
  const auto error = nemo_recipe_error;
  EXPECT_NE(error("model: {config: {seq_length: 8192}}\ndata: {seq_length: 4096}\n")
                .find("r.yaml: data.seq_length: sets plan.seq_len to 4096, but r.yaml: model.config.seq_length set it to 8192"),
            std::string::npos);
  EXPECT_NE(error("trainer: {strategy: {tensor_model_parallel_size: two}}\n").find("trainer.strategy.tensor_model_parallel_size: expected a number"),
            std::string::npos);
  EXPECT_NE(error("trainer: {strategy: {sequence_parallel: maybe}}\n").find("expected true | false, got 'maybe'"), std::string::npos);
  EXPECT_NE(error("- a\n- b\n").find("expected a recipe mapping"), std::string::npos);
  EXPECT_NE(error("trainer: {strategy: 3}\n").find("trainer.strategy: expected a mapping"), std::string::npos);
}

}  // namespace trainplan

namespace trainplan {

// docs/formats.md documents the subset: every name of the table is in its table, every plan target
// is an option of plan_option_table, and every Megatron-LM name is unique.
TEST(FrameworkNames, EveryNameIsDocumentedAndTargetsAnOption) {
  std::ifstream in(std::string(TRAINPLAN_TEST_FIXTURES) + "/../../docs/formats.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string docs = text.str();
  ASSERT_FALSE(docs.empty());
  std::set<std::string> megatron;
  for (const FrameworkName& n : framework_names()) {
    const std::string target = n.target;
    if (n.megatron[0]) {
      EXPECT_NE(docs.find("`--" + std::string(n.megatron)), std::string::npos) << n.megatron;
      EXPECT_TRUE(megatron.insert(n.megatron).second) << n.megatron;
    }
    if (n.nemo[0]) {
      EXPECT_NE(docs.find(n.nemo), std::string::npos) << n.nemo;
    }
    if (target.rfind("plan.", 0) == 0 && target != "plan.layers_per_virtual_stage") {
      EXPECT_NE(find_plan_option(target.substr(5)), nullptr) << target;
    } else if (target != "plan.layers_per_virtual_stage") {
      EXPECT_EQ(target.rfind("model.", 0), 0u) << target;
    }
  }
}

}  // namespace trainplan
