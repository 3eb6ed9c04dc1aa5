#include "search_options.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "planner/core/fabric_sizing.hpp"
#include "planner/io/input_error.hpp"
#include "planner/io/scenario_defaults.hpp"
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
      ("max-global-batch-tokens", po::value(&f.max_global_batch_tokens), "search every global batch up to this many tokens (e.g. 16M)")
      ("zero-stages", po::value(&f.zero_stages)->default_value(f.zero_stages), "ZeRO stages searched (--zero fixes one)")
      ("recompute-modes", po::value(&f.recompute_modes)->default_value(f.recompute_modes), "recomputation modes searched (--recompute fixes one)")
      ("precisions", po::value(&f.precisions)->default_value(f.precisions), "precisions searched: bf16,fp8 (--precision fixes one)")
      ("uneven-pipeline", po::bool_switch(&f.uneven_pipeline), "also search pipeline sizes that do not divide the layers")
      ("objective", po::value(&f.objective)->default_value(f.objective), "rank by time (time-to-train, i.e. seconds per token) or step (step time)")
      ("threads", po::value(&f.threads), "search threads (default: every core)")
      ("no-memory-pruning", po::bool_switch(&f.no_memory_pruning), "evaluate every candidate, even those that provably do not fit");
}

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

template <typename Value>
std::vector<Value> parse_choice_list(const std::string& text, const char* flag,
                                     const std::vector<std::pair<std::string, Value>>& choices) {
  std::vector<Value> values;
  for (const std::string& item : split(text, ',')) {
    const auto it = std::find_if(choices.begin(), choices.end(), [&](const auto& c) { return c.first == item; });
    if (it == choices.end()) {
      std::string allowed;
      for (const auto& c : choices) allowed += (allowed.empty() ? "" : ", ") + c.first;
      throw InputError("command line", flag, "expected a comma-separated list of " + allowed + ", got '" + text + "'");
    }
    if (std::find(values.begin(), values.end(), it->second) == values.end()) values.push_back(it->second);
  }
  return values;
}

}  // namespace

std::int64_t parse_positive_count(const std::string& text, const char* flag) {
  const auto value = parse_count(text);
  if (!value || *value < 1 || std::abs(*value - std::round(*value)) > 1e-9 || *value > 9e15)
    throw InputError("command line", flag, "expected a positive whole number, got '" + text + "'");
  return static_cast<std::int64_t>(std::llround(*value));
}

int parse_positive_int(const std::string& text, const char* flag) {
  const std::int64_t value = parse_positive_count(text, flag);
  if (value > (1LL << 30)) throw InputError("command line", flag, "too large: " + text);
  return static_cast<int>(value);
}

double parse_positive_number(const std::string& text, const char* flag) {
  const auto value = parse_count(text);
  if (!value || !(*value > 0)) throw InputError("command line", flag, "expected a positive number, got '" + text + "'");
  return *value;
}

