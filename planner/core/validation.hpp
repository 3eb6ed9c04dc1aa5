#pragma once
// Predicting published training runs from their configuration, and the error found.
#include <string>
#include <vector>

#include "planner/core/plan_result.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

enum class ValidationMetric {
  step_time_s,                    // wall time of one optimizer step
  tflops_per_gpu_with_recompute,  // Narayanan et al. 2021's formula (recomputation counted) / (step time * GPUs)
  tflops_per_gpu,                 // model FLOPs per GPU per second (no recomputation)
  gpu_hours_per_trillion_tokens,  // GPUs x hours to train on 1e12 tokens, failure-free
  tokens_per_second_per_gpu,      // training tokens per second per GPU (NeMo's performance tables)
  params_total,                   // parameter count
  params_active,                  // parameters a token passes through (MoE)
  // Peak device memory per GPU the run's allocator held (GiB), against the model's tensors on its
  // most loaded GPU: weights, gradients, optimizer state and activations, without the fixed
  // overhead (CUDA context, NCCL and cuBLAS workspaces), which a PyTorch allocator peak leaves out.
  memory_per_gpu_gib,
};
inline bool is_parameter_metric(ValidationMetric m) {
  return m == ValidationMetric::params_total || m == ValidationMetric::params_active;
}
inline bool is_memory_metric(ValidationMetric m) { return m == ValidationMetric::memory_per_gpu_gib; }
// A timing row: step time or a throughput (neither a parameter count nor a memory figure).
inline bool is_timing_metric(ValidationMetric m) { return !is_parameter_metric(m) && !is_memory_metric(m); }
const char* to_string(ValidationMetric metric);

struct ValidationCase {
  std::string name;
  std::string group;
  std::string source;
  ValidationMetric metric = ValidationMetric::step_time_s;
  double published = 0;
  Scenario scenario;
  ParallelPlan plan;
  // Knobs the source does not state ("auto"): when non-empty, the case is predicted with the
  // fastest of these plans that fits in memory — what the run's authors, who tuned them, would pick.
  std::vector<ParallelPlan> candidates;
  // params_active rows: the publisher counts a token's active parameters without the input
  // embedding table (a lookup that multiplies nothing; DeepSeek's convention), rather than with it
  // (Mistral's).
  bool active_without_input_embedding = false;
};

struct ValidationRow {
  std::string name;
  std::string group;
  ValidationMetric metric = ValidationMetric::step_time_s;
  double published = 0;
  double predicted = 0;
  double error_pct = 0;   // (predicted - published) / published * 100
  std::string problem;    // non-empty when the configuration could not be evaluated
  ParallelPlan plan;      // the plan predicted (an "auto" knob resolved)
  // Memory of that plan: a row whose configuration the model finds does not fit is still predicted
  // (the run happened), and says so, since the model then disagrees with the published run.
  bool fits_in_memory = true;
  double memory_per_gpu_gib = 0;
  double memory_capacity_gib = 0;
};

struct ValidationSummary {
  int cases = 0;
  double mean_abs_error_pct = 0;
  double max_abs_error_pct = 0;
  std::string worst_case;
};

// Narayanan et al. 2021, eq. (3): FLOPs per step with full recomputation,
// 96*B*s*l*h^2*(1 + s/(6h) + V/(16*l*h)).
double narayanan_flops_per_step(const ModelShape& model, const ParallelPlan& plan);

ValidationRow run_validation_case(const ValidationCase& c);
// Summary over the rows whose metric is (or is not) a parameter count; memory rows are in neither.
ValidationSummary summarize(const std::vector<ValidationRow>& rows, bool parameter_rows);
// Summary over the memory rows alone.
ValidationSummary summarize_memory(const std::vector<ValidationRow>& rows);

// How much faster the model is than the published run: predicted / published throughput - 1, in
// percent, whatever the metric (for a time, published / predicted - 1). > 0: the model is
// optimistic. NaN for parameter counts and rows that could not be evaluated.
double speed_bias_pct(const ValidationRow& row);

// Per group, in order of first appearance: timing rows (memory and parameter rows left out), mean
// |error| and mean speed bias.
struct GroupSummary {
  std::string group;
  int cases = 0;
  double mean_abs_error_pct = 0;
  double mean_speed_bias_pct = 0;
};
std::vector<GroupSummary> summarize_groups(const std::vector<ValidationRow>& rows);

}  // namespace trainplan
