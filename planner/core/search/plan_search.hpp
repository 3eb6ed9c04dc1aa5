#pragma once
// Exhaustive search for the best parallel plans of one scenario (docs/search.md states the space).
// Pure: no I/O. Multi-threaded over the layouts; each thread keeps its own fixed-size top list
// (no allocation while evaluating) and the lists are merged at the end.
#include <cstdint>
#include <functional>
#include <limits>
#include <vector>

#include "planner/core/plan_result.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

// An integer knob searched between min and max (inclusive). max == 0: the knob's natural limit
// (see SearchSpace). A fixed knob is {v, v}.
struct KnobBounds {
  int min = 1;
  int max = 0;
  bool allows(int value) const { return value >= min && (max == 0 || value <= max); }
  static KnobBounds fixed(int value) { return {value, value}; }
};

// What the search ranks plans by.
enum class SearchObjective {
  time_to_train,  // seconds per training token (equivalent to time-to-train; default)
  step_time,      // seconds per optimizer step (equal ranking when the global batch is fixed)
};

// The space searched. Every layout that satisfies the divisibility rules of check_plan within these
// bounds is a candidate; natural limits in brackets.
struct SearchSpace {
  KnobBounds tp;           // divisors of the scale-up domain (GPUs per node) [domain size]
  KnobBounds pp;           // divisors of the layers, or any count with uneven_pipeline [layers]; with
                           // base.pipeline_layout, divisors (> 1) of its stage count
  KnobBounds dp;           // derived: gpus / (tp*pp*cp) [no limit]
  KnobBounds cp;           // divisors of seq_len [seq_len]
  KnobBounds vp;           // v with pp*v dividing the layers, v > 1 only with pp > 1 [layers/pp]; with
                           // base.pipeline_layout, its stage count / pp alone
  KnobBounds ep;           // MoE: divisors of the routed experts with expert_tp*ep dividing tp*dp*cp [experts]; dense: 1
  // MoE with tp > 1: also search unsplit experts (expert_tp 1, MoE parallel folding) beside expert
  // TP = tp, unless base.expert_tp fixes it.
  bool fold_experts = true;
  KnobBounds micro_batch;  // sequences per micro-batch [global batch / dp]
  std::vector<Recompute> recompute_modes{Recompute::none, Recompute::selective, Recompute::full};
  std::vector<int> zero_stages{0, 1, 2, 3};
  std::vector<bool> sequence_parallel{false, true};  // true is skipped when tp == 1
  std::vector<Precision> precisions{Precision::bf16};
  bool uneven_pipeline = false;  // allow pp that does not divide the layers (vp stays 1 then)
  // Global batch in sequences: fixed (> 0), or every multiple of dp*micro_batch (of dp*micro_batch*pp
  // with interleaving) up to max_global_batch. Neither set: base.global_batch, fixed.
  std::int64_t global_batch = 0;
  std::int64_t max_global_batch = 0;
  // Skip plans that provably do not fit: memory never falls as ZeRO stage falls, as recomputation
  // goes full -> selective -> none, as sequence parallelism is switched off, as the micro-batch or the
  // micro-batch count grows (docs/search.md). Off: evaluate every candidate (tests compare both).
  bool prune_by_memory = true;
  // A plan with pp 1 and no recomputation that does not fit may offload the fewest of its first layers'
  // activations to host memory that make it fit (activation_offload.hpp; the GPU file must state its
  // host): the offloaded plan is the candidate instead. Off: activation_offload_layers stays base's.
  bool offload_to_fit = false;
  // Everything not searched (seq_len, attention kernel, overlap and gradient-precision switches).
  ParallelPlan base;
  // ---- sites: rank orders searched, each layout once per order; empty: base.rank_order alone
  // (the CLI fills it only for a fabric with a site tier and no --rank-order: search_options.cpp).
  std::vector<RankOrder> rank_orders;
};

struct SearchProgress {
  std::int64_t layouts_done = 0;
  std::int64_t layouts_total = 0;
};

struct SearchOptions {
  int top = 10;                 // plans returned
  int threads = 0;              // 0: every hardware thread
  SearchObjective objective = SearchObjective::time_to_train;
  // Called on the calling thread, at most every progress_interval_s and once at the end.
  std::function<void(const SearchProgress&)> progress;
  double progress_interval_s = 0.1;
  // Per-layer and per-collective caching (docs/search.md, "Caching"): the same results, faster.
  // Off: every plan is evaluated from scratch (tests compare both).
  bool cache = true;
  // Pruning on a step-time lower bound (step_time_bound.hpp; needs `cache`): a plan whose bound on
  // the objective exceeds `bound_cutoff`, or (prune_by_bound) the k-th best this thread has found,
  // cannot be among the `top` and is skipped unevaluated. The plans returned are the same; what
  // is evaluated depends on the order threads meet the layouts, so `evaluated` and `feasible`
  // vary between runs with prune_by_bound (the CLI's search leaves it off and reports exact counts).
  // bound_cutoff: an objective at least `top` plans of the space meet (e.g. the k-th best of known
  // plans evaluated on this scenario); skipping against it alone is deterministic.
  bool prune_by_bound = false;
  double bound_cutoff = std::numeric_limits<double>::infinity();
};

struct SearchResult {
  std::vector<PlanResult> plans;   // best first; every one valid and fitting in memory
  std::int64_t layouts = 0;        // (tp, pp, cp, dp, vp, ep) combinations enumerated
  std::int64_t evaluated = 0;      // calls to evaluate
  std::int64_t feasible = 0;       // evaluated plans that fit in memory
  std::int64_t rejected = 0;       // evaluated plans check_plan refused (0 unless the rules drift)
  std::int64_t skipped_by_bound = 0;  // plans whose step-time bound ruled them out (SearchOptions::prune_by_bound)
  double seconds = 0;              // wall time of the search
  int threads = 0;                 // threads used
};

// The layouts (every knob but the per-plan switches and batch sizes) the search visits for a GPU
// count, in enumeration order. dp is resolved; the other fields come from space.base.
std::vector<ParallelPlan> enumerate_layouts(const Scenario& scenario, const SearchSpace& space);

// The objective of an evaluated plan (smaller is better).
double objective_value(const PlanResult& result, SearchObjective objective);

SearchResult search_plans(const Scenario& scenario, const SearchSpace& space, const SearchOptions& options);

}  // namespace trainplan
