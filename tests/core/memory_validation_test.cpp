// Memory rows of the validation: published per-GPU peaks against the model's memory accounting.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "planner/core/evaluate.hpp"
#include "planner/core/model/layer_work.hpp"
#include "planner/core/validation.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/validation_loader.hpp"
#include "test_models.hpp"

namespace trainplan {

// The target is every published per-GPU peak within 10%. It is not met: the model reads 14-22% low
// on every row (docs/validation.md, "Memory": the caching allocator's reserved but free blocks and
// FSDP2's own storage are not modelled). This guard keeps the error found from growing unnoticed:
// every row within 25%, and none above its published peak by more than 10% (a model that read high
// would drop plans that run). It prints each row's error.
TEST(MemoryValidation, EachPublishedPeakWithinTheGuardAroundItsFoundError) {
  const ValidationSet set = bundled_memory_validation_set();
  ASSERT_FALSE(set.cases.empty());
  for (const auto& c : set.cases) {
    const std::string name = c.group + "/" + c.name;
    ASSERT_EQ(c.metric, ValidationMetric::memory_per_gpu_gib) << name;
    const ValidationRow row = run_validation_case(c);
    ASSERT_TRUE(row.problem.empty()) << name << ": " << row.problem;
    std::printf("%s: published %.1f GiB, model %.1f GiB (%+.1f%%; target within 10%%)\n", name.c_str(), row.published,
                row.predicted, row.error_pct);
    EXPECT_LE(std::abs(row.error_pct), 25.0) << name << ": published " << row.published << " GiB, model " << row.predicted
                                             << " GiB (" << row.error_pct << "%)";
    EXPECT_LE(row.error_pct, 10.0) << name;
  }
}

// The memory row compares the model's tensors, without its fixed overhead, with the published peak.
TEST(MemoryValidation, PredictionIsTheModelsTensorsWithoutTheFixedOverhead) {
  const ValidationSet set = bundled_memory_validation_set();
  ASSERT_FALSE(set.cases.empty());
  const ValidationCase& c = set.cases.front();
  const PlanResult r = evaluate(c.scenario, c.plan);
  ASSERT_TRUE(r.valid);
  ASSERT_GT(r.memory.overhead_bytes, 0);
  const ValidationRow row = run_validation_case(c);
  const double gib = 1024.0 * 1024.0 * 1024.0;
  EXPECT_NEAR(row.predicted, r.memory_per_gpu_gib - r.memory.overhead_bytes / gib, 1e-9);
  EXPECT_NEAR(row.error_pct, (row.predicted - c.published) / c.published * 100.0, 1e-9);
}

// Memory rows move neither the timing summary nor the groups' speed bias, and have their own summary.
TEST(MemoryValidation, MemoryRowsHaveTheirOwnSummary) {
  ValidationRow timing;
  timing.group = "g";
  timing.metric = ValidationMetric::step_time_s;
  timing.published = 10;
  timing.predicted = 11;
  timing.error_pct = 10;
  ValidationRow memory = timing;
  memory.group = "m";
  memory.metric = ValidationMetric::memory_per_gpu_gib;
  memory.error_pct = -30;
  const std::vector<ValidationRow> rows = {timing, memory};
  const ValidationSummary t = summarize(rows, false);
  EXPECT_EQ(t.cases, 1);
  EXPECT_DOUBLE_EQ(t.mean_abs_error_pct, 10.0);
  const ValidationSummary m = summarize_memory(rows);
  EXPECT_EQ(m.cases, 1);
  EXPECT_DOUBLE_EQ(m.max_abs_error_pct, 30.0);
  EXPECT_EQ(m.worst_case, "m/");
  EXPECT_EQ(summarize(rows, true).cases, 0);
  EXPECT_TRUE(std::isnan(speed_bias_pct(memory)));
  const std::vector<GroupSummary> groups = summarize_groups(rows);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups.front().group, "g");
}

// PyTorch's F.cross_entropy on an fp32 copy holds three fp32 logits-sized tensors at its backward
// (four vocabulary-parallel); a fused cross-entropy one.
TEST(MemoryValidation, UnfusedCrossEntropyHoldsThreeFp32LogitCopies) {
  const ModelShape model = testing::llama3_8b();
  ParallelPlan plan;
  plan.tp = 2;
  plan.micro_batch = 2;
  plan.seq_len = 4096;
  const double fp32_logits = 2.0 * 4096 * (static_cast<double>(model.vocab) / 2.0) * 4.0;
  EXPECT_DOUBLE_EQ(head_work(model, plan).saved_activation_bytes, fp32_logits);
  plan.cross_entropy = CrossEntropy::unfused;  // vocabulary-parallel (loss_parallel): four
  EXPECT_DOUBLE_EQ(head_work(model, plan).saved_activation_bytes, 4.0 * fp32_logits);
  plan.tp = 1;  // one rank: three
  EXPECT_DOUBLE_EQ(head_work(model, plan).saved_activation_bytes, 3.0 * 2.0 * fp32_logits);
}

