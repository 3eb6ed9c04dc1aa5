#include "planner/core/search/plan_search.hpp"
#include "planner/core/search/knob_candidates.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <limits>
#include <optional>
#include <thread>

#include "planner/core/evaluate.hpp"
#include "planner/core/network/collective_memo.hpp"
#include "planner/core/search/step_time_bound.hpp"
#include "planner/core/search/plan_ranking.hpp"
#include "planner/core/step/activation_offload.hpp"
#include "planner/core/step/layer_cost_cache.hpp"
#include "planner/core/step/pipeline_stages.hpp"

namespace trainplan {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Values in [1, limit] that divide `n`, ascending, within `bounds`.
std::vector<int> divisors_within(std::int64_t n, std::int64_t limit, const KnobBounds& bounds) {
  std::vector<int> values;
  for (std::int64_t d = 1; d <= limit && d <= n; ++d)
    if (n % d == 0 && bounds.allows(static_cast<int>(d))) values.push_back(static_cast<int>(d));
  return values;
}

// Tensor-parallel sizes: divisors of the scale-up domain (or, when the bounds reach past it, whole
// multiples of it) that satisfy check_plan's head and width rules.
std::vector<int> tensor_parallel_candidates(const Scenario& sc, const KnobBounds& bounds) {
  const int domain = sc.fabric.scale_up.gpus > 0 ? sc.fabric.scale_up.gpus : std::max(1, sc.job.gpus_per_node);
  const ModelShape& m = sc.model;
  const int limit = bounds.max > 0 ? bounds.max : domain;
  std::vector<int> values;
  for (int t = std::max(1, bounds.min); t <= limit; ++t) {
    const bool placed = domain % t == 0 || t % domain == 0;
    const bool heads_split = m.heads % t == 0 && (m.kv_heads % t == 0 || t % m.kv_heads == 0) && m.ffn % t == 0 &&
                             (!m.is_moe() || m.moe.expert_ffn % t == 0);
    if (placed && heads_split) values.push_back(t);
  }
  return values;
}

std::vector<int> pipeline_candidates(const Scenario& sc, const SearchSpace& space) {
  const int layers = sc.model.layers;
  std::vector<int> values;
  // A pipeline layout fixes pp x vp: the divisors of its stage count (vp the rest).
  if (const int stages = space.base.pipeline_layout.stage_count(); stages > 0) {
    for (int p = 1; p <= stages; ++p)
      if (stages % p == 0 && space.pp.allows(p) && (p > 1 || stages == 1)) values.push_back(p);
    return values;
  }
  for (int p = 1; p <= layers; ++p)
    if ((space.uneven_pipeline || layers % p == 0) && space.pp.allows(p)) values.push_back(p);
  return values;
}

std::vector<int> virtual_stage_candidates(int layers, int pp, const KnobBounds& bounds) {
  std::vector<int> values;
  if (bounds.allows(1)) values.push_back(1);
  if (pp == 1 || layers % pp != 0) return values;
  for (int v = 2; v <= layers / pp; ++v)
    if (layers % (pp * v) == 0 && bounds.allows(v)) values.push_back(v);
  return values;
}

// One entry of a thread's top list. `order` is the enumeration position: ties go to the earlier
// plan, so the result does not depend on the thread count.
struct Candidate {
  double objective = 0;
  std::uint64_t order = 0;
  ParallelPlan plan;
};

bool better(const Candidate& a, const Candidate& b) {
  return a.objective < b.objective || (a.objective == b.objective && a.order < b.order);
}

// The best `capacity` candidates seen, as a max-heap on `better` (the worst kept is at the front).
// Storage is reserved up front: offering a candidate never allocates.
class TopList {
 public:
  // keep_all: every candidate offered is kept (rank_all_plans), storage grows as needed; with
  // keep_at_most, only those whose objective is at most it.
  explicit TopList(int capacity, bool keep_all = false, double keep_at_most = std::numeric_limits<double>::infinity())
      : capacity_(static_cast<std::size_t>(std::max(0, capacity))), keep_all_(keep_all), keep_at_most_(keep_at_most) {
    if (!keep_all_) entries_.reserve(capacity_);
  }
  void offer(double objective, std::uint64_t order, const ParallelPlan& plan) {
    if (keep_all_) {
      if (objective <= keep_at_most_) entries_.push_back(Candidate{objective, order, plan});
      return;
    }
    if (capacity_ == 0) return;
    const Candidate c{objective, order, plan};
    if (entries_.size() < capacity_) {
      entries_.push_back(c);
      std::push_heap(entries_.begin(), entries_.end(), better);
    } else if (better(c, entries_.front())) {
      std::pop_heap(entries_.begin(), entries_.end(), better);
      entries_.back() = c;
      std::push_heap(entries_.begin(), entries_.end(), better);
    }
  }
  const std::vector<Candidate>& entries() const { return entries_; }
  // The objective a new candidate must beat to enter (infinity until the list is full).
  double worst_kept() const {
    return !keep_all_ && capacity_ > 0 && entries_.size() == capacity_ ? entries_.front().objective
                                                                        : std::numeric_limits<double>::infinity();
  }

