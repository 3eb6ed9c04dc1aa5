#include <gtest/gtest.h>

#include "planner/core/network/collective_cost.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/moe_layer.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan(int tp, int ep) {
  ParallelPlan p;
  p.tp = tp;
  p.ep = ep;
  p.seq_len = 4096;
  p.global_batch = 256;
  p.sequence_parallel = tp > 1;
  return p;
}
}  // namespace

TEST(Moe, MixtralParametersMatchPublishedTotals) {
  const ParameterCount p = count_parameters(testing::mixtral_8x7b());
  EXPECT_NEAR(p.total / 46.7e9, 1.0, 0.01);
  EXPECT_NEAR(p.active / 12.9e9, 1.0, 0.01);
  // Hand count of the difference: 6 inactive experts per layer.
  EXPECT_DOUBLE_EQ(p.total - p.active, 32.0 * 6 * 3 * 4096 * 14336);
}

TEST(Moe, LayerFlopsUseActiveExperts) {
  const ModelShape m = testing::mixtral_8x7b();
  const LayerWork w = moe_layer_work(m, plan(1, 1));
  const double tokens = 4096, h = 4096, d = 128;
  const double attention = 2 * tokens * h * (32 + 16) * d + 2 * tokens * 32 * d * h + 4 * tokens * tokens * 32 * d;
  const double experts = 2 * (2 * tokens * h * 14336 * 3);  // top-2, SwiGLU
  const double router = 2 * tokens * h * 8;
  EXPECT_DOUBLE_EQ(w.model_flops_forward, attention + experts + router);
  // Expert GEMMs: 8 local experts, each with tokens * top_k / 8 rows.
  EXPECT_DOUBLE_EQ(w.mlp_up.batch, 8);
  EXPECT_DOUBLE_EQ(w.mlp_up.m, tokens * 2 / 8);
  // Expert parallelism splits experts, not the tokens each GPU routes.
  const LayerWork split = moe_layer_work(m, plan(1, 8));
  EXPECT_DOUBLE_EQ(split.mlp_up.batch, 1);
  EXPECT_DOUBLE_EQ(split.mlp_up.flops(), w.mlp_up.flops());
  EXPECT_DOUBLE_EQ(split.ep_tokens * split.ep_copies_per_token * split.ep_dispatch_bytes_per_copy, tokens * 2 * h * 2);
}

TEST(Moe, OneExpertTopOneEqualsTheDenseModel) {
  ModelShape moe = testing::llama3_8b();
  moe.moe.routed_experts = 1;
  moe.moe.top_k = 1;
  moe.moe.expert_ffn = moe.ffn;
  const ModelShape dense = testing::llama3_8b();
  EXPECT_DOUBLE_EQ(count_parameters(moe).total, count_parameters(dense).total);
  ParallelPlan p = plan(8, 1);
  p.pp = 4;
  p.global_batch = 512;
  const PlanResult a = evaluate(testing::scenario(moe, 1024), p);
  const PlanResult b = evaluate(testing::scenario(dense, 1024), p);
  ASSERT_TRUE(a.valid && b.valid);
  EXPECT_NEAR(a.step_time_s, b.step_time_s, 1e-9 * b.step_time_s);
  EXPECT_NEAR(a.model_flops_per_step, b.model_flops_per_step, 1e-9 * b.model_flops_per_step);
  EXPECT_NEAR(a.memory_per_gpu_gib, b.memory_per_gpu_gib, 1e-9 * b.memory_per_gpu_gib);
}

TEST(Moe, ExpertParallelismInsideANodeStaysOnNvlink) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  // tp = 1, ep = 8: the 8 expert ranks are consecutive, one node.
  const CollectiveCost inside =
      collective_cost(sc.fabric, sc.profile, sc.calibration, Collective::all_to_all, {8, 1}, 64e6);
  EXPECT_EQ(inside.highest_tier, -1);
  // tp = 8, ep = 8: the expert ranks are 8 apart, one per node.
  const CollectiveCost across =
      collective_cost(sc.fabric, sc.profile, sc.calibration, Collective::all_to_all, {8, 8}, 64e6);
  EXPECT_GE(across.highest_tier, 0);
  EXPECT_GT(across.seconds, inside.seconds);
}