TEST(MemoryValidation, AMemoryRowCannotLeaveItsRecipeToAuto) {
  const std::string text = R"(groups:
  - name: g
    source: s
    metric: memory_per_gpu_gib
    gpu: h100-sxm
    model_preset: llama3-8b
    plan: {tp: 1, pp: 1, recompute: auto, seq_len: 4096, global_batch: 8}
    cases:
      - {name: a, plan: {gpus: 8}, published: 40}
)";
  try {
    load_validation_set(text, "memory.yaml");
    FAIL() << "an auto knob on a memory row was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("memory_per_gpu_gib"), std::string::npos) << e.what();
  }
}

// Every run of the memory set ran, so none may be reported as not fitting: the TorchTitan rows ran on
// 96 GB H100s, which their group states with gpu_fields over the bundled 80 GB part.
TEST(MemoryValidation, EveryRunThatRanFitsOnTheGpuItRanOn) {
  const ValidationSet set = bundled_memory_validation_set();
  ASSERT_FALSE(set.cases.empty());
  for (const auto& c : set.cases) {
    const PlanResult r = evaluate(c.scenario, c.plan);
    ASSERT_TRUE(r.valid) << c.name;
    EXPECT_TRUE(r.fits_in_memory) << c.group << "/" << c.name << ": " << r.memory_per_gpu_gib << " of "
                                  << c.scenario.gpu.hbm_gib << " GiB";
  }
}

namespace {
const char* const kGpuFieldsSet = R"(groups:
  - name: g
    source: s
    metric: memory_per_gpu_gib
    gpu: h100-sxm
    gpu_fields: {FIELDS}
    model_preset: llama3-8b
    plan: {tp: 1, pp: 1, recompute: none, micro_batch: 1, seq_len: 4096, global_batch: 8}
    cases:
      - {name: a, plan: {gpus: 8}, published: 40}
)";
std::string gpu_fields_set(const std::string& fields) {
  std::string text = kGpuFieldsSet;
  text.replace(text.find("{FIELDS}"), 8, fields);
  return text;
}
}  // namespace

// gpu_fields lays fields over the group's GPU preset, as --set gpu.<field> would.
TEST(MemoryValidation, GpuFieldsSetTheGroupsGpu) {
  const ValidationSet set = load_validation_set(gpu_fields_set("{hbm_gib: 96}"), "memory.yaml");
  ASSERT_EQ(set.cases.size(), 1u);
  EXPECT_DOUBLE_EQ(set.cases[0].scenario.gpu.hbm_gib, 96.0);
  EXPECT_DOUBLE_EQ(load_validation_set(gpu_fields_set("{}"), "memory.yaml").cases[0].scenario.gpu.hbm_gib, 80.0);
}

// A wrong gpu_fields entry is an error naming the file and the field, not a silent default.
TEST(MemoryValidation, AWrongGpuFieldNamesTheFileAndField) {
  for (const std::string fields : {"{hbm_gib: -5}", "{hbm_gib: lots}", "{no_such_field: 1}", "[96]"}) {
    try {
      load_validation_set(gpu_fields_set(fields), "memory.yaml");
      ADD_FAILURE() << fields << " was accepted";
    } catch (const InputError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("memory.yaml"), std::string::npos) << fields << ": " << what;
      EXPECT_NE(what.find("gpu_fields"), std::string::npos) << fields << ": " << what;
    }
  }
}

// compute_s by kind of work (compute_parts.hpp) adds up to compute_s on every bundled run: dense and
// MoE, MLA, bf16 and fp8, recomputation none, selective and full, the routed activation re-run.
TEST(ComputeParts, SumToTheStepsComputeOnEveryBundledRun) {
  int checked = 0;
  for (const ValidationSet& set : {bundled_validation_set(), bundled_calibration_set(), bundled_memory_validation_set()})
    for (const auto& c : set.cases) {
      const PlanResult r = evaluate(c.scenario, c.plan);
      if (!r.valid) continue;
      const ComputeParts& p = r.breakdown.compute_parts;
      EXPECT_NEAR(p.total(), r.breakdown.compute_s, 1e-9 * r.breakdown.compute_s) << c.group << "/" << c.name;
      EXPECT_GT(p.gemm_s, 0) << c.name;
      EXPECT_GT(p.attention_s, 0) << c.name;
      EXPECT_GT(p.memory_bound_s, 0) << c.name;
      EXPECT_GE(p.fp8_cast_s, 0) << c.name;
      EXPECT_EQ(p.fp8_cast_s > 0, c.plan.precision == Precision::fp8) << c.name;
      ++checked;
    }
  EXPECT_GT(checked, 100);
}

}  // namespace trainplan