 private:
  std::size_t capacity_;
  bool keep_all_ = false;
  double keep_at_most_ = std::numeric_limits<double>::infinity();
  std::vector<Candidate> entries_;
};

struct ThreadTally {
  std::int64_t evaluated = 0, feasible = 0, rejected = 0, skipped_by_bound = 0;
};

// Enumerates and evaluates every plan of one layout. Loops run from the least memory-hungry value to
// the most; with pruning on, a loop stops once the least-memory plan below it has failed to fit
// (every later value needs at least as much memory for every inner choice).
class LayoutSearch {
 public:
  LayoutSearch(const Scenario& sc, const SearchSpace& space, const SearchOptions& options, TopList& top, ThreadTally& tally)
      : sc_(sc), space_(space), objective_(options.objective), top_(top), tally_(tally), use_cache_(options.cache),
        prune_by_bound_(options.cache && options.prune_by_bound), bound_cutoff_(options.cache ? options.bound_cutoff
                                                                                            : std::numeric_limits<double>::infinity()) {
    zero_order_ = space.zero_stages;
    std::sort(zero_order_.begin(), zero_order_.end(), [](int a, int b) { return a > b; });
    zero_order_.erase(std::unique(zero_order_.begin(), zero_order_.end()), zero_order_.end());
    const auto lists = [&](Recompute r) {
      return std::find(space.recompute_modes.begin(), space.recompute_modes.end(), r) != space.recompute_modes.end();
    };
    if (lists(Recompute::full)) recompute_order_.push_back(Recompute::full);
    // Selective recomputation re-runs the attention core, whose fused (flash) kernel keeps no s^2
    // tensors to drop: with one it saves no memory and costs an attention forward, so it is
    // dominated by no recomputation. Not for MLA, whose selective scheme drops the norms' outputs and
    // the up-projected Q, K, V (layer_work.cpp): a memory-for-time choice of its own.
    const bool selective_saves_memory = !is_flash(space.base.attention_kernel) || sc.model.attention == AttentionKind::mla;
    if (lists(Recompute::selective) && (selective_saves_memory || !lists(Recompute::none)))
      recompute_order_.push_back(Recompute::selective);
    if (lists(Recompute::none)) recompute_order_.push_back(Recompute::none);
    fixed_global_batch_ = space.global_batch > 0 ? space.global_batch : space.max_global_batch > 0 ? 0 : space.base.global_batch;
  }

  void run(const ParallelPlan& layout, std::uint64_t layout_index) {
    plan_ = layout;
    order_ = layout_index << 32;
    layer_cache_.clear();  // a new layout: no key of the last one comes back
    for (Precision precision : space_.precisions) {
      plan_.precision = precision;
      visit_zero_stages();
    }
  }

 private:
  bool prune() const { return space_.prune_by_memory; }

  // Each visit_* returns whether the least-memory plan below it fitted (true when it had none).
  bool visit_zero_stages() {
    const bool one_data_rank = 1LL * plan_.dp * plan_.cp == 1;
    bool corner_fits = true;
    bool first = true;
    for (int stage : zero_order_) {
      // With one data-parallel rank ZeRO shards nothing: every stage is the same plan.
      if (one_data_rank && stage != zero_order_.back()) continue;
      plan_.zero_stage = stage;
      const bool fits = visit_recompute_modes();
      if (first) corner_fits = fits, first = false;
      if (!fits && prune()) break;
    }
    return corner_fits;
  }

  bool visit_recompute_modes() {
    bool corner_fits = true;
    bool first = true;
    for (Recompute mode : recompute_order_) {
      plan_.recompute = mode;
      const bool fits = visit_sequence_parallel();
      if (first) corner_fits = fits, first = false;
      if (!fits && prune()) break;
    }
    return corner_fits;
  }