TEST(Moe, ExpertParallelCommunicationAppearsInTheBreakdown) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  const PlanResult one = evaluate(sc, plan(1, 1));
  const PlanResult eight = evaluate(sc, plan(1, 8));
  ASSERT_TRUE(one.valid && eight.valid);
  EXPECT_EQ(one.breakdown.ep_comm_s, 0);
  EXPECT_GT(eight.breakdown.ep_comm_s, 0);
  // Experts sharded over ep: less weight memory per GPU.
  EXPECT_LT(eight.memory.weights_bytes, one.memory.weights_bytes / 3);
}

TEST(Moe, BadExpertLayoutsAreImpossible) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  const PlanResult r = evaluate(sc, plan(1, 3));
  EXPECT_FALSE(r.valid);
  ASSERT_FALSE(r.problems.empty());
  EXPECT_NE(r.problems.front().find("routed experts"), std::string::npos);
}

TEST(Fp8, FasterThanBf16WithMfuAgainstTheBf16Peak) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  ParallelPlan p = plan(8, 1);
  p.global_batch = 64;
  const PlanResult bf16 = evaluate(sc, p);
  p.precision = Precision::fp8;
  const PlanResult fp8 = evaluate(sc, p);
  EXPECT_LT(fp8.step_time_s, bf16.step_time_s);
  EXPECT_NEAR(fp8.mfu, fp8.tflops_per_gpu / 989.4, 1e-9);
  EXPECT_NEAR(fp8.mfu_fp8, fp8.tflops_per_gpu / 1978.9, 1e-9);
}

}  // namespace trainplan

namespace trainplan {

TEST(Moe, OverlappedAllToAllHidesBehindCompute) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  ParallelPlan p = plan(1, 8);
  const PlanResult exposed = evaluate(sc, p);
  p.ep_overlap = true;
  const PlanResult overlapped = evaluate(sc, p);
  EXPECT_LT(overlapped.breakdown.ep_comm_s, exposed.breakdown.ep_comm_s);
  EXPECT_LT(overlapped.step_time_s, exposed.step_time_s);
}

TEST(Fp8, SavesGemmInputsInOneByte) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  ParallelPlan p = plan(8, 1);
  p.global_batch = 64;
  const double bf16 = evaluate(sc, p).memory.activations_bytes;
  p.precision = Precision::fp8;
  const double fp8 = evaluate(sc, p).memory.activations_bytes;
  EXPECT_LT(fp8, bf16);
  EXPECT_GT(fp8, 0.6 * bf16);  // norms, Q/K/V and activations stay in bf16
}

}  // namespace trainplan

