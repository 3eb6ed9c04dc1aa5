#pragma once
// Honest ranges: the plan's days and dollars as distributions rather than single numbers. Named
// inputs (the model's own error by class, routing efficiency, failure rate, restart time, checkpoint
// bandwidth, prices) each get a distribution of a multiplier on the point value; a seeded Latin
// hypercube draws samples, the plan is re-evaluated per sample (the layout is kept, not re-searched),
// and the report gives p10 / p50 / p90 and a tornado table. Pure functions over plain structs.
// The model and the sources of the default distributions: docs/uncertainty.md,
// planner/data/uncertainty.yaml.
#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

enum class DistributionKind {
  fixed,       // always `mode`
  uniform,     // between low and high
  triangular,  // low, most likely mode, high
  empirical,   // the values as an empirical distribution (linear between order statistics)
};
const char* to_string(DistributionKind kind);

// A distribution of a multiplier on an input's point value (1 = the point value).
struct InputDistribution {
  DistributionKind kind = DistributionKind::fixed;
  double low = 1, mode = 1, high = 1;
  std::vector<double> values;  // empirical: sorted ascending, at least one
  std::string source;          // where the figures come from
  // The value at cumulative probability u in [0, 1].
  double quantile(double u) const;
};

// The inputs the model varies, in the order of UncertaintyModel::inputs.
enum class UncertainInput {
  model_error_dense,   // step time x factor for a dense model (validate's residuals)
  model_error_moe,     // same for a mixture-of-experts model
  routing_efficiency,  // scale-out routing efficiency x factor (capped at 1)
  failure_rate,        // unexpected interruptions per GPU-day x factor
  restart_time,        // restart time x factor
  checkpoint_bandwidth,  // storage write bandwidth x factor
  gpu_price,           // GPU purchase price x factor (buy basis)
  rent_price,          // rent per GPU-hour x factor (rent basis)
  calibration,         // the calibration's sustained kernel fraction x factor (capped at 1)
  moe_imbalance,       // an MoE model's load imbalance (busiest expert / mean) x factor (floored at 1)
};
inline constexpr int uncertain_input_count = 10;
const char* to_string(UncertainInput input);

struct UncertaintyModel {
  InputDistribution inputs[uncertain_input_count];
  int samples = 64;         // Latin hypercube samples per plan
  std::uint64_t seed = 1;   // same seed, same samples
  const InputDistribution& operator[](UncertainInput input) const { return inputs[static_cast<int>(input)]; }
  InputDistribution& operator[](UncertainInput input) { return inputs[static_cast<int>(input)]; }
};

// One value per input (multipliers), indexed by UncertainInput.
struct InputSample {
  double multiplier[uncertain_input_count] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  static_assert(uncertain_input_count == 10, "one 1 per input above");
};

// `samples` points of a Latin hypercube over the inputs: each input's [0,1) split into `samples`
// equal strata, one point per stratum, strata paired at random. Deterministic in `seed` on every
// platform (own generator, no std:: distributions).
std::vector<InputSample> latin_hypercube(const UncertaintyModel& model);

// What one sample gives.
struct SampleOutcome {
  bool valid = false;               // false: the plan is impossible under this sample
  double days_failure_free = 0;
  double days = 0;                  // with failures, checkpoints and restarts
  double cost_usd = 0;
};

// The plan evaluated at the sample's inputs (the layout as given; economics without Monte-Carlo).
SampleOutcome evaluate_sample(const Scenario& scenario, const ParallelPlan& plan, const NetworkCounts& network,
                              const EconomicsModel& economics, const InputSample& sample);

// evaluate_sample for many samples, with one copy of the scenario and of the economics varied in
// place (a copy per sample was about a tenth of a plan's ranges). Not shared between threads.
class SampleEvaluator {
 public:
  SampleEvaluator(const Scenario& scenario, const NetworkCounts& network, const EconomicsModel& economics);
  // The scenario at the sample's routing efficiency, calibration and MoE imbalance, the inputs that
  // move the step (and the ranking of plans). Valid until the next call.
  const Scenario& scenario_at(const InputSample& sample);
  // `result`, evaluated on scenario_at(sample), at the sample's model error and economic inputs.
  SampleOutcome outcome(const PlanResult& result, const InputSample& sample);
  // evaluate_sample(scenario, plan, network, economics, sample), with the plan's step time taken
  // from its routing-efficiency grid (below) rather than from an evaluation per sample.
  SampleOutcome operator()(const ParallelPlan& plan, const InputSample& sample);

