// Plans evaluated per second by `trainplan search`, and the wall time of a whole search
// (docs/search.md records the figures). Run: build/bench/trainplan_search_benchmark
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "planner/core/calibration.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/core/search/plan_search.hpp"
#include "planner/core/search/researched_uncertainty.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "planner/io/economics_loader.hpp"
#include "planner/io/uncertainty_loader.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/scenario_defaults.hpp"

// Every heap allocation of the process is counted, to report allocations per evaluated plan.
// GCC cannot see that the replaced operator new below is malloc-based and warns when its
// operator delete frees what it returned.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
namespace {
std::atomic<long long> allocations{0};
}  // namespace

void* operator new(std::size_t bytes) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(bytes > 0 ? bytes : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void* operator new[](std::size_t bytes) { return operator new(bytes); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace trainplan {
namespace {

// The GPT-5-class preset when the build has one, else Llama 3 405B (the largest dense preset).
std::string largest_model_preset() {
  for (const auto& name : model_preset_names())
    if (name == "gpt5-class") return name;
  return "llama3-405b";
}

Scenario preset_scenario(const std::string& model, int gpus, double tokens) {
  Scenario sc;
  sc.model = load_model(model, {});
  sc.gpu = load_gpu("h100-sxm", {});
  sc.job.gpus = gpus;
  sc.job.gpus_per_node = 8;
  sc.job.training_tokens = tokens;
  sc.fabric = load_fabric_for("", sc.job, sc.gpu, {});
  sc.profile = load_profile_for(sc.gpu, {});
  sc.calibration = default_calibration();
  return sc;
}

// GPT-3 175B on 4,096 H100s: Narayanan et al. 2021's batch of 1,536 sequences of 2,048 tokens.
void gpt3_space(Scenario& sc, SearchSpace& space) {
  sc = preset_scenario("gpt3-175b", 4096, 300e9);
  space.base.seq_len = 2048;
  space.global_batch = 1536;
  space.cp.max = 16;
  space.micro_batch.max = 16;
}

// The largest model on 50,000 H100s, 8K sequences, any global batch up to 16M tokens (2,048
// sequences), uneven pipelines allowed (50,000 = 2^4 * 5^5 has few even splits).
void large_space(Scenario& sc, SearchSpace& space) {
  sc = preset_scenario(largest_model_preset(), 50000, 15e12);
  space.base.seq_len = 8192;
  space.max_global_batch = 2048;
  space.uneven_pipeline = true;
  space.cp.max = 16;
  space.micro_batch.max = 16;
}

// Llama 3 70B on 1,024 H100s, every global batch up to 16M tokens: a large space (about 1.7M plans).
void any_batch_space(Scenario& sc, SearchSpace& space) {
  sc = preset_scenario("llama3-70b", 1024, 15e12);
  space.base.seq_len = 8192;
  space.max_global_batch = 2048;
  space.cp.max = 16;
  space.micro_batch.max = 16;
}

// cache: the per-layer and per-collective caches (docs/search.md, "Caching"); off: every plan
// evaluated from scratch, as before them (the side-by-side figure).
void run_search(benchmark::State& state, void (*make)(Scenario&, SearchSpace&), bool prune, bool cache = true) {
  Scenario sc;
  SearchSpace space;
  make(sc, space);
  space.prune_by_memory = prune;
  SearchOptions options;
  options.threads = static_cast<int>(state.range(0));
  options.cache = cache;
  std::int64_t evaluated = 0, feasible = 0;
  long long allocations_in_search = 0;
  double best_days = 0;
  for (auto _ : state) {
    const long long before = allocations.load();
    const SearchResult r = search_plans(sc, space, options);
    allocations_in_search += allocations.load() - before;
    evaluated += r.evaluated;
    feasible += r.feasible;
    best_days = r.plans.empty() ? 0 : r.plans.front().time_to_train_days;
  }
  const double iterations = static_cast<double>(state.iterations());
  state.counters["plans_per_s"] = benchmark::Counter(static_cast<double>(evaluated), benchmark::Counter::kIsRate);
  state.counters["plans"] = static_cast<double>(evaluated) / iterations;
  state.counters["feasible"] = static_cast<double>(feasible) / iterations;
  state.counters["allocs_per_plan"] = static_cast<double>(allocations_in_search) / std::max<double>(1.0, static_cast<double>(evaluated));
  state.counters["best_days"] = best_days;
  state.SetLabel(sc.model.name + " on " + std::to_string(sc.job.gpus) + " GPUs" + (prune ? "" : ", no pruning") +
                 (cache ? "" : ", no cache"));
}

void BM_SearchGpt3On4096(benchmark::State& state) { run_search(state, gpt3_space, true); }
void BM_SearchGpt3On4096NoPruning(benchmark::State& state) { run_search(state, gpt3_space, false); }
void BM_SearchLlama70bOn1024AnyBatch(benchmark::State& state) { run_search(state, any_batch_space, true); }
void BM_SearchLargestOn50000(benchmark::State& state) { run_search(state, large_space, true); }
void BM_SearchLargestOn50000NoPruning(benchmark::State& state) { run_search(state, large_space, false); }
void BM_SearchGpt3On4096NoCache(benchmark::State& state) { run_search(state, gpt3_space, true, false); }
void BM_SearchLlama70bOn1024AnyBatchNoCache(benchmark::State& state) { run_search(state, any_batch_space, true, false); }
void BM_SearchLargestOn50000NoCache(benchmark::State& state) { run_search(state, large_space, true, false); }

// GPT-5-class on 49,152 H100s (the README's search: batch 6,144 x 8,192, 30T tokens), its answer's
// ranges over `state.range(0)` uncertainty samples of the bundled model (planner/data/uncertainty.yaml),
// every sample re-searching the whole space (researched_uncertainty.hpp), on state.range(1) threads.
void BM_ResearchedUncertaintyGpt5On49152(benchmark::State& state) {
  const Scenario sc = preset_scenario(largest_model_preset(), 49152, 30e12);
  SearchSpace space;
  space.base.seq_len = 8192;
  space.global_batch = 6144;
  SearchOptions options;
  options.top = 5;
  options.threads = static_cast<int>(state.range(1));
  const SearchResult point = search_plans(sc, space, options);
  UncertaintyModel model = load_uncertainty({}).model;
  model.samples = static_cast<int>(state.range(0));
  const EconomicsModel economics = load_economics("", {}).model;
  const FabricSize size = size_fabric(sc.fabric, sc.job.gpus);
  const NetworkCounts network{static_cast<double>(size.total_switches), static_cast<double>(size.total_cables),
                              static_cast<double>(size.nics), {}};
  ResearchedUncertainty r;
  for (auto _ : state)
    r = researched_uncertainty(sc, space, options.objective, point.plans.front().plan, network, economics, model,
                               options.threads);
  state.counters["days_p50"] = r.summary.days.p50;
  state.counters["other_plan"] = r.samples_with_other_plan;
  state.counters["plans_per_sample"] = static_cast<double>(r.plans_evaluated) / std::max(1, r.summary.samples);
  state.counters["plans_ranked"] = static_cast<double>(r.plans_ranked);
  state.SetLabel(sc.model.name + " on 49152 GPUs, " + std::to_string(model.samples) + " samples re-searched");
}

// One evaluate call on a typical plan: the cost the search multiplies.
void BM_EvaluateOnePlan(benchmark::State& state) {
  const Scenario sc = preset_scenario("gpt3-175b", 4096, 300e9);
  ParallelPlan plan;
  plan.tp = 8;
  plan.pp = 8;
  plan.seq_len = 2048;
  plan.global_batch = 1536;
  plan.sequence_parallel = true;
  plan.zero_stage = 1;
  const long long before = allocations.load();
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(sc, plan));
  const double iterations = static_cast<double>(state.iterations());
  state.counters["plans_per_s"] = benchmark::Counter(iterations, benchmark::Counter::kIsRate);
  state.counters["allocs_per_plan"] = static_cast<double>(allocations.load() - before) / iterations;
}

BENCHMARK(BM_EvaluateOnePlan);
BENCHMARK(BM_SearchGpt3On4096)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchGpt3On4096NoPruning)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchLlama70bOn1024AnyBatch)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchLargestOn50000)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchLargestOn50000NoPruning)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchGpt3On4096NoCache)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchLlama70bOn1024AnyBatchNoCache)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SearchLargestOn50000NoCache)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ResearchedUncertaintyGpt5On49152)->Args({1000, 2})->Iterations(1)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace trainplan

BENCHMARK_MAIN();