  bool visit_sequence_parallel() {
    bool corner_fits = true;
    bool first = true;
    for (bool on : {true, false}) {
      if (on && plan_.tp == 1) continue;
      if (std::find(space_.sequence_parallel.begin(), space_.sequence_parallel.end(), on) == space_.sequence_parallel.end())
        continue;
      plan_.sequence_parallel = on;
      const bool fits = visit_batches();
      if (first) corner_fits = fits, first = false;
      if (!fits && prune()) break;
    }
    return corner_fits;
  }

  // Micro-batch ascending, then (with a batch maximum) micro-batch count ascending.
  bool visit_batches() {
    const std::int64_t dp = plan_.dp;
    const std::int64_t step = plan_.vp > 1 ? plan_.pp : 1;  // interleaving: micro-batches a multiple of pp
    const KnobBounds& mb_bounds = space_.micro_batch;
    bool corner_fits = true;
    bool first = true;
    if (fixed_global_batch_ > 0) {
      if (fixed_global_batch_ % dp != 0) return true;
      const std::int64_t per_replica = fixed_global_batch_ / dp;
      plan_.global_batch = fixed_global_batch_;
      for (std::int64_t mb = std::max(1, mb_bounds.min); mb <= per_replica; ++mb) {
        if (mb_bounds.max > 0 && mb > mb_bounds.max) break;
        if (per_replica % mb != 0 || (per_replica / mb) % step != 0) continue;
        plan_.micro_batch = static_cast<int>(mb);
        const bool fits = evaluate_one();
        if (first) corner_fits = fits, first = false;
        if (!fits && prune()) break;
      }
      return corner_fits;
    }
    const std::int64_t max_batch = space_.max_global_batch;
    for (std::int64_t mb = std::max(1, mb_bounds.min); dp * mb * step <= max_batch; ++mb) {
      if (mb_bounds.max > 0 && mb > mb_bounds.max) break;
      plan_.micro_batch = static_cast<int>(mb);
      bool mb_corner_fits = true;
      bool first_count = true;
      for (std::int64_t count = step; dp * mb * count <= max_batch; count += step) {
        plan_.global_batch = dp * mb * count;
        const bool fits = evaluate_one();
        if (first_count) mb_corner_fits = fits, first_count = false;
        if (!fits && prune()) break;
      }
      if (first) corner_fits = mb_corner_fits, first = false;
      if (!mb_corner_fits && prune()) break;
    }
    return corner_fits;
  }

  // Whether the plan's step-time bound shows it cannot enter the top list (step_time_bound.hpp).
  bool ruled_out_by_bound() {
    const double cutoff = prune_by_bound_ ? std::min(bound_cutoff_, top_.worst_kept()) : bound_cutoff_;
    if (!(cutoff < std::numeric_limits<double>::infinity())) return false;
    LayerWork work;
    const StageLayerCosts layers = layer_cache_.costs(sc_, plan_, &work);
    const double bound_s = step_time_lower_bound(sc_.model, plan_, layers);
    const double bound = objective_ == SearchObjective::step_time
                             ? bound_s
                             : bound_s / (static_cast<double>(plan_.global_batch) * plan_.seq_len);
    return bound > cutoff;
  }

  bool evaluate_one() {
    if (use_cache_ && ruled_out_by_bound()) {
      ++order_;  // the same enumeration positions as without the bound
      ++tally_.skipped_by_bound;
      return true;  // not a memory verdict: no pruning from it
    }
    PlanResult r = evaluate(sc_, plan_, use_cache_ ? &layer_cache_ : nullptr);
    ++tally_.evaluated;
    ++order_;
    if (!r.valid) {
      ++tally_.rejected;
      return true;  // not a memory verdict: no pruning from it
    }
    if (!r.fits_in_memory && !offload_to_fit(r)) return false;
    ++tally_.feasible;
    top_.offer(objective_value(r, objective_), order_, r.plan);
    return true;
  }

  // --offload-to-fit: a pp-1 plan without recomputation that does not fit in HBM becomes the plan that
  // offloads the fewest layers that make it fit (activation_offload.hpp), when that plan fits (host
  // memory included). `r` is replaced by it; false when none fits.
  bool offload_to_fit(PlanResult& r) {
    if (!space_.offload_to_fit || plan_.pp != 1 || plan_.recompute != Recompute::none || plan_.activation_offload_layers > 0)
      return false;
    const double excess_gib = r.memory_per_gpu_gib - (r.memory_capacity_gib - r.memory_headroom_gib);
    LayerWork work;
    const StageLayerCosts layers = layer_cache_.costs(sc_, plan_, &work);
    const int offloaded = fewest_offload_layers(layers, sc_.model.layers, dense_layers_in_stage(sc_.model, 0, sc_.model.layers),
                                                excess_gib * 1024.0 * 1024.0 * 1024.0);
    if (offloaded == 0) return false;
    ParallelPlan with_offload = plan_;
    with_offload.activation_offload_layers = offloaded;
    PlanResult offloaded_result = evaluate(sc_, with_offload, use_cache_ ? &layer_cache_ : nullptr);
    ++tally_.evaluated;
    if (!offloaded_result.valid || !offloaded_result.fits_in_memory) return false;
    r = std::move(offloaded_result);
    return true;
  }