namespace trainplan {

namespace {
// DeepSeek-V3's shape (its config.json): MLA, 3 leading dense layers, 256 routed + 1 shared expert.
ModelShape deepseek_v3() {
  ModelShape m;
  m.name = "deepseek-v3";
  m.layers = 61;
  m.hidden = 7168;
  m.heads = 128;
  m.kv_heads = 128;
  m.ffn = 18432;
  m.mlp = MlpKind::swiglu;
  m.vocab = 129280;
  m.attention = AttentionKind::mla;
  m.mla = {1536, 512, 128, 64, 128};
  m.moe.routed_experts = 256;
  m.moe.shared_experts = 1;
  m.moe.top_k = 8;
  m.moe.expert_ffn = 2048;
  m.moe.first_dense_layers = 3;
  return m;
}
}  // namespace

TEST(Moe, DeepSeekV3ParametersMatchPublishedTotals) {
  const ParameterCount p = count_parameters(deepseek_v3());
  EXPECT_NEAR(p.total / 671e9, 1.0, 0.01);
  // The published "37B activated" is rounded; the shape gives 37.55B (1.5% above it).
  EXPECT_NEAR(p.active / 37e9, 1.0, 0.02);
  // Hand count of total - active: 58 MoE layers x 248 inactive experts x 3 x 7168 x 2048.
  EXPECT_DOUBLE_EQ(p.total - p.active, 58.0 * 248 * 3 * 7168 * 2048);
}

TEST(Mla, GemmShapesAndAttentionFlopsByHand) {
  ParallelPlan p = plan(8, 1);
  p.cp = 2;
  const LayerWork w = dense_layer_work(deepseek_v3(), p);
  const double tokens = 4096 / 2, h = 7168, heads = 128 / 8;
  // Down-projections unsplit: to q_lora (1536), kv_lora (512) and the shared rope key (64).
  EXPECT_DOUBLE_EQ(w.mla_down.flops(), 2 * tokens * h * (1536 + 512 + 64));
  EXPECT_DOUBLE_EQ(w.qkv.flops(), 2 * tokens * 1536 * heads * (128 + 64));       // Q up, per TP rank
  EXPECT_DOUBLE_EQ(w.mla_kv_up.flops(), 2 * tokens * 512 * heads * (128 + 128));  // K_nope and V up
  EXPECT_DOUBLE_EQ(w.out_proj.flops(), 2 * tokens * heads * 128 * h);
  // Attention core: qk dims 128 + 64, v dims 128, full s_local x s square per head (causal: half).
  EXPECT_DOUBLE_EQ(w.flash_attention_flops, 0.5 * 2 * heads * tokens * 4096 * (192 + 128));
  // The ring passes per-head K (192 dims) and V (128 dims) of the local tokens.
  EXPECT_DOUBLE_EQ(w.cp_kv_chunk_bytes, tokens * heads * (192 + 128) * 2);
  // Model FLOPs count the replicated down-projections once per TP group.
  EXPECT_DOUBLE_EQ(w.model_flops_forward, w.mla_down.flops() / 8 + w.qkv.flops() + w.mla_kv_up.flops() + w.out_proj.flops() +
                                              w.mlp_up.flops() + w.mlp_down.flops() + 2 * w.flash_attention_flops);
}

TEST(Moe, TensorParallelExpertsGatherTheRoutedTokens) {
  const LayerWork w = moe_layer_work(testing::mixtral_8x7b(), plan(8, 1));
  const double tokens = 4096, h = 4096;
  // Attention keeps its all-gather/reduce-scatter pair; the experts' pair carries top_k copies.
  EXPECT_EQ(w.tp_collectives_forward, 1);
  EXPECT_EQ(w.tp_expert_collectives_forward, 1);
  EXPECT_DOUBLE_EQ(w.tp_expert_message_bytes, tokens * 2 * h * 2);
  EXPECT_DOUBLE_EQ(w.tp_message_bytes, tokens * h * 2);
  // A shared expert gathers the layer's tokens as a dense MLP does.
  ModelShape shared = testing::mixtral_8x7b();
  shared.moe.shared_experts = 1;
  EXPECT_EQ(moe_layer_work(shared, plan(8, 1)).tp_collectives_forward, 2);
}

TEST(Moe, EveryLayerDenseEqualsTheDenseModel) {
  // An MoE model whose every layer is a leading dense layer: no expert anywhere.
  const ModelShape dense = testing::llama3_8b();
  ModelShape moe = dense;
  moe.moe.routed_experts = 8;
  moe.moe.top_k = 2;
  moe.moe.expert_ffn = 1024;
  moe.moe.first_dense_layers = moe.layers;
  ParallelPlan p = plan(8, 1);
  p.pp = 4;
  p.global_batch = 512;
  const PlanResult a = evaluate(testing::scenario(moe, 1024), p);
  const PlanResult b = evaluate(testing::scenario(dense, 1024), p);
  ASSERT_TRUE(a.valid && b.valid);
  EXPECT_DOUBLE_EQ(a.params_total, b.params_total);
  EXPECT_NEAR(a.step_time_s, b.step_time_s, 1e-9 * b.step_time_s);
  EXPECT_NEAR(a.memory_per_gpu_gib, b.memory_per_gpu_gib, 1e-9 * b.memory_per_gpu_gib);
}

TEST(Moe, LeadingDenseLayersRunAsDenseLayers) {
  // With ep = 8 a dense layer has no all-to-all: the more leading dense layers, the less EP traffic
  // in the (single) stage, exactly one MoE layer's share per layer turned dense.
  ModelShape m = testing::mixtral_8x7b();
  m.moe.expert_ffn = m.ffn;
  const ParallelPlan p = plan(1, 8);
  const PlanResult none = evaluate(testing::scenario(m, 64), p);
  m.moe.first_dense_layers = 8;
  const PlanResult eight = evaluate(testing::scenario(m, 64), p);
  ASSERT_TRUE(none.valid && eight.valid);
  EXPECT_NEAR(eight.breakdown.ep_comm_s, none.breakdown.ep_comm_s * 24.0 / 32.0, 1e-9 * none.breakdown.ep_comm_s);
  EXPECT_LT(eight.step_time_s, none.step_time_s);
}

TEST(Moe, DeepSeekV3MiddleStagesHoldTheMostExperts) {
  // pp = 16 over 61 layers (uneven): the first stage holds 3 layers, all dense; a middle stage 4
  // MoE layers. The memory reported is the fullest stage's, and at least a middle stage's experts.
  ParallelPlan p = plan(1, 64);
  p.pp = 16;
  p.uneven_pipeline = true;
  p.global_batch = 1024;
  p.zero_stage = 1;
  const Scenario sc = testing::scenario(deepseek_v3(), 2048);
  const PlanResult r = evaluate(sc, p);
  ASSERT_TRUE(r.valid);
  const double expert_weights = 4.0 * 256 / 64 * 3 * 7168 * 2048 * 2.0;  // 4 layers x 4 local experts, bf16
  EXPECT_GT(r.memory.weights_bytes, expert_weights);
}

TEST(Moe, GroupedExpertGemmsRunAtTheirOwnSizesEfficiency) {
  // A size-dependent curve: small GEMMs are slow. Eight local experts of an eighth of the rows
  // each (ep = 1) run slower than one expert with all the rows (ep = 8), for the same FLOPs.
  Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  sc.profile.gemm_bf16_fraction_by_flops = {{1e9, 1e13}, {0.2, 0.8}};
  const PlanResult one = evaluate(sc, plan(1, 1));
  const PlanResult eight = evaluate(sc, plan(1, 8));
  ASSERT_TRUE(one.valid && eight.valid);
  EXPECT_GT(one.breakdown.compute_s, eight.breakdown.compute_s);
}

TEST(Fp8, KeepsAnFp8WeightCopyAndItsTranspose) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 64);
  ParallelPlan p = plan(8, 1);
  p.global_batch = 64;
  const double bf16 = evaluate(sc, p).memory.weights_bytes;
  p.precision = Precision::fp8;
  // 2 bytes bf16 + 1 + 1 fp8 on every GEMM weight; the embedding and the output head (bf16 lookup
  // and bf16 logits GEMM) keep none.
  const ParameterCount count = count_parameters(sc.model);
  const double unquantized = (count.embedding + count.output_head) / p.tp;
  EXPECT_DOUBLE_EQ(evaluate(sc, p).memory.weights_bytes, 2.0 * bf16 - 2.0 * unquantized);
  EXPECT_GT(unquantized, 0.1e9);  // Llama 3 8B: 2 x 128,256 x 4,096 over tp 8
  p.zero_stage = 3;  // gathered per layer: the fp8 copies are transient
  const double zero3_fp8 = evaluate(sc, p).memory.weights_bytes;
  p.precision = Precision::bf16;
  EXPECT_DOUBLE_EQ(zero3_fp8, evaluate(sc, p).memory.weights_bytes);
}

}  // namespace trainplan

