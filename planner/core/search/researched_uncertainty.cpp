#include "planner/core/search/researched_uncertainty.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <thread>

#include "planner/core/evaluate.hpp"
#include "planner/core/network/collective_memo.hpp"
#include "planner/core/search/plan_ranking.hpp"
#include "planner/core/step/layer_cost_cache.hpp"

namespace trainplan {

namespace {

// The scenario whose best plan the sample asks for: only the routing efficiency moves the ranking.
Scenario sample_fabric(const Scenario& scenario, const InputSample& sample) {
  Scenario varied = scenario;
  varied.fabric.routing_efficiency = std::min(
      1.0, scenario.fabric.routing_efficiency * sample.multiplier[static_cast<int>(UncertainInput::routing_efficiency)]);
  return varied;
}

struct Researched {
  SampleOutcome outcome;
  ParallelPlan plan;
  bool found = false;
  std::int64_t evaluated = 0;
};

// The sample's best plan: the ranked plans (best first at routing efficiency 1, a lower bound of
// the objective on every sample) evaluated on the sample until the bound exceeds the best found.
Researched research_one(const Scenario& scenario, const std::vector<RankedPlan>& ranked, SearchObjective objective,
                        const NetworkCounts& network, const EconomicsModel& economics, const InputSample& sample) {
  const Scenario varied = sample_fabric(scenario, sample);
  CollectiveMemo memo(varied);
  const ScopedCollectiveMemo installed(memo);
  Researched out;
  double best = std::numeric_limits<double>::infinity();
  std::uint64_t best_order = 0;
  const RankedPlan* chosen = nullptr;
  for (const RankedPlan& candidate : ranked) {
    if (candidate.objective > best) break;  // this and every later plan is slower than the best found
    const PlanResult r = evaluate(varied, candidate.plan);
    ++out.evaluated;
    if (!r.valid || !r.fits_in_memory) continue;
    const double value = objective_value(r, objective);
    if (value < best || (value == best && candidate.order < best_order)) {
      best = value;
      best_order = candidate.order;
      chosen = &candidate;
    }
  }
  if (!chosen) return out;
  out.found = true;
  out.plan = chosen->plan;
  out.outcome = evaluate_sample(scenario, out.plan, network, economics, sample);
  return out;
}

}  // namespace

ResearchedUncertainty researched_uncertainty(const Scenario& scenario, const SearchSpace& space, SearchObjective objective,
                                             const ParallelPlan& point_best, const NetworkCounts& network,
                                             const EconomicsModel& economics, const UncertaintyModel& model, int threads) {
  const UncertaintyModel used = model_for_class(scenario, model);
  const std::vector<InputSample> samples = latin_hypercube(used);
  // Every fitting plan, ranked at routing efficiency 1: the bound for every sample.
  Scenario optimistic = scenario;
  optimistic.fabric.routing_efficiency = 1.0;
  SearchOptions options;
  options.objective = objective;
  options.threads = threads;
  const std::vector<RankedPlan> ranked = rank_all_plans(optimistic, space, options);
  std::vector<Researched> results(samples.size());

  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int workers = std::max(1, std::min(threads > 0 ? threads : hardware, static_cast<int>(samples.size())));
  std::atomic<std::size_t> next{0};
  const auto work = [&]() {
    for (;;) {
      const std::size_t i = next.fetch_add(1, std::memory_order_relaxed);
      if (i >= samples.size()) break;
      results[i] = research_one(scenario, ranked, objective, network, economics, samples[i]);
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < workers; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();

  ResearchedUncertainty out;
  out.plans_ranked = static_cast<std::int64_t>(ranked.size());
  UncertaintySummary& s = out.summary;
  s.seed = model.seed;
  s.model_error_input = scenario.model.is_moe() ? UncertainInput::model_error_moe : UncertainInput::model_error_dense;
  std::vector<double> free_days, days, cost;
  std::vector<ParallelPlan> distinct;
  for (const Researched& r : results) {
    ++s.samples;
    out.plans_evaluated += r.evaluated;
    if (!r.found || !r.outcome.valid) continue;
    ++s.valid_samples;
    free_days.push_back(r.outcome.days_failure_free);
    days.push_back(r.outcome.days);
    cost.push_back(r.outcome.cost_usd);
    if (r.plan != point_best) ++out.samples_with_other_plan;
    if (std::none_of(distinct.begin(), distinct.end(), [&](const ParallelPlan& p) { return p == r.plan; })) distinct.push_back(r.plan);
  }
  out.distinct_plans = static_cast<int>(distinct.size());
  s.days_failure_free = percentiles(free_days);
  s.days = percentiles(days);
  s.cost_usd = percentiles(cost);

  // Tornado: each input p10 -> p90 with the others at p50, each point re-searched.
  s.tornado = tornado_bars(used, [&](const InputSample& sample) {
    const Researched r = research_one(scenario, ranked, objective, network, economics, sample);
    out.plans_evaluated += r.evaluated;
    return r.found ? r.outcome : SampleOutcome{};
  });
  return out;
}

}  // namespace trainplan
