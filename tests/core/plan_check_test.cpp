#include "planner/core/plan_check.hpp"

#include <gtest/gtest.h>

#include "test_models.hpp"

namespace trainplan {

namespace {
std::vector<std::string> problems(ParallelPlan plan, int gpus, ModelShape model = testing::gpt3_175b()) {
  return check_plan(model, testing::h100(), gpus, plan);
}
bool mentions(const std::vector<std::string>& list, const std::string& text) {
  for (const auto& p : list)
    if (p.find(text) != std::string::npos) return true;
  return false;
}
ParallelPlan base() {
  ParallelPlan p;
  p.tp = 8;
  p.pp = 8;
  p.global_batch = 1024;
  return p;
}
}  // namespace

TEST(PlanCheck, ResolvesDataParallelism) {
  ParallelPlan p = base();
  EXPECT_TRUE(check_plan(testing::gpt3_175b(), testing::h100(), 1024, p).empty());
  EXPECT_EQ(p.dp, 16);
}

TEST(PlanCheck, TensorParallelMustDivideHeads) {
  ParallelPlan p = base();
  p.tp = 7;
  EXPECT_TRUE(mentions(problems(p, 7 * 8 * 4), "does not divide the attention heads"));
}

TEST(PlanCheck, PipelineMustDivideLayers) {
  ParallelPlan p = base();
  p.pp = 5;
  EXPECT_TRUE(mentions(problems(p, 8 * 5 * 4), "does not divide the layers"));
  p.uneven_pipeline = true;
  EXPECT_FALSE(mentions(problems(p, 8 * 5 * 4), "does not divide the layers"));
}

TEST(PlanCheck, GlobalBatchMustSplitOverDataParallelMicroBatches) {
  ParallelPlan p = base();
  p.global_batch = 1000;
  EXPECT_TRUE(mentions(problems(p, 1024), "not a multiple of dp*micro_batch"));
}

TEST(PlanCheck, GpusMustBeAMultipleOfModelParallelism) {
  EXPECT_TRUE(mentions(problems(base(), 1000), "not a multiple of tp*pp*cp"));
}

TEST(PlanCheck, HugeSizesAreRefusedWithoutOverflow) {
  // 2^21 cubed passes 2^63: the check must say so, not wrap (UBSan watches this in the hardened build).
  ParallelPlan p = base();
  p.tp = p.pp = p.cp = 1 << 21;
  EXPECT_TRUE(mentions(problems(p, 10'000'000), "exceeds gpus"));
}

TEST(PlanCheck, ExplicitDpMustMatch) {
  ParallelPlan p = base();
  p.dp = 4;
  EXPECT_TRUE(mentions(problems(p, 1024), "tp*pp*cp*dp"));
}

TEST(PlanCheck, Fp8NeedsFp8TensorCores) {
  ParallelPlan p = base();
  p.precision = Precision::fp8;
  GpuSpec a100 = testing::h100();
  a100.fp8_dense_tflops = 0;
  a100.name = "A100";
  EXPECT_TRUE(mentions(check_plan(testing::gpt3_175b(), a100, 1024, p), "fp8"));
}

TEST(PlanCheck, InterleavingNeedsPipelineAndDivisibleMicrobatches) {
  ParallelPlan p = base();
  p.pp = 1;
  p.vp = 2;
  EXPECT_TRUE(mentions(problems(p, 1024), "needs pp > 1"));
  p = base();
  p.vp = 2;
  p.global_batch = 16 * 12;  // 12 micro-batches per pipeline, not a multiple of pp = 8
  EXPECT_TRUE(mentions(problems(p, 1024), "multiple of pp"));
}

TEST(PlanCheck, ZeroOrNegativeSizesAreRejected) {
  ParallelPlan p = base();
  p.micro_batch = 0;
  EXPECT_TRUE(mentions(problems(p, 1024), "micro_batch must be at least 1"));
  EXPECT_TRUE(mentions(problems(base(), 0), "gpus must be at least 1"));
}

}  // namespace trainplan