  // The grid (for a sample at the point calibration; any other is evaluated on its own): the plan
  // evaluated exactly where the fabric's routing efficiency over the sample's is a multiple of this
  // step (the point estimate, then efficiency x 0.941, 0.889, 0.842 for the default range), each
  // point once per plan, and the step time linear in 1 / efficiency between the two points around a
  // sample. Collective times are a latency plus bytes over (bandwidth x efficiency), exposed times
  // maxima and sums of such terms, so the step is piecewise linear in 1 / efficiency: exact at the
  // points and between them except in a segment that holds a kink. tests/core/uncertainty_test.cpp
  // bounds the difference from evaluating every sample at 5e-4 (0.03 days of a 70-day run), far inside
  // the sampling's own spread; the largest seen at this step 1.5e-4 on the routing axis alone (8.5e-5
  // at 1/64, which took 13 points where this takes 4).
  static constexpr double inverse_efficiency_step = 1.0 / 16;
  // An MoE plan's grid has a second axis, the expert load factor max(imbalance, capacity factor)
  // (the one place the sampled imbalance enters the model): points where it is the point estimate's
  // x (1 + j x this step), and the step bilinear in the four points around a sample. The load factor
  // scales the routed tokens, so the step is smooth in it (the expert GEMMs' efficiency over their
  // size, the exchange's bytes); the kinks that remain (a bottleneck changing hands) are held to the
  // same 5e-4 (the largest seen at this step 3.9e-4, 2e-7 at 1/32). The kink of the max at the load
  // factor's floor, max(1, capacity factor), is not interpolated across: a cell that reaches below
  // the floor starts at the floor, a point of its own (GridIndex::load_floor).
  static constexpr double load_factor_step = 1.0 / 8;
  // At most this many points per plan (the default ranges take 4 on a dense plan, 16 on the
  // gpt5-class one); samples beyond them are evaluated one by one.
  static constexpr std::size_t max_grid_points = 128;

 private:
  struct GridIndex {
    static constexpr long load_floor = std::numeric_limits<long>::min();  // the load factor's floor, max(1, capacity factor)
    long routing = 0;  // the fabric's efficiency / (routing x inverse_efficiency_step)
    long load = 0;     // the point's load factor x (1 + load x load_factor_step), or load_floor
    bool operator==(const GridIndex&) const = default;
  };
  // outcome() of a valid plan's figures.
  SampleOutcome outcome(RunFigures figures, const InputSample& sample);
  // The plan at a grid point, evaluated once; nullptr when the grid is full.
  const PlanResult* grid_point(GridIndex index);
  const Scenario& scenario_;
  const NetworkCounts& network_;
  const EconomicsModel& economics_;
  Scenario varied_;
  EconomicsModel varied_economics_;
  ParallelPlan grid_plan_;
  bool have_grid_plan_ = false;
  std::vector<std::pair<GridIndex, PlanResult>> grid_;
  PricedNetworkCache priced_network_;  // the cluster's network, priced once: no sampled input moves it
};

struct Percentiles {
  double p10 = 0, p50 = 0, p90 = 0;
};
// Linear interpolation between order statistics (Hyndman-Fan type 7). Empty: all zero.
Percentiles percentiles(std::vector<double> values);

// One bar of the tornado: the input swung from its p10 to its p90 with the others at their p50.
struct TornadoBar {
  UncertainInput input = UncertainInput::model_error_dense;
  double multiplier_p10 = 1, multiplier_p90 = 1;
  double days_at_p10 = 0, days_at_p90 = 0;   // with failures
  double cost_at_p10 = 0, cost_at_p90 = 0;
  double days_swing() const { return days_at_p90 > days_at_p10 ? days_at_p90 - days_at_p10 : days_at_p10 - days_at_p90; }
};

struct UncertaintySummary {
  int samples = 0;                  // drawn
  int valid_samples = 0;            // where the plan stayed possible
  std::uint64_t seed = 0;
  Percentiles days_failure_free;
  Percentiles days;                 // with failures
  Percentiles cost_usd;
  std::vector<TornadoBar> tornado;  // the inputs that move days the most, largest swing first (at most 3)
  UncertainInput model_error_input = UncertainInput::model_error_dense;  // the class used
};

// The ranges of a plan's days and cost under `model`. The model-error input of the other class
// (dense vs MoE) is held at 1.
UncertaintySummary estimate_uncertainty(const Scenario& scenario, const ParallelPlan& plan, const NetworkCounts& network,
                                        const EconomicsModel& economics, const UncertaintyModel& model);

// The outcome of every Latin hypercube sample of `model` (the other class's model error held at 1).
std::vector<SampleOutcome> sample_outcomes(const Scenario& scenario, const ParallelPlan& plan, const NetworkCounts& network,
                                           const EconomicsModel& economics, const UncertaintyModel& model);

// The value below which a fraction `q` (0..1) of `values` lies (type 7, as `percentiles`); 0 if empty.
double quantile_of(std::vector<double> values, double q);

// `model` as sampled for `scenario`: the model-error input of the other class (dense vs MoE) held
// at 1, so that it neither samples nor swings, and for a dense model the MoE imbalance too.
UncertaintyModel model_for_class(const Scenario& scenario, const UncertaintyModel& model);

// The tornado of `model` (as sampled, see model_for_class): each input that varies swung from its
// p10 to its p90 with the others at their p50, `outcome_at` giving the outcome at each point (called
// for p10 then p90 of every such input); a bar whose either point is invalid is dropped. Largest swing
// in days first (ties: larger swing in cost, then input order), cut to the three largest.
std::vector<TornadoBar> tornado_bars(const UncertaintyModel& model,
                                     const std::function<SampleOutcome(const InputSample&)>& outcome_at);

}  // namespace trainplan