namespace trainplan {

TEST(Fp8, RouterStaysInBf16) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  LayerWork router_only;
  router_only.router = {4096, 8, 4096, 1};
  ParallelPlan p = plan(1, 1);
  const double bf16_s = layer_time(router_only, sc, p).forward_compute_s;
  p.precision = Precision::fp8;
  EXPECT_GT(bf16_s, 0);
  EXPECT_DOUBLE_EQ(layer_time(router_only, sc, p).forward_compute_s, bf16_s);
  // An expert GEMM of the same shape does run faster in fp8.
  LayerWork expert_only;
  expert_only.mlp_up = {4096, 14336, 4096, 1};
  EXPECT_LT(layer_time(expert_only, sc, p).forward_compute_s, layer_time(expert_only, sc, plan(1, 1)).forward_compute_s);
}

}  // namespace trainplan

namespace trainplan {

// MoE parallel folding: the routed experts' own tensor parallelism (expert_tp), independent of the
// attention's tp. The experts' ranks tile the same tp*dp*cp GPUs of a stage as expert_tp x ep x expert-dp.
TEST(ExpertTensorParallel, DefaultsToTheAttentionsTp) {
  ParallelPlan p = plan(4, 2);
  p.dp = 16;
  EXPECT_EQ(p.routed_expert_tp(), 4);
  EXPECT_EQ(p.expert_data_parallel(), 8);  // dp*cp/ep, as before the folding
  p.expert_tp = 1;
  EXPECT_EQ(p.routed_expert_tp(), 1);
  EXPECT_EQ(p.expert_data_parallel(), 32);  // tp*dp*cp / (1 x 2)
}

TEST(ExpertTensorParallel, ExpertTpOneKeepsWholeExpertsAndDropsTheirTpCollectives) {
  // tp 8 for attention, the experts unsplit (expert_tp 1): each GPU's local expert is whole, and
  // receives the routed copies of its own sequence-parallel share (tokens / tp) from each EP peer.
  ParallelPlan p = plan(8, 8);
  p.expert_tp = 1;
  const LayerWork folded = moe_layer_work(testing::mixtral_8x7b(), p);
  const double tokens = 4096, h = 4096;
  EXPECT_EQ(folded.tp_expert_collectives_forward, 0);
  EXPECT_DOUBLE_EQ(folded.mlp_up.n, 2.0 * 14336);  // SwiGLU up + gate, unsplit
  EXPECT_DOUBLE_EQ(folded.mlp_up.batch, 1);        // 8 experts over ep 8
  // One local expert receives tokens/tp x top_k copies from each of the 8 EP ranks on average:
  // tokens x top_k / 8 experts x 8 ranks / tp.
  EXPECT_DOUBLE_EQ(folded.mlp_up.m, tokens / 8 * 2);
  // Same expert FLOPs per GPU as expert_tp = tp (the split moves to the rows, not the columns).
  ParallelPlan split = plan(8, 8);
  const LayerWork unfolded = moe_layer_work(testing::mixtral_8x7b(), split);
  EXPECT_DOUBLE_EQ(folded.mlp_up.flops(), unfolded.mlp_up.flops());
  EXPECT_EQ(unfolded.tp_expert_collectives_forward, 1);
  // The attention keeps its TP pair either way.
  EXPECT_EQ(folded.tp_collectives_forward, 1);
  EXPECT_DOUBLE_EQ(folded.tp_message_bytes, tokens * h * 2);
}

TEST(ExpertTensorParallel, ExpertWeightsShardOverExpertTpTimesEp) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 64);
  ParallelPlan p = plan(2, 4);
  p.expert_tp = 2;
  const PlanResult split = evaluate(sc, p);
  p.expert_tp = 1;
  const PlanResult folded = evaluate(sc, p);
  ASSERT_TRUE(split.valid && folded.valid) << (split.problems.empty() ? "" : split.problems.front());
  // Expert weights per GPU: 32 layers x 8 experts x 3 x 4096 x 14336 x 2 bytes / (expert_tp x ep).
  const double experts = 32.0 * 8 * 3 * 4096 * 14336 * 2;
  const double rest_split = split.memory.weights_bytes - experts / 8;
  const double rest_folded = folded.memory.weights_bytes - experts / 4;
  EXPECT_NEAR(rest_split, rest_folded, 1e-6 * rest_split);  // only the experts' share changed
  EXPECT_GT(rest_split, 0);
}

