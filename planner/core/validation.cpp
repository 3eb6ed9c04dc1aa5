#include "planner/core/validation.hpp"

#include <algorithm>
#include <cmath>

#include "planner/core/evaluate.hpp"
#include "planner/core/model/parameter_count.hpp"

namespace trainplan {

const char* to_string(ValidationMetric metric) {
  switch (metric) {
    case ValidationMetric::step_time_s: return "step_time_s";
    case ValidationMetric::tflops_per_gpu_with_recompute: return "tflops_per_gpu_with_recompute";
    case ValidationMetric::tflops_per_gpu: return "tflops_per_gpu";
    case ValidationMetric::gpu_hours_per_trillion_tokens: return "gpu_hours_per_trillion_tokens";
    case ValidationMetric::tokens_per_second_per_gpu: return "tokens_per_second_per_gpu";
    case ValidationMetric::params_total: return "params_total";
    case ValidationMetric::params_active: return "params_active";
    case ValidationMetric::memory_per_gpu_gib: return "memory_per_gpu_gib";
  }
  return "?";
}

double narayanan_flops_per_step(const ModelShape& m, const ParallelPlan& plan) {
  const double B = static_cast<double>(plan.global_batch);
  const double s = plan.seq_len;
  const double l = m.layers;
  const double h = static_cast<double>(m.hidden);
  const double V = static_cast<double>(m.vocab);
  return 96.0 * B * s * l * h * h * (1.0 + s / (6.0 * h) + V / (16.0 * l * h));
}

ValidationRow run_validation_case(const ValidationCase& c) {
  ValidationRow row;
  row.name = c.name;
  row.group = c.group;
  row.metric = c.metric;
  row.published = c.published;
  if (is_parameter_metric(c.metric)) {
    const ParameterCount count = count_parameters(c.scenario.model);
    row.predicted = c.metric == ValidationMetric::params_total ? count.total
                    : c.active_without_input_embedding        ? count.active - count.embedding
                                                              : count.active;
  } else {
    // The fastest candidate that fits; when none does (the model's memory estimate is above what
    // the run used), the one that needs the least memory, since the run did fit.
    PlanResult r = evaluate(c.scenario, c.plan);
    for (const ParallelPlan& candidate : c.candidates) {
      PlanResult trial = evaluate(c.scenario, candidate);
      if (!trial.valid) continue;
      const bool better = !r.valid ||
                          (trial.fits_in_memory ? !r.fits_in_memory || trial.step_time_s < r.step_time_s
                                                : !r.fits_in_memory && trial.memory_per_gpu_gib < r.memory_per_gpu_gib);
      if (better) r = std::move(trial);
    }
    row.plan = r.plan;
    row.fits_in_memory = r.fits_in_memory;
    row.memory_per_gpu_gib = r.memory_per_gpu_gib;
    row.memory_capacity_gib = r.memory_capacity_gib;
    if (!r.valid) {
      row.problem = r.problems.empty() ? "invalid plan" : r.problems.front();
      row.predicted = NAN;
      row.error_pct = NAN;
      return row;
    }
    switch (c.metric) {
      case ValidationMetric::step_time_s: row.predicted = r.step_time_s; break;
      case ValidationMetric::tflops_per_gpu_with_recompute:
        row.predicted = narayanan_flops_per_step(c.scenario.model, r.plan) / (r.step_time_s * c.scenario.job.gpus) / 1e12;
        break;
      case ValidationMetric::tflops_per_gpu: row.predicted = r.tflops_per_gpu; break;
      case ValidationMetric::gpu_hours_per_trillion_tokens:
        row.predicted = c.scenario.job.gpus * (1e12 / r.tokens_per_second) / 3600.0;
        break;
      case ValidationMetric::tokens_per_second_per_gpu: row.predicted = r.tokens_per_second / c.scenario.job.gpus; break;
      case ValidationMetric::memory_per_gpu_gib:
        row.predicted = (r.memory.total() - r.memory.overhead_bytes) / static_cast<double>(1ull << 30);
        break;
      case ValidationMetric::params_total:
      case ValidationMetric::params_active: break;
    }
  }
  row.error_pct = (row.predicted - row.published) / row.published * 100.0;
  return row;
}

namespace {

template <typename Chosen>
ValidationSummary summarize_rows(const std::vector<ValidationRow>& rows, Chosen chosen) {
  ValidationSummary s;
  double sum = 0;
  for (const auto& row : rows) {
    if (!chosen(row.metric)) continue;
    ++s.cases;
    // A row that could not be evaluated counts as an unbounded error, never as a silent pass.
    const double error = row.problem.empty() ? std::abs(row.error_pct) : INFINITY;
    sum += error;
    if (error > s.max_abs_error_pct || s.worst_case.empty()) {
      s.max_abs_error_pct = std::max(s.max_abs_error_pct, error);
      if (error >= s.max_abs_error_pct) s.worst_case = row.group + "/" + row.name;
    }
  }
  s.mean_abs_error_pct = s.cases > 0 ? sum / s.cases : 0.0;
  return s;
}

}  // namespace

ValidationSummary summarize(const std::vector<ValidationRow>& rows, bool parameter_rows) {
  return summarize_rows(rows, [&](ValidationMetric m) { return parameter_rows ? is_parameter_metric(m) : is_timing_metric(m); });
}

ValidationSummary summarize_memory(const std::vector<ValidationRow>& rows) { return summarize_rows(rows, is_memory_metric); }

double speed_bias_pct(const ValidationRow& row) {
  if (!is_timing_metric(row.metric) || !row.problem.empty() || !(row.predicted > 0) || !(row.published > 0)) return NAN;
  const bool time_like = row.metric == ValidationMetric::step_time_s || row.metric == ValidationMetric::gpu_hours_per_trillion_tokens;
  const double ratio = time_like ? row.published / row.predicted : row.predicted / row.published;
  return (ratio - 1.0) * 100.0;
}

std::vector<GroupSummary> summarize_groups(const std::vector<ValidationRow>& rows) {
  std::vector<GroupSummary> groups;
  for (const auto& row : rows) {
    if (!is_timing_metric(row.metric)) continue;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const GroupSummary& g) { return g.group == row.group; });
    if (it == groups.end()) {
      groups.push_back({row.group, 0, 0, 0});
      it = groups.end() - 1;
    }
    ++it->cases;
    // A row that could not be evaluated makes its group's figures unbounded, as in summarize().
    it->mean_abs_error_pct += row.problem.empty() ? std::abs(row.error_pct) : INFINITY;
    it->mean_speed_bias_pct += row.problem.empty() ? speed_bias_pct(row) : NAN;
  }
  for (auto& g : groups) {
    g.mean_abs_error_pct /= g.cases;
    g.mean_speed_bias_pct /= g.cases;
  }
  return groups;
}

}  // namespace trainplan
