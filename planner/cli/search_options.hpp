#pragma once
// What search, size and sweep share: the search-space flags, turning them (with the plan flags) into
// a SearchSpace, the scenario at any GPU count, the columns of a plan row, and the progress bar.
#include <boost/program_options.hpp>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "plan_options.hpp"
#include "planner/core/cluster_sizing.hpp"
#include "planner/core/plan_search.hpp"

namespace trainplan {

struct SearchFlags {
  // Kept as text (empty = not given) so counts accept suffixes and errors name the flag.
  std::string tp_max, pp_max, cp_max = "16", vp_max, ep_max, micro_batch_max = "16";
  std::string max_global_batch, max_global_batch_tokens;
  std::string zero_stages = "0,1,2,3";
  std::string recompute_modes = "none,selective,full";
  std::string precisions = "bf16";
  std::string objective = "time";
  std::string threads;
  bool uneven_pipeline = false;
  bool no_memory_pruning = false;
};

// --tp-max ... --threads. A plan flag that is given (--tp 8, --zero 1, --recompute full,
// --sequence-parallel, ...) fixes that knob; the others are searched.
void add_search_options(boost::program_options::options_description& options, SearchFlags& flags);

struct SearchSetup {
  PlanFlags flags;          // as given (with placeholders for a missing --gpus or global batch)
  PlanSetup plan_setup;     // the scenario at the first GPU count
  SearchSpace space;
  SearchOptions options;
};

// Loads the scenario and builds the search space. `gpus_required`: --gpus must be given (search);
// otherwise a missing --gpus becomes gpus_per_node (size, sweep set the count themselves).
// `allow_unreachable_fabric`: a --gpus beyond the fabric's reach is no InputError (sweep, which
// reports such counts per row); search and size refuse it.
SearchSetup build_search_setup(PlanFlags flags, const SearchFlags& search_flags, bool gpus_required,
                               bool allow_unreachable_fabric = false);

// The scenario at a GPU count, with the fabric sized for that count. It does not refuse a count
// beyond the fabric's reach: callers keep those out with fabric_reach_gpus (size_for_deadline and
// sweep_counts take it).
ScenarioAtGpus scenario_at_gpus(const SearchSetup& setup);

// The most GPUs the setup's fabric connects (FabricSize::max_gpus).
int fabric_reach_gpus(const SearchSetup& setup);
// "the fabric NAME reaches at most N GPUs": why a count beyond the reach is infeasible.
std::string beyond_reach_reason(const std::string& fabric_name, int reach_gpus);

// GPU counts: "a:b" (a, 2a, 4a, ... up to b), "a:b:step", "a,b,c", or a mix ("1024,4096:16384").
// InputError naming `flag` on bad input.
std::vector<int> parse_gpu_counts(const std::string& text, const char* flag);

// Flag values shared by search, size and sweep; InputError naming the flag on bad input.
std::int64_t parse_positive_count(const std::string& text, const char* flag);  // whole, >= 1; 16M ok
int parse_positive_int(const std::string& text, const char* flag);
double parse_positive_number(const std::string& text, const char* flag);       // > 0
std::string fixed_decimals(double value, int decimals);

// One line of settings and figures per plan, for the table and CSV reporters of search and sweep.
std::vector<std::string> plan_row_header();
std::vector<std::string> plan_row(const PlanResult& result);
// Writes rows as aligned columns (table) or comma-separated values (csv).
void write_rows(const std::vector<std::vector<std::string>>& rows, bool csv, std::ostream& out);

// A one-line progress bar on stderr, drawn only when `err` is the process's stderr and a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::ostream& err);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  bool enabled() const { return enabled_; }
  void show(const std::string& label, double fraction);
  void clear();

 private:
  std::ostream& err_;
  bool enabled_ = false;
  bool drawn_ = false;
};

}  // namespace trainplan
