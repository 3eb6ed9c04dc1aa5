#include "search_options.hpp"

#include <algorithm>
#include <charconv>

#include "cli_notes.hpp"
#include "flag_values.hpp"
#include "planner/io/token_batch.hpp"
#include "planner/core/search/site_rank_orders.hpp"
#include "framework_options.hpp"  // imported_from_file
#include "planner/io/input_error.hpp"
#include "planner/io/yaml_fields.hpp"

namespace po = boost::program_options;

namespace trainplan {

void add_search_options(po::options_description& options, SearchFlags& f) {
  options.add_options()
      ("tp-max", po::value(&f.tp_max), "largest tensor-parallel size searched (default: GPUs per node)")
      ("pp-max", po::value(&f.pp_max), "most pipeline stages searched (default: the layers)")
      ("cp-max", po::value(&f.cp_max)->default_value(f.cp_max), "largest context-parallel size searched")
      ("vp-max", po::value(&f.vp_max), "most virtual stages per GPU searched (default: layers / pp)")
      ("ep-max", po::value(&f.ep_max), "largest expert-parallel size searched, MoE (default: the experts)")
      ("micro-batch-max", po::value(&f.micro_batch_max)->default_value(f.micro_batch_max), "largest micro-batch searched (sequences)")
      ("max-global-batch", po::value(&f.max_global_batch), "search every global batch up to this many sequences (instead of --global-batch)")
      ("max-global-batch-tokens", po::value(&f.max_global_batch_tokens), "search every global batch up to this many tokens, rounded to the nearest whole number of sequences (K/M/G/T count powers of 1024 here: 50M = 52,428,800)")
      ("zero-stages", po::value(&f.zero_stages)->default_value(f.zero_stages), "ZeRO stages searched (--zero fixes one)")
      ("recompute-modes", po::value(&f.recompute_modes)->default_value(f.recompute_modes), "recomputation modes searched (--recompute fixes one)")
      ("precisions", po::value(&f.precisions)->default_value(f.precisions), "precisions searched: bf16,fp8 (--precision fixes one)")
      ("uneven-pipeline", po::bool_switch(&f.uneven_pipeline), "also search pipeline sizes that do not divide the layers")
      ("objective", po::value(&f.objective)->default_value(f.objective), "rank by time (time-to-train, i.e. seconds per token) or step (step time)")
      ("threads", po::value(&f.threads), "search threads (default: every core)")
      ("no-memory-pruning", po::bool_switch(&f.no_memory_pruning), "evaluate every candidate, even those that provably do not fit")
      ("offload-to-fit", po::bool_switch(&f.offload_to_fit),
       "a plan with pp 1 and no recomputation that does not fit may offload the fewest layers' activations to host memory that "
       "make it fit (Megatron-Core's cpu_offloading; the GPU file must state its host)");
}

namespace {

// The GPU count a search without --gpus is set up at (size and sweep choose their counts later):
// a whole number of nodes holding every fixed group (tp x pp x cp x dp, and ep and expert_tp alone),
// so that the checks a plan gets (no group larger than the job) pass for the knobs given. A value
// that is not a count is left to those checks, which name its flag.
std::string placeholder_gpus(const PlanFlags& flags) {
  const auto size_of = [&](const char* key) -> long long {
    long long value = 1;
    const std::string& text = flags.given(key);
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc() && end == text.data() + text.size() && value >= 1 ? value : 1;
  };
  const long long node = flags.given("gpus_per_node").empty() ? 8 : size_of("gpus_per_node");
  const auto cap = static_cast<long long>(limits::gpus.max);
  long long groups = 1;
  for (const char* key : {"tp", "pp", "cp", "dp"}) groups = std::min(cap, groups * std::min(cap, size_of(key)));
  groups = std::max({groups, size_of("ep"), size_of("expert_tp")});
  return std::to_string(std::min(cap, (groups + node - 1) / node * node));
}

}  // namespace

SearchSetup build_search_setup(PlanFlags flags, const SearchFlags& sf, bool gpus_required, bool allow_unreachable_fabric) {
  SearchSetup s;
  if (flags.given("gpus").empty()) {
    // With --slurm, search takes every node of the file (build_plan_setup says so).
    if (gpus_required && flags.slurm.empty()) throw InputError("command line", "--gpus", "missing: how many GPUs does the job use?");
    if (!gpus_required) flags.plan_values["gpus"] = placeholder_gpus(flags);
  }
  const bool max_given = !sf.max_global_batch.empty() || !sf.max_global_batch_tokens.empty();
  if (max_given && imported_from_file(flags, "global_batch")) flags.plan_values["global_batch"] = "";  // ---- the maximum wins over a file's batch ----
  const bool batch_given = !flags.given("global_batch").empty() || !flags.given("global_batch_tokens").empty();
  if (batch_given && max_given)
    throw InputError("command line", "--max-global-batch", "give a fixed global batch or a maximum, not both");
  if (!batch_given && !max_given)
    throw InputError("command line", "--global-batch",
                     "missing: give --global-batch(-tokens) for a fixed batch, or --max-global-batch(-tokens) to search it");
  if (!sf.max_global_batch.empty() && !sf.max_global_batch_tokens.empty())
    throw InputError("command line", "--max-global-batch-tokens", "give --max-global-batch or --max-global-batch-tokens, not both");
  if (max_given) flags.plan_values["global_batch"] = "1";  // placeholder: the search sets the batch of each plan
  s.flags = flags;
  s.plan_setup = build_plan_setup(flags, allow_unreachable_fabric);
  const ParallelPlan& plan = s.plan_setup.plan;

  // ---- without --tokens: the tables show '-' for days and cost; say why once ----
  if (s.plan_setup.scenario.job.training_tokens <= 0)
    add_cli_note("no --tokens: days, GPU-days and cost are shown as '-' (give --tokens for time-to-train and cost)");
  SearchSpace& space = s.space;
  space.base = plan;
  space.base.dp = 0;
  if (max_given) {
    if (!sf.max_global_batch.empty()) {
      space.max_global_batch = parse_positive_count(sf.max_global_batch, "--max-global-batch");
    } else {
      // Token-batch rule (planner/io/token_batch.hpp): 50M = 52,428,800 tokens; the bound is the
      // nearest whole number of sequences, so 50M at 8192 admits 6400 sequences (6144 among them).
      const auto tokens = parse_token_batch(sf.max_global_batch_tokens);
      // Beyond the limit of searched batches is said below, in sequences; this bound keeps the
      // rounding in range.
      if (!tokens || !(*tokens >= 1) || *tokens > 9e15)
        throw InputError("command line", "--max-global-batch-tokens",
                         "expected a positive number of tokens (in a token batch K, M, G, T count powers of 1024: 16M = 16,777,216), got '" +
                             sf.max_global_batch_tokens + "'");
      space.max_global_batch = whole_sequences(*tokens, plan.seq_len).sequences;
      if (space.max_global_batch < 1)
        throw InputError("command line", "--max-global-batch-tokens",
                         "is less than half a sequence of " + std::to_string(plan.seq_len) + " tokens");
      const std::string note = token_batch_note("--max-global-batch-tokens", sf.max_global_batch_tokens, *tokens, plan.seq_len);
      if (!note.empty()) add_cli_note(note + " (the largest batch searched)");
    }
    // Every batch up to the maximum is evaluated for every layout: the work grows with it.
    if (space.max_global_batch > limits::max_searched_global_batches)
      throw InputError("command line", sf.max_global_batch.empty() ? "--max-global-batch-tokens" : "--max-global-batch",
                       "searches " + std::to_string(space.max_global_batch) + " sequences per step, more than the limit of " +
                           std::to_string(limits::max_searched_global_batches) + " (" +
                           std::to_string(limits::max_searched_global_batches * plan.seq_len) + " tokens at seq_len " +
                           std::to_string(plan.seq_len) + ")");
  } else {
    space.global_batch = plan.global_batch;
  }

  // A given plan flag fixes its knob; the bounds flags limit the others.
  const auto knob = [](const std::string& given, int value, const std::string& max_text, const char* max_flag) {
    if (!given.empty()) return KnobBounds::fixed(value);
    KnobBounds b;
    if (!max_text.empty()) b.max = parse_positive_int(max_text, max_flag);
    return b;
  };
  space.tp = knob(flags.given("tp"), plan.tp, sf.tp_max, "--tp-max");
  space.pp = knob(flags.given("pp"), plan.pp, sf.pp_max, "--pp-max");
  space.dp = flags.given("dp").empty() ? KnobBounds{} : KnobBounds::fixed(plan.dp);
  space.cp = knob(flags.given("cp"), plan.cp, sf.cp_max, "--cp-max");
  space.vp = knob(flags.given("vp"), plan.vp, sf.vp_max, "--vp-max");
  space.ep = knob(flags.given("ep"), plan.ep, sf.ep_max, "--ep-max");
  space.micro_batch = knob(flags.given("micro_batch"), plan.micro_batch, sf.micro_batch_max, "--micro-batch-max");

  if (!flags.given("zero").empty()) {
    space.zero_stages = {plan.zero_stage};
  } else {
    space.zero_stages = parse_choice_list<int>(sf.zero_stages, "--zero-stages", {{"0", 0}, {"1", 1}, {"2", 2}, {"3", 3}});
  }
  if (!flags.given("recompute").empty()) {
    space.recompute_modes = {plan.recompute};
  } else {
    space.recompute_modes = parse_choice_list<Recompute>(
        sf.recompute_modes, "--recompute-modes",
        {{"none", Recompute::none}, {"selective", Recompute::selective}, {"full", Recompute::full}});
  }
  if (!flags.given("precision").empty()) {
    space.precisions = {plan.precision};
  } else {
    space.precisions = parse_choice_list<Precision>(sf.precisions, "--precisions", {{"bf16", Precision::bf16}, {"fp8", Precision::fp8}});
  }
  if (!flags.given("sequence_parallel").empty()) space.sequence_parallel = {plan.sequence_parallel};
  // ---- sequence parallelism at tp 1: nothing to split, so it is off (as Megatron-LM turns it off) ----
  if (space.tp.max == 1 && space.sequence_parallel == std::vector<bool>{true}) {
    space.sequence_parallel = {false};
    add_cli_note(std::string(flags.given("tp").empty() ? "--tp-max 1" : "--tp 1") +
                 " with --sequence-parallel: a tensor-parallel group of one GPU has nothing to split, so sequence parallelism "
                 "is off (as Megatron-LM turns it off at tp 1)");
  }
  space.uneven_pipeline = sf.uneven_pipeline || plan.uneven_pipeline;
  space.prune_by_memory = !sf.no_memory_pruning;
  // ---- --offload-to-fit: activation offloading where a plan does not fit (activation_offload.hpp) ----
  if (sf.offload_to_fit) {
    if (plan.activation_offload_layers > 0)
      throw InputError("command line", "--offload-to-fit",
                       "give either --activation-offload-layers (one count for every plan) or --offload-to-fit, not both");
    const GpuSpec& gpu = s.plan_setup.scenario.gpu;
    if (!gpu.states_host())
      throw InputError("command line", "--offload-to-fit",
                       "the GPU file of " + gpu.name + " states no host link and memory (its 'host' block), so no activation can be offloaded");
    space.offload_to_fit = true;
  }
  // ---- sites: with a DCI tier and no --rank-order, search both of Megatron-Core's orders ----
  if (flags.given("rank_order").empty()) {
    space.rank_orders = site_search_rank_orders(s.plan_setup.scenario.fabric);
    if (!space.rank_orders.empty())
      add_cli_note("the topology joins sites (a DCI tier) and no --rank-order was given: the search tries rank orders tp-cp-ep-dp-pp "
                   "and tp-cp-ep-pp-dp and each plan's rank_order says which it has");
  }

  SearchOptions& options = s.options;
  if (sf.objective == "time")
    options.objective = SearchObjective::time_to_train;
  else if (sf.objective == "step")
    options.objective = SearchObjective::step_time;
  else
    throw InputError("command line", "--objective", "expected time or step, got '" + sf.objective + "'");
  if (!sf.threads.empty()) {
    options.threads = parse_positive_int(sf.threads, "--threads");
    if (options.threads > limits::search_threads.max)
      throw InputError("command line", "--threads", "expected " + range_text(limits::search_threads) + " threads, got " + sf.threads);
  }
  return s;
}

}  // namespace trainplan
