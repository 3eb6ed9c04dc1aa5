// The MLPerf Training rows of planner/data/validation.yaml (GPT-3 175B in v3.1-v4.1, Llama 3.1 405B in
// v5.0): their layouts must reproduce what each submission's result log states beside the step time
// (the global batch, the gradient-accumulation steps and the sequence length, mlcommons/training_results_v3.1
// to _v5.0), so that a row cannot silently drift from the run that produced its published figure.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>

#include "planner/core/validation.hpp"
#include "planner/io/validation_loader.hpp"

namespace trainplan {

TEST(ValidationMlperf, RowsReproduceTheLoggedGradientAccumulation) {
  // As logged (result_0.txt of each submission): gradient_accumulation_steps (= micro-batches a replica)
  // and max_sequence_length.
  struct Logged {
    int accumulation_steps;
    int sequence_length;
  };
  const std::map<std::string, Logged> logged = {
      {"mlperf-v3.1-nvidia-eos/512gpus", {128, 2048}},
      {"mlperf-v3.1-nvidia-eos/768gpus", {128, 2048}},
      {"mlperf-v3.1-nvidia-eos/4096gpus", {16, 2048}},
      {"mlperf-v3.1-nvidia-eos/6144gpus", {16, 2048}},
      {"mlperf-v3.1-nvidia-eos/8192gpus", {16, 2048}},
      {"mlperf-v3.1-nvidia-eos/10240gpus", {8, 2048}},
      {"mlperf-v3.1-nvidia-eos/10752gpus", {8, 2048}},
      {"mlperf-v3.1-azure/10752gpus", {8, 2048}},
      {"mlperf-v4.0-nvidia-eos/512gpus", {72, 2048}},
      {"mlperf-v4.0-nvidia-eos/10752gpus", {6, 2048}},
      {"mlperf-v4.0-nvidia-eos/11616gpus", {6, 2048}},
      {"mlperf-v4.1-nvidia-eos/256gpus", {128, 2048}},
      {"mlperf-v4.1-nvidia-eos/512gpus", {64, 2048}},
      {"mlperf-v4.1-oracle/1536gpus", {32, 2048}},
      {"mlperf-v4.1-oracle/3072gpus", {16, 2048}},
      {"mlperf-v5.0-nvidia-eos/512gpus", {288, 8192}},
      {"mlperf-v5.0-nvidia-eos/2048gpus", {72, 8192}},
      {"mlperf-v5.0-nvidia-eos/2432gpus", {64, 8192}},
      {"mlperf-v5.0-nvidia-eos/2560gpus", {56, 8192}},
      {"mlperf-v5.0-nvidia-eos/8192gpus", {24, 8192}}};
  int seen = 0;
  for (const auto& c : bundled_validation_set().cases) {
    if (c.group.rfind("mlperf-", 0) != 0) continue;
    const std::string name = c.group + "/" + c.name;
    const auto it = logged.find(name);
    ASSERT_NE(it, logged.end()) << name << ": an MLPerf row without its logged accumulation steps";
    ++seen;
    const ValidationRow row = run_validation_case(c);
    ASSERT_GT(row.plan.dp, 0) << name;
    EXPECT_EQ(row.plan.global_batch % (static_cast<std::int64_t>(row.plan.dp) * row.plan.micro_batch), 0) << name;
    EXPECT_EQ(row.plan.global_batch / (static_cast<std::int64_t>(row.plan.dp) * row.plan.micro_batch), it->second.accumulation_steps)
        << name << ": dp " << row.plan.dp << ", micro-batch " << row.plan.micro_batch;
    EXPECT_EQ(row.plan.seq_len, it->second.sequence_length) << name;
  }
  EXPECT_EQ(seen, static_cast<int>(logged.size()));
}

}  // namespace trainplan
