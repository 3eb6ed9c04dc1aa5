#pragma once
// What search, size and sweep share: the search-space flags, and turning them (with the plan flags)
// into a SearchSpace.
#include <boost/program_options.hpp>
#include <string>

#include "plan_options.hpp"
#include "planner/core/search/plan_search.hpp"

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
  bool offload_to_fit = false;
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

}  // namespace trainplan