  const Scenario& sc_;
  const SearchSpace& space_;
  SearchObjective objective_;
  TopList& top_;
  ThreadTally& tally_;
  std::vector<int> zero_order_;            // least memory first: 3, 2, 1, 0
  std::vector<Recompute> recompute_order_;  // least memory first: full, selective, none
  std::int64_t fixed_global_batch_ = 0;     // 0: every batch up to space.max_global_batch
  ParallelPlan plan_;
  std::uint64_t order_ = 0;
  bool use_cache_ = true;
  bool prune_by_bound_ = false;
  double bound_cutoff_ = std::numeric_limits<double>::infinity();
  LayerCostCache layer_cache_;  // per-layer costs of the layout's plans (docs/search.md, "Caching")
};

}  // namespace

std::vector<int> tensor_parallel_sizes(const Scenario& sc, const SearchSpace& space) {
  return tensor_parallel_candidates(sc, space.tp);
}
std::vector<int> pipeline_sizes(const Scenario& sc, const SearchSpace& space) { return pipeline_candidates(sc, space); }
std::vector<int> context_parallel_sizes(const SearchSpace& space) {
  return divisors_within(space.base.seq_len, space.base.seq_len, space.cp);
}

std::vector<ParallelPlan> enumerate_layouts(const Scenario& sc, const SearchSpace& space) {
  std::vector<ParallelPlan> layouts;
  const int gpus = sc.job.gpus;
  const ModelShape& model = sc.model;
  if (gpus < 1 || model.layers < 1) return layouts;
  const std::vector<int> tps = tensor_parallel_candidates(sc, space.tp);
  const std::vector<int> cps = divisors_within(space.base.seq_len, space.base.seq_len, space.cp);
  const std::vector<int> pps = pipeline_candidates(sc, space);
  for (int tp : tps) {
    for (int cp : cps) {
      for (int pp : pps) {
        const std::int64_t model_parallel = 1LL * tp * cp * pp;
        if (gpus % model_parallel != 0) continue;
        const int dp = static_cast<int>(gpus / model_parallel);
        if (!space.dp.allows(dp)) continue;
        // Expert tensor parallelism (MoE parallel folding): the attention's tp (0) and, with tp > 1,
        // unsplit experts (1), unless the base plan fixes it.
        std::vector<int> expert_tps{space.base.expert_tp};
        if (model.is_moe() && space.base.expert_tp == 0 && space.fold_experts && tp > 1) expert_tps = {0, 1};
        const std::int64_t stage_gpus = 1LL * tp * dp * cp;
        const int layout_stages = space.base.pipeline_layout.stage_count();
        const std::vector<int> vps = layout_stages == 0 ? virtual_stage_candidates(model.layers, pp, space.vp)
                                     : space.vp.allows(layout_stages / pp) ? std::vector<int>{layout_stages / pp}
                                                                           : std::vector<int>{};
        for (int vp : vps) {
          for (int expert_tp : expert_tps) {
            const int etp = expert_tp > 0 ? expert_tp : tp;
            std::vector<int> eps{1};
            if (model.is_moe())
              eps = divisors_within(model.moe.routed_experts, stage_gpus / etp, space.ep);
            else if (!space.ep.allows(1))
              eps.clear();
            for (int ep : eps) {
              if (stage_gpus % (1LL * etp * ep) != 0) continue;
              ParallelPlan p = space.base;
              p.tp = tp;
              p.pp = pp;
              p.cp = cp;
              p.dp = dp;
              p.vp = vp;
              p.ep = ep;
              p.expert_tp = expert_tp;
              p.uneven_pipeline = space.uneven_pipeline && layout_stages == 0 && model.layers % pp != 0;
              if (space.rank_orders.empty()) layouts.push_back(p);
              for (const RankOrder& order : space.rank_orders) {  // ---- sites: each searched rank order ----
                p.rank_order = order;
                layouts.push_back(p);
              }
            }
          }
        }
      }
    }
  }
  return layouts;
}

double objective_value(const PlanResult& r, SearchObjective objective) {
  switch (objective) {
    case SearchObjective::time_to_train: return r.step_time_s / r.tokens_per_step;
    case SearchObjective::step_time: return r.step_time_s;
  }
  return r.step_time_s;
}