std::string fixed_decimals(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

SearchSetup build_search_setup(PlanFlags flags, const SearchFlags& sf, bool gpus_required, bool allow_unreachable_fabric) {
  SearchSetup s;
  if (flags.gpus.empty()) {
    if (gpus_required) throw InputError("command line", "--gpus", "missing: how many GPUs does the job use?");
    flags.gpus = flags.gpus_per_node.empty() ? "8" : flags.gpus_per_node;
  }
  const bool batch_given = !flags.global_batch.empty() || !flags.global_batch_tokens.empty();
  const bool max_given = !sf.max_global_batch.empty() || !sf.max_global_batch_tokens.empty();
  if (batch_given && max_given)
    throw InputError("command line", "--max-global-batch", "give a fixed global batch or a maximum, not both");
  if (!batch_given && !max_given)
    throw InputError("command line", "--global-batch",
                     "missing: give --global-batch(-tokens) for a fixed batch, or --max-global-batch(-tokens) to search it");
  if (!sf.max_global_batch.empty() && !sf.max_global_batch_tokens.empty())
    throw InputError("command line", "--max-global-batch-tokens", "give --max-global-batch or --max-global-batch-tokens, not both");
  if (max_given) flags.global_batch = "1";  // placeholder: the search sets the batch of each plan
  s.flags = flags;
  s.plan_setup = build_plan_setup(flags, allow_unreachable_fabric);
  const ParallelPlan& plan = s.plan_setup.plan;

  SearchSpace& space = s.space;
  space.base = plan;
  space.base.dp = 0;
  if (max_given) {
    space.max_global_batch = !sf.max_global_batch.empty()
                                 ? parse_positive_count(sf.max_global_batch, "--max-global-batch")
                                 : parse_positive_count(sf.max_global_batch_tokens, "--max-global-batch-tokens") / plan.seq_len;
    if (space.max_global_batch < 1)
      throw InputError("command line", "--max-global-batch-tokens", "is less than one sequence of " + std::to_string(plan.seq_len) + " tokens");
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
  space.tp = knob(flags.tp, plan.tp, sf.tp_max, "--tp-max");
  space.pp = knob(flags.pp, plan.pp, sf.pp_max, "--pp-max");
  space.dp = flags.dp.empty() ? KnobBounds{} : KnobBounds::fixed(plan.dp);
  space.cp = knob(flags.cp, plan.cp, sf.cp_max, "--cp-max");
  space.vp = knob(flags.vp, plan.vp, sf.vp_max, "--vp-max");
  space.ep = knob(flags.ep, plan.ep, sf.ep_max, "--ep-max");
  space.micro_batch = knob(flags.micro_batch, plan.micro_batch, sf.micro_batch_max, "--micro-batch-max");

  if (!flags.zero.empty()) {
    space.zero_stages = {plan.zero_stage};
  } else {
    space.zero_stages = parse_choice_list<int>(sf.zero_stages, "--zero-stages", {{"0", 0}, {"1", 1}, {"2", 2}, {"3", 3}});
  }
  if (!flags.recompute.empty()) {
    space.recompute_modes = {plan.recompute};
  } else {
    space.recompute_modes = parse_choice_list<Recompute>(
        sf.recompute_modes, "--recompute-modes",
        {{"none", Recompute::none}, {"selective", Recompute::selective}, {"full", Recompute::full}});
  }
  if (!flags.precision.empty()) {
    space.precisions = {plan.precision};
  } else {
    space.precisions = parse_choice_list<Precision>(sf.precisions, "--precisions", {{"bf16", Precision::bf16}, {"fp8", Precision::fp8}});
  }
  if (flags.sequence_parallel) space.sequence_parallel = {true};
  space.uneven_pipeline = sf.uneven_pipeline || plan.uneven_pipeline;
  space.prune_by_memory = !sf.no_memory_pruning;

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

ScenarioAtGpus scenario_at_gpus(const SearchSetup& setup) {
  const Scenario base = setup.plan_setup.scenario;
  const std::string topology = setup.flags.topology;
  const std::vector<Override> overrides = setup.plan_setup.overrides;
  return [base, topology, overrides](int gpus) {
    Scenario sc = base;
    sc.job.gpus = gpus;
    // Not refused here: size and sweep keep counts beyond fabric_reach_gpus out of their ladders.
    sc.fabric = load_fabric_for(topology, sc.job, sc.gpu, overrides, true);
    return sc;
  };
}

int fabric_reach_gpus(const SearchSetup& setup) {
  const Scenario& sc = setup.plan_setup.scenario;
  return size_fabric(sc.fabric, sc.job.gpus).max_gpus;
}

std::string beyond_reach_reason(const std::string& fabric_name, int reach_gpus) {
  return "the fabric " + fabric_name + " reaches at most " + std::to_string(reach_gpus) + " GPUs";
}

std::vector<int> parse_gpu_counts(const std::string& text, const char* flag) {
  constexpr std::size_t kMostCounts = 10000;
  const auto bad = [&](const std::string& why) -> InputError {
    return InputError("command line", flag, why + " (expected a:b doubling, a:b:step, or a,b,c; got '" + text + "')");
  };
  std::vector<int> counts;
  for (const std::string& item : split(text, ',')) {
    if (item.empty()) throw bad("empty item");
    const std::vector<std::string> parts = split(item, ':');
    if (parts.size() > 3) throw bad("too many ':' in '" + item + "'");
    std::vector<int> numbers;
    for (const std::string& p : parts) numbers.push_back(parse_positive_int(p, flag));
    if (numbers.size() == 1) {
      counts.push_back(numbers[0]);
      continue;
    }
    const int first = numbers[0], last = numbers[1];
    if (last < first) throw bad("range '" + item + "' ends below its start");
    // Checked while expanding, so a range like 1:1000000000:1 is refused before it is built.
    const long long step = numbers.size() == 2 ? 0 : numbers[2];
    for (long long n = first; n <= last; n = step == 0 ? n * 2 : n + step) {
      if (counts.size() >= kMostCounts) throw bad("more than " + std::to_string(kMostCounts) + " counts");
      counts.push_back(static_cast<int>(n));
    }
  }
  if (counts.empty()) throw bad("no counts");
  return counts;
}

std::vector<std::string> plan_row_header() {
  return {"tp", "pp", "dp", "cp", "ep", "vp", "micro_batch", "global_batch", "precision", "recompute", "sequence_parallel",
          "zero", "step_time_s", "time_to_train_days", "mfu", "tokens_per_second", "memory_per_gpu_gib", "compute_s",
          "tp_comm_s", "cp_comm_s", "ep_comm_s", "pp_comm_s", "dp_comm_s", "pipeline_bubble_s", "optimizer_s", "expert_tp"};
}

std::vector<std::string> plan_row(const PlanResult& r) {
  const ParallelPlan& p = r.plan;
  const StepBreakdown& b = r.breakdown;
  return {std::to_string(p.tp), std::to_string(p.pp), std::to_string(p.dp), std::to_string(p.cp), std::to_string(p.ep),
          std::to_string(p.vp), std::to_string(p.micro_batch), std::to_string(p.global_batch), to_string(p.precision),
          to_string(p.recompute), p.sequence_parallel ? "true" : "false", std::to_string(p.zero_stage),
          fixed_decimals(r.step_time_s, 4), fixed_decimals(r.time_to_train_days, 3), fixed_decimals(r.mfu, 4), fixed_decimals(r.tokens_per_second, 0),
          fixed_decimals(r.memory_per_gpu_gib, 2), fixed_decimals(b.compute_s, 4), fixed_decimals(b.tp_comm_s, 4), fixed_decimals(b.cp_comm_s, 4),
          fixed_decimals(b.ep_comm_s, 4), fixed_decimals(b.pp_comm_s, 4), fixed_decimals(b.dp_comm_s, 4), fixed_decimals(b.pipeline_bubble_s, 4),
          fixed_decimals(b.optimizer_s, 4), std::to_string(p.routed_expert_tp())};
}

void write_rows(const std::vector<std::vector<std::string>>& rows, bool csv, std::ostream& out) {
  if (csv) {
    for (const auto& row : rows) {
      for (std::size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << row[i];
      out << "\n";
    }
    return;
  }
  std::vector<std::size_t> widths;
  for (const auto& row : rows)
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], row[i].size());
    }
  for (const auto& row : rows) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) line += "  ";
      line += std::string(widths[i] - row[i].size(), ' ') + row[i];
    }
    out << line << "\n";
  }
}

ProgressBar::ProgressBar(std::ostream& err) : err_(err), enabled_(&err == &std::cerr && isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::show(const std::string& label, double fraction) {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  const double clamped = std::clamp(fraction, 0.0, 1.0);
  const int filled = static_cast<int>(clamped * kWidth);
  err_ << "\r\033[K" << label << " [" << std::string(static_cast<std::size_t>(filled), '#')
       << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << static_cast<int>(100 * clamped) << "%"
       << std::flush;
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace trainplan
