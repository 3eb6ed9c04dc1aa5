#include "planner/core/search/researched_uncertainty.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>
#include <utility>

#include "planner/core/economics/sample_ranges.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/network/collective_memo.hpp"
#include "planner/core/search/plan_ranking.hpp"
#include "planner/core/step/layer_cost_cache.hpp"

namespace trainplan {

namespace {

struct Researched {
  SampleOutcome outcome;
  ParallelPlan plan;
  bool found = false;
  std::int64_t evaluated = 0;
};

// The sample's best plan: the ranked plans (best first at the inputs' most favourable corner, a lower
// bound of the objective on every sample) evaluated on the sample until the bound exceeds the best
// found. The routing efficiency, calibration and MoE imbalance move the ranking (`evaluate_at.scenario_at`).
Researched research_one(SampleEvaluator& evaluate_at, const std::vector<RankedPlan>& ranked, SearchObjective objective,
                        const InputSample& sample) {
  const Scenario& varied = evaluate_at.scenario_at(sample);
  CollectiveMemo memo(varied);
  const ScopedCollectiveMemo installed(memo);
  Researched out;
  double best = std::numeric_limits<double>::infinity();
  std::uint64_t best_order = 0;
  const RankedPlan* chosen = nullptr;
  PlanResult chosen_result;
  for (const RankedPlan& candidate : ranked) {
    if (candidate.objective > best) break;  // this and every later plan is slower than the best found
    PlanResult r = evaluate(varied, candidate.plan);
    ++out.evaluated;
    if (!r.valid || !r.fits_in_memory) continue;
    const double value = objective_value(r, objective);
    if (value < best || (value == best && candidate.order < best_order)) {
      best = value;
      best_order = candidate.order;
      chosen = &candidate;
      chosen_result = std::move(r);
    }
  }
  if (!chosen) return out;
  out.found = true;
  out.plan = chosen->plan;
  out.outcome = evaluate_at.outcome(chosen_result, sample);  // the sample's plan, not evaluated twice
  return out;
}

// An objective no sample's best plan exceeds: `point_best`'s largest objective over the routing
// efficiencies the samples and the tornado's points reach, each at the calibration's lowest and the
// MoE imbalance's highest multiplier (infinity if it is impossible at one).
double winning_objective_limit(SampleEvaluator& evaluate_at, const ParallelPlan& point_best, SearchObjective objective,
                               const UncertaintyModel& used, const std::vector<InputSample>& samples) {
  const InputDistribution& routing = used[UncertainInput::routing_efficiency];
  std::vector<double> multipliers{routing.quantile(0.1), routing.quantile(0.5), routing.quantile(0.9)};  // the tornado's
  for (const InputSample& sample : samples)
    multipliers.push_back(sample.multiplier[static_cast<int>(UncertainInput::routing_efficiency)]);
  std::sort(multipliers.begin(), multipliers.end());
  multipliers.erase(std::unique(multipliers.begin(), multipliers.end()), multipliers.end());
  double limit = 0;
  for (double m : multipliers) {
    InputSample at;
    at.multiplier[static_cast<int>(UncertainInput::routing_efficiency)] = m;
    at.multiplier[static_cast<int>(UncertainInput::calibration)] = used[UncertainInput::calibration].quantile(0);
    at.multiplier[static_cast<int>(UncertainInput::moe_imbalance)] = used[UncertainInput::moe_imbalance].quantile(1);
    const Scenario& varied = evaluate_at.scenario_at(at);
    CollectiveMemo memo(varied);  // evaluated as research_one evaluates
    const ScopedCollectiveMemo installed(memo);
    const PlanResult r = evaluate(varied, point_best);
    if (!r.valid || !r.fits_in_memory) return std::numeric_limits<double>::infinity();
    limit = std::max(limit, objective_value(r, objective));
  }
  return limit;
}

}  // namespace

ResearchedUncertainty researched_uncertainty(const Scenario& scenario, const SearchSpace& space, SearchObjective objective,
                                             const ParallelPlan& point_best, const NetworkCounts& network,
                                             const EconomicsModel& economics, const UncertaintyModel& model, int threads,
                                             KeptPlans kept) {
  const UncertaintyModel used = model_for_class(scenario, model);
  const std::vector<InputSample> samples = latin_hypercube(used);
  // The fitting plans that can win, ranked at routing efficiency 1, the calibration's highest and the
  // MoE imbalance's lowest multiplier: the bound for every sample (each makes every plan faster).
  SampleEvaluator main_evaluator(scenario, network, economics);
  const double limit = kept == KeptPlans::can_win ? winning_objective_limit(main_evaluator, point_best, objective, used, samples)
                                                  : std::numeric_limits<double>::infinity();
  InputSample favourable;
  favourable.multiplier[static_cast<int>(UncertainInput::routing_efficiency)] = std::numeric_limits<double>::infinity();  // capped at 1
  favourable.multiplier[static_cast<int>(UncertainInput::calibration)] = used[UncertainInput::calibration].quantile(1);
  favourable.multiplier[static_cast<int>(UncertainInput::moe_imbalance)] = used[UncertainInput::moe_imbalance].quantile(0);
  const Scenario optimistic = main_evaluator.scenario_at(favourable);
  SearchOptions options;
  options.objective = objective;
  options.threads = threads;
  const std::vector<RankedPlan> ranked = rank_all_plans(optimistic, space, options, nullptr, limit);
  std::vector<Researched> results(samples.size());

  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = std::max(1, std::min(threads > 0 ? threads : hardware, static_cast<int>(samples.size())));
  std::atomic<std::size_t> next{0};
  const auto work = [&]() {
    SampleEvaluator evaluate_at(scenario, network, economics);  // one per thread
    for (;;) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= samples.size()) break;
      results[i] = research_one(evaluate_at, ranked, objective, samples[i]);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  ResearchedUncertainty out;
  out.plans_ranked = static_cast<std::int64_t>(ranked.size());
  out.kept_objective_limit = limit;
  UncertaintySummary& s = out.summary;
  s.seed = model.seed;
  s.model_error_input = scenario.model.is_moe() ? UncertainInput::model_error_moe : UncertainInput::model_error_dense;
  std::vector<ParallelPlan> distinct;
  for (const Researched& r : results) {
    out.plans_evaluated += r.evaluated;
    out.outcomes.push_back(r.found ? r.outcome : SampleOutcome{});
    out.sample_plans.push_back(r.found ? r.plan : ParallelPlan{});
    if (!r.found || !r.outcome.valid) continue;
    if (r.plan != point_best) ++out.samples_with_other_plan;
    if (std::none_of(distinct.begin(), distinct.end(), [&](const ParallelPlan& p) { return p == r.plan; })) distinct.push_back(r.plan);
  }
  out.distinct_plans = static_cast<int>(distinct.size());
  set_sample_ranges(s, sample_ranges(out.outcomes));  // the same percentiles as a layout kept

  // Tornado: each input p10 -> p90 with the others at p50, each point re-searched.
  s.tornado = tornado_bars(used, [&](const InputSample& sample) {
    const Researched r = research_one(main_evaluator, ranked, objective, sample);
    out.plans_evaluated += r.evaluated;
    return r.found ? r.outcome : SampleOutcome{};
  });
  return out;
}

bool search_space_is_one_layout(const SearchSpace& space, const ModelShape& model) {
  const auto fixed = [](const KnobBounds& k) { return k.max > 0 && k.min == k.max; };
  const bool tp_one = fixed(space.tp) && space.tp.max == 1;
  const bool batch_fixed = space.global_batch > 0 || (space.max_global_batch == 0 && space.base.global_batch > 0);
  const bool experts_fixed = !model.is_moe() || (fixed(space.ep) && (space.base.expert_tp > 0 || !space.fold_experts || tp_one));
  return fixed(space.tp) && fixed(space.pp) && fixed(space.cp) && fixed(space.vp) && fixed(space.micro_batch) && experts_fixed &&
         space.zero_stages.size() == 1 && space.recompute_modes.size() == 1 && space.precisions.size() == 1 &&
         (space.sequence_parallel.size() == 1 || tp_one) && space.rank_orders.size() <= 1 && batch_fixed;
}

}  // namespace trainplan