TEST(ExpertTensorParallel, BadFoldingsAreImpossible) {
  const Scenario sc = testing::scenario(testing::mixtral_8x7b(), 8);
  ParallelPlan p = plan(2, 8);
  p.dp = 4;  // tp*dp = 8 GPUs a stage: expert_tp 2 x ep 8 = 16 does not divide them
  p.expert_tp = 2;
  PlanResult r = evaluate(sc, p);
  EXPECT_FALSE(r.valid);
  bool named = false;
  for (const std::string& why : r.problems) named = named || why.find("expert tp x ep") != std::string::npos;
  EXPECT_TRUE(named) << r.problems.size();
  p = plan(1, 1);
  p.expert_tp = 3;  // does not divide the expert width 14336
  r = evaluate(sc, p);
  EXPECT_FALSE(r.valid);
  // A dense model has no experts to fold.
  ParallelPlan dense = plan(2, 1);
  dense.expert_tp = 1;
  EXPECT_FALSE(evaluate(testing::scenario(testing::llama3_8b(), 64), dense).valid);
}

}  // namespace trainplan

namespace trainplan {

// Multi-token prediction (DeepSeek-V3 section 2.2): modules on the last stage, outside the totals.
TEST(MultiTokenPrediction, ParametersByHandAndOutsideTheTotals) {
  ModelShape m = deepseek_v3();
  const ParameterCount without = count_parameters(m);
  m.mtp_layers = 1;
  const ParameterCount with = count_parameters(m);
  EXPECT_DOUBLE_EQ(with.total, without.total);    // the published 671B leaves the module out
  EXPECT_DOUBLE_EQ(with.active, without.active);
  // One MoE layer (attention, norms, router, 256 + 1 experts), the 2h x h projection, two norms.
  const double h = 7168;
  const double layer = without.attention_per_layer + without.norms_per_layer + without.moe_mlp_per_layer;
  EXPECT_DOUBLE_EQ(with.mtp, layer + 2 * h * h + 2 * h);
  // Hugging Face's checkpoint stores the module with its own copies of the embedding and head:
  // "685B = 671B main model + 14B MTP module" (DeepSeek-V3 model card). Within 5% of that.
  EXPECT_NEAR((with.mtp + 2 * 129280 * h) / 14e9, 1.0, 0.05);
}

TEST(MultiTokenPrediction, RunsOnTheLastStageAndCostsTime) {
  ModelShape m = testing::mixtral_8x7b();
  ParallelPlan p = plan(1, 8);
  p.pp = 4;
  p.global_batch = 256;
  const Scenario sc = testing::scenario(m, 256);
  const PlanResult base = evaluate(sc, p);
  m.mtp_layers = 1;
  const PlanResult mtp = evaluate(testing::scenario(m, 256), p);
  ASSERT_TRUE(base.valid && mtp.valid);
  EXPECT_GT(mtp.step_time_s, base.step_time_s);          // the last stage is now the busiest
  EXPECT_GT(mtp.hardware_flops_per_step, base.hardware_flops_per_step);
  EXPECT_DOUBLE_EQ(mtp.model_flops_per_step, base.model_flops_per_step);  // MFU counts the main model
  EXPECT_GT(mtp.params_mtp, 0);
  EXPECT_EQ(base.params_mtp, 0);
  EXPECT_GE(mtp.memory_per_gpu_gib, base.memory_per_gpu_gib);
}

TEST(BalancedPipeline, AHeavyLastStageGivesUpLayers) {
  // 32 layers on 4 stages; with uneven_pipeline the split minimises the busiest stage. Adding
  // multi-token prediction to the last stage moves layers off it, and the step is then faster
  // than keeping the even split with the module on top.
  ModelShape m = testing::llama3_8b();
  m.mtp_layers = 2;
  ParallelPlan p;
  p.pp = 4;
  p.seq_len = 4096;
  p.global_batch = 64;
  const Scenario sc = testing::scenario(m, 4);
  const PlanResult even = evaluate(sc, p);
  p.uneven_pipeline = true;
  const PlanResult balanced = evaluate(sc, p);
  ASSERT_TRUE(even.valid && balanced.valid);
  EXPECT_LT(balanced.step_time_s, even.step_time_s);
  EXPECT_LT(balanced.stage_layers_last, even.stage_layers_last);
  EXPECT_EQ(even.stage_layers_first + 2 * even.stage_layers_middle + even.stage_layers_last, 32);
  // Llama 3 405B (head worth well under a layer): its own rule stands, 126 layers on 16 stages with
  // one fewer layer on the first and the last (7, 8 x 14, 7; paper section 3.3.2).
  ModelShape llama = testing::llama3_8b();
  llama.layers = 126;
  llama.hidden = 16384;
  llama.heads = 128;
  llama.ffn = 53248;
  ParallelPlan q;
  q.tp = 8;
  q.pp = 16;
  q.seq_len = 8192;
  q.global_batch = 256;
  q.sequence_parallel = true;
  q.uneven_pipeline = true;
  const PlanResult rule = evaluate(testing::scenario(llama, 128), q);
  ASSERT_TRUE(rule.valid);
  EXPECT_EQ(rule.stage_layers_first, 7);
  EXPECT_EQ(rule.stage_layers_middle, 8);
  EXPECT_EQ(rule.stage_layers_last, 7);
  // Llama 3 8B's shape on the same 126 layers: its head (vocabulary 128K, hidden 4096) is worth
  // over two layers, so the balanced split moves a layer from the last stage to the first.
  ModelShape small = testing::llama3_8b();
  small.layers = 126;
  q.tp = 1;
  q.sequence_parallel = false;
  const PlanResult heavy_head = evaluate(testing::scenario(small, 16), q);
  EXPECT_LT(heavy_head.stage_layers_last, heavy_head.stage_layers_first);
}

TEST(Moe, AllToAllDispatcherSortsReceivedTokensByExpert) {
  // Megatron's all-to-all dispatcher sorts the received copies into expert order (several local
  // experts); DeepEP-style hierarchical dispatch does not.
  ParallelPlan p = plan(1, 2);  // 4 local experts of Mixtral's 8
  const LayerWork a2a = moe_layer_work(testing::mixtral_8x7b(), p);
  p.moe_dispatcher = MoeDispatcher::hierarchical;
  const LayerWork deepep = moe_layer_work(testing::mixtral_8x7b(), p);
  const double copies = 4096.0 * 2;  // tokens x top_k received by this GPU on average
  EXPECT_DOUBLE_EQ(a2a.elementwise_bytes - deepep.elementwise_bytes, 2.0 * 2.0 * copies * 4096 * 2);
  EXPECT_EQ(a2a.elementwise_kernels, deepep.elementwise_kernels + 2);
  // One local expert (ep = 8): nothing to sort.
  ParallelPlan one = plan(1, 8);
  const LayerWork single = moe_layer_work(testing::mixtral_8x7b(), one);
  one.moe_dispatcher = MoeDispatcher::hierarchical;
  EXPECT_DOUBLE_EQ(single.elementwise_bytes, moe_layer_work(testing::mixtral_8x7b(), one).elementwise_bytes);
}

}  // namespace trainplan
