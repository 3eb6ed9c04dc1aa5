// Input distributions, a seeded Latin hypercube, per-sample re-evaluation, percentiles and the tornado.
#include "planner/core/economics/uncertainty.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "planner/core/economics/sample_ranges.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/model/moe_layer.hpp"

namespace trainplan {

const char* to_string(DistributionKind kind) {
  switch (kind) {
    case DistributionKind::fixed: return "fixed";
    case DistributionKind::uniform: return "uniform";
    case DistributionKind::triangular: return "triangular";
    case DistributionKind::empirical: return "empirical";
  }
  return "?";
}

const char* to_string(UncertainInput input) {
  switch (input) {
    case UncertainInput::model_error_dense: return "model_error_dense";
    case UncertainInput::model_error_moe: return "model_error_moe";
    case UncertainInput::routing_efficiency: return "routing_efficiency";
    case UncertainInput::failure_rate: return "failure_rate";
    case UncertainInput::restart_time: return "restart_time";
    case UncertainInput::checkpoint_bandwidth: return "checkpoint_bandwidth";
    case UncertainInput::gpu_price: return "gpu_price";
    case UncertainInput::rent_price: return "rent_price";
    case UncertainInput::calibration: return "calibration";
    case UncertainInput::moe_imbalance: return "moe_imbalance";
  }
  return "?";
}

double InputDistribution::quantile(double u) const {
  u = std::clamp(u, 0.0, 1.0);
  switch (kind) {
    case DistributionKind::fixed: return mode;
    case DistributionKind::uniform: return low + u * (high - low);
    case DistributionKind::triangular: {
      const double width = high - low;
      if (width <= 0) return mode;
      const double split = (mode - low) / width;
      if (u < split) return low + std::sqrt(u * width * (mode - low));
      return high - std::sqrt((1 - u) * width * (high - mode));
    }
    case DistributionKind::empirical: {
      if (values.empty()) return 1;
      const double position = u * double(values.size() - 1);
      const auto below = static_cast<std::size_t>(std::floor(position));
      if (below + 1 >= values.size()) return values.back();
      const double t = position - double(below);
      return values[below] + t * (values[below + 1] - values[below]);
    }
  }
  return mode;
}

namespace {

// SplitMix64 (Steele, Lea, Flood 2014): a small generator whose output is the same everywhere.
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double unit() { return double(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(unit() * double(n)); }
};

}  // namespace

std::vector<InputSample> latin_hypercube(const UncertaintyModel& model) {
  const int n = std::max(1, model.samples);
  std::vector<InputSample> samples(static_cast<std::size_t>(n));
  SplitMix64 rng{model.seed};
  std::vector<std::size_t> strata(static_cast<std::size_t>(n));
  for (int input = 0; input < uncertain_input_count; ++input) {
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    for (std::size_t i = strata.size(); i > 1; --i) std::swap(strata[i - 1], strata[rng.below(i)]);  // Fisher-Yates
    for (int s = 0; s < n; ++s) {
      const double u = (double(strata[static_cast<std::size_t>(s)]) + rng.unit()) / double(n);
      samples[static_cast<std::size_t>(s)].multiplier[input] = model.inputs[input].quantile(u);
    }
  }
  return samples;
}

SampleEvaluator::SampleEvaluator(const Scenario& scenario, const NetworkCounts& network, const EconomicsModel& economics)
    : scenario_(scenario), network_(network), economics_(economics), varied_(scenario), varied_economics_(economics) {
  varied_economics_.monte_carlo.runs = 0;
}

const Scenario& SampleEvaluator::scenario_at(const InputSample& sample) {
  auto m = [&](UncertainInput input) { return sample.multiplier[static_cast<int>(input)]; };
  varied_.fabric.routing_efficiency = std::min(1.0, scenario_.fabric.routing_efficiency * m(UncertainInput::routing_efficiency));
  varied_.calibration.sustained_kernel_fraction =
      std::min(1.0, scenario_.calibration.sustained_kernel_fraction * m(UncertainInput::calibration));
  if (scenario_.model.is_moe())
    varied_.model.moe.load_imbalance = std::max(1.0, scenario_.model.moe.load_imbalance * m(UncertainInput::moe_imbalance));
  return varied_;
}

SampleOutcome SampleEvaluator::outcome(const PlanResult& result, const InputSample& sample) {
  if (!result.valid) return SampleOutcome{};
  return outcome(run_figures(result), sample);
}

SampleOutcome SampleEvaluator::outcome(RunFigures figures, const InputSample& sample) {
  SampleOutcome outcome;
  auto m = [&](UncertainInput input) { return sample.multiplier[static_cast<int>(input)]; };
  const double model_error = scenario_.model.is_moe() ? m(UncertainInput::model_error_moe) : m(UncertainInput::model_error_dense);
  figures.step_time_s *= model_error;
  figures.time_to_train_days *= model_error;

  // Each varied figure is the base one times its multiplier, set afresh for every sample.
  const EconomicsModel& base = economics_;
  EconomicsModel& e = varied_economics_;
  e.reliability.failures.unexpected_per_gpu_day = base.reliability.failures.unexpected_per_gpu_day * m(UncertainInput::failure_rate);
  e.reliability.recovery.restart_s = base.reliability.recovery.restart_s * m(UncertainInput::restart_time);
  e.reliability.checkpoint.storage_gb_s = base.reliability.checkpoint.storage_gb_s * m(UncertainInput::checkpoint_bandwidth);
  e.cost.buy.gpu_usd.low = base.cost.buy.gpu_usd.low * m(UncertainInput::gpu_price);
  e.cost.buy.gpu_usd.typical = base.cost.buy.gpu_usd.typical * m(UncertainInput::gpu_price);
  e.cost.buy.gpu_usd.high = base.cost.buy.gpu_usd.high * m(UncertainInput::gpu_price);
  e.cost.rent.usd_per_gpu_hour.low = base.cost.rent.usd_per_gpu_hour.low * m(UncertainInput::rent_price);
  e.cost.rent.usd_per_gpu_hour.typical = base.cost.rent.usd_per_gpu_hour.typical * m(UncertainInput::rent_price);
  e.cost.rent.usd_per_gpu_hour.high = base.cost.rent.usd_per_gpu_hour.high * m(UncertainInput::rent_price);
  const RunEconomics run = evaluate_run_economics(scenario_at(sample), figures, network_, e, &priced_network_, EstimateDetail::figures);
  outcome.valid = true;
  outcome.days_failure_free = run.time_to_train_days_failure_free;
  outcome.days = run.time_to_train_days;
  outcome.cost_usd = run.cost_usd;
  return outcome;
}

const PlanResult* SampleEvaluator::grid_point(GridIndex index) {
  for (const auto& [at, result] : grid_)
    if (at == index) return &result;
  if (grid_.size() >= max_grid_points) return nullptr;  // storage reserved: earlier pointers stay valid
  varied_.fabric.routing_efficiency = scenario_.fabric.routing_efficiency / (double(index.routing) * inverse_efficiency_step);
  if (scenario_.model.is_moe())  // at or above the capacity factor (operator() asks for no other), so it is the load factor
    varied_.model.moe.load_imbalance = index.load == GridIndex::load_floor
                                           ? load_factor_floor(scenario_.model.moe)
                                           : expert_load_factor(scenario_.model.moe) * (1 + double(index.load) * load_factor_step);
  grid_.emplace_back(index, evaluate(varied_, grid_plan_));
  return &grid_.back().second;
}

SampleOutcome SampleEvaluator::operator()(const ParallelPlan& plan, const InputSample& sample) {
  const Scenario& at = scenario_at(sample);
  const double efficiency = at.fabric.routing_efficiency;
  const double position = efficiency > 0 ? scenario_.fabric.routing_efficiency / efficiency / inverse_efficiency_step : 0;
  long load_below = 0, load_above = 1;
  double u = 0;  // the sample's place between its cell's lower and upper load points
  bool load_in_reach = true;
  if (scenario_.model.is_moe()) {
    const MoeShape& base = scenario_.model.moe;
    const double point = expert_load_factor(base);
    const double load = expert_load_factor(at.model.moe);
    const double load_position = point > 0 ? (load / point - 1) / load_factor_step : 0;
    load_in_reach = point > 0 && std::abs(load_position) < 1e6;
    if (load_in_reach) {
      load_below = static_cast<long>(std::floor(load_position));
      load_above = load_below + 1;
      const double upper = point * (1 + double(load_below + 1) * load_factor_step);
      double lower = point * (1 + double(load_below) * load_factor_step);
      // The kink of the load factor at its floor max(1, capacity factor) is not interpolated across:
      // a cell that reaches below it starts at the floor itself (no sample lies below it).
      if (lower < load_factor_floor(base)) {
        lower = load_factor_floor(base);
        load_below = GridIndex::load_floor;
      }
      u = upper > lower ? std::clamp((load - lower) / (upper - lower), 0.0, 1.0) : 0;
    }
  }
  const bool on_grid = at.calibration.sustained_kernel_fraction == scenario_.calibration.sustained_kernel_fraction;
  if (!on_grid || !load_in_reach || !(position >= 1 && position < 1e6)) return outcome(evaluate(varied_, plan), sample);
  if (!have_grid_plan_ || plan != grid_plan_) {
    grid_plan_ = plan;
    have_grid_plan_ = true;
    grid_.clear();
    grid_.reserve(max_grid_points);
  }
  const long below = static_cast<long>(std::floor(position));
  const double t = position - double(below);
  const PlanResult* r00 = grid_point({below, load_below});
  const PlanResult* r10 = t > 0 && r00 ? grid_point({below + 1, load_below}) : r00;
  const PlanResult* r01 = u > 0 && r00 ? grid_point({below, load_above}) : r00;
  const PlanResult* r11 = t > 0 && u > 0 && r10 && r01 ? grid_point({below + 1, load_above}) : (u > 0 ? r01 : r10);
  // A grid that would outgrow its points (a range of efficiencies wider than its steps cover), or a
  // plan impossible at a point: this sample is evaluated on its own.
  for (const PlanResult* r : {r00, r10, r01, r11})
    if (!r || !r->valid) return outcome(evaluate(scenario_at(sample), plan), sample);
  // Bilinear; at a point (t = u = 0) the point's own figures, unchanged.
  const auto blend = [&](double PlanResult::*field) {
    const double low = r00->*field + t * (r10->*field - r00->*field);
    const double high = r01->*field + t * (r11->*field - r01->*field);
    return low + u * (high - low);
  };
  RunFigures figures = run_figures(*r00);
  figures.step_time_s = blend(&PlanResult::step_time_s);
  figures.time_to_train_days = blend(&PlanResult::time_to_train_days);
  return outcome(figures, sample);
}

SampleOutcome evaluate_sample(const Scenario& scenario, const ParallelPlan& plan, const NetworkCounts& network,
                              const EconomicsModel& economics, const InputSample& sample) {
  return SampleEvaluator(scenario, network, economics)(plan, sample);
}

namespace {
double sorted_quantile(const std::vector<double>& values, double q) {
  if (values.empty()) return 0;
  const double position = std::clamp(q, 0.0, 1.0) * double(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  if (below + 1 >= values.size()) return values.back();
  const double t = position - double(below);
  return values[below] + t * (values[below + 1] - values[below]);
}
}  // namespace

UncertaintyModel model_for_class(const Scenario& scenario, const UncertaintyModel& model) {
  UncertaintyModel used = model;
  used[scenario.model.is_moe() ? UncertainInput::model_error_dense : UncertainInput::model_error_moe] = InputDistribution{};
  if (!scenario.model.is_moe()) used[UncertainInput::moe_imbalance] = InputDistribution{};  // no experts to balance
  return used;
}

std::vector<TornadoBar> tornado_bars(const UncertaintyModel& model,
                                     const std::function<SampleOutcome(const InputSample&)>& outcome_at) {
  // Each input p10 -> p90, the others at p50.
  InputSample median;
  for (int i = 0; i < uncertain_input_count; ++i) median.multiplier[i] = model.inputs[i].quantile(0.5);
  std::vector<TornadoBar> bars;
  for (int i = 0; i < uncertain_input_count; ++i) {
    const InputDistribution& d = model.inputs[i];
    TornadoBar bar;
    bar.input = static_cast<UncertainInput>(i);
    bar.multiplier_p10 = d.quantile(0.1);
    bar.multiplier_p90 = d.quantile(0.9);
    if (bar.multiplier_p10 == bar.multiplier_p90) continue;
    InputSample low = median, high = median;
    low.multiplier[i] = bar.multiplier_p10;
    high.multiplier[i] = bar.multiplier_p90;
    const SampleOutcome a = outcome_at(low);
    const SampleOutcome b = outcome_at(high);
    if (!a.valid || !b.valid) continue;
    bar.days_at_p10 = a.days;
    bar.days_at_p90 = b.days;
    bar.cost_at_p10 = a.cost_usd;
    bar.cost_at_p90 = b.cost_usd;
    bars.push_back(bar);
  }
  // Largest swing in days first; ties broken by the swing in cost, then by input order (stable).
  std::stable_sort(bars.begin(), bars.end(), [](const TornadoBar& x, const TornadoBar& y) {
    if (x.days_swing() != y.days_swing()) return x.days_swing() > y.days_swing();
    return std::abs(x.cost_at_p90 - x.cost_at_p10) > std::abs(y.cost_at_p90 - y.cost_at_p10);
  });
  if (bars.size() > 3) bars.resize(3);
  return bars;
}

double quantile_of(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return sorted_quantile(values, q);
}

Percentiles percentiles(std::vector<double> values) {
  Percentiles p;
  std::sort(values.begin(), values.end());
  p.p10 = sorted_quantile(values, 0.1);
  p.p50 = sorted_quantile(values, 0.5);
  p.p90 = sorted_quantile(values, 0.9);
  return p;
}

namespace {
std::vector<SampleOutcome> outcomes_of(SampleEvaluator& evaluate_at, const Scenario& scenario, const ParallelPlan& plan,
                                       const UncertaintyModel& model) {
  std::vector<SampleOutcome> outcomes;
  for (const InputSample& sample : latin_hypercube(model_for_class(scenario, model))) outcomes.push_back(evaluate_at(plan, sample));
  return outcomes;
}
}  // namespace

std::vector<SampleOutcome> sample_outcomes(const Scenario& scenario, const ParallelPlan& plan, const NetworkCounts& network,
                                           const EconomicsModel& economics, const UncertaintyModel& model) {
  SampleEvaluator evaluate_at(scenario, network, economics);
  return outcomes_of(evaluate_at, scenario, plan, model);
}

UncertaintySummary estimate_uncertainty(const Scenario& scenario, const ParallelPlan& plan, const NetworkCounts& network,
                                        const EconomicsModel& economics, const UncertaintyModel& model) {
  // The other class's model error does not apply: hold it at 1 so it neither samples nor swings.
  const UncertaintyModel used = model_for_class(scenario, model);
  const UncertainInput own_error = scenario.model.is_moe() ? UncertainInput::model_error_moe : UncertainInput::model_error_dense;

  UncertaintySummary summary;
  summary.seed = model.seed;
  summary.model_error_input = own_error;
  SampleEvaluator evaluate_at(scenario, network, economics);  // the samples and the tornado share the plan's grid
  set_sample_ranges(summary, sample_ranges(outcomes_of(evaluate_at, scenario, plan, model)));
  summary.tornado = tornado_bars(used, [&](const InputSample& sample) { return evaluate_at(plan, sample); });
  return summary;
}

}  // namespace trainplan