namespace {
// Every layout searched on options.threads threads; the candidates every thread kept (its top
// list, or every fitting plan with keep_all), merged and sorted best first. Counts go to `result`.
std::vector<Candidate> search_candidates(const Scenario& sc, const SearchSpace& space, const SearchOptions& options,
                                         bool keep_all, SearchResult& result,
                                         double keep_at_most = std::numeric_limits<double>::infinity()) {
  const std::vector<ParallelPlan> layouts = enumerate_layouts(sc, space);
  result.layouts = static_cast<std::int64_t>(layouts.size());
  const bool batch_given = space.global_batch > 0 || space.max_global_batch > 0 || space.base.global_batch > 0;

  const int hardware = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int wanted = options.threads > 0 ? options.threads : hardware;
  const int threads = static_cast<int>(std::max<std::int64_t>(1, std::min<std::int64_t>(wanted, result.layouts)));
  result.threads = threads;

  std::vector<TopList> tops;
  std::vector<ThreadTally> tallies(static_cast<std::size_t>(threads));
  tops.reserve(static_cast<std::size_t>(threads));
  for (int t = 0; t < threads; ++t) tops.emplace_back(options.top, keep_all, keep_at_most);

  std::atomic<std::int64_t> next_layout{0};
  std::atomic<std::int64_t> layouts_done{0};
  const auto work = [&](int thread_index, bool report_progress) {
    LayoutSearch search(sc, space, options, tops[static_cast<std::size_t>(thread_index)],
                        tallies[static_cast<std::size_t>(thread_index)]);
    CollectiveMemo memo(sc);  // per-collective costs, this thread, this scenario
    std::optional<ScopedCollectiveMemo> memo_installed;
    if (options.cache) memo_installed.emplace(memo);
    Clock::time_point last_report = Clock::now();
    for (;;) {
      const std::int64_t i = next_layout.fetch_add(1, std::memory_order_relaxed);
      if (i >= result.layouts) break;
      if (batch_given) search.run(layouts[static_cast<std::size_t>(i)], static_cast<std::uint64_t>(i));
      const std::int64_t done = layouts_done.fetch_add(1, std::memory_order_relaxed) + 1;
      if (report_progress && seconds_since(last_report) >= options.progress_interval_s) {
        last_report = Clock::now();
        options.progress({done, result.layouts});
      }
    }
  };
  std::vector<std::thread> workers;
  for (int t = 1; t < threads; ++t) workers.emplace_back(work, t, false);
  work(0, static_cast<bool>(options.progress));
  for (auto& w : workers) w.join();
  if (options.progress) options.progress({result.layouts, result.layouts});

  std::vector<Candidate> merged;
  for (std::size_t t = 0; t < tops.size(); ++t) {
    merged.insert(merged.end(), tops[t].entries().begin(), tops[t].entries().end());
    result.evaluated += tallies[t].evaluated;
    result.feasible += tallies[t].feasible;
    result.rejected += tallies[t].rejected;
    result.skipped_by_bound += tallies[t].skipped_by_bound;
  }
  std::sort(merged.begin(), merged.end(), better);
  return merged;
}
}  // namespace

SearchResult search_plans(const Scenario& sc, const SearchSpace& space, const SearchOptions& options) {
  const Clock::time_point start = Clock::now();
  SearchResult result;
  std::vector<Candidate> merged = search_candidates(sc, space, options, false, result);
  if (merged.size() > static_cast<std::size_t>(std::max(0, options.top))) merged.resize(static_cast<std::size_t>(options.top));
  for (const Candidate& c : merged) result.plans.push_back(evaluate(sc, c.plan));
  result.seconds = seconds_since(start);
  return result;
}

std::vector<RankedPlan> rank_all_plans(const Scenario& sc, const SearchSpace& space, const SearchOptions& options,
                                       SearchResult* counts, double keep_at_most) {
  SearchOptions every = options;
  every.prune_by_bound = false;  // every fitting plan (within keep_at_most)
  // A plan whose step-time bound exceeds keep_at_most would not be kept: it is not evaluated either.
  every.bound_cutoff = keep_at_most;
  SearchResult result;
  const std::vector<Candidate> merged = search_candidates(sc, space, every, true, result, keep_at_most);
  std::vector<RankedPlan> ranked;
  ranked.reserve(merged.size());
  for (const Candidate& c : merged) ranked.push_back({c.objective, c.order, c.plan});
  if (counts) *counts = result;
  return ranked;
}

}  // namespace trainplan
