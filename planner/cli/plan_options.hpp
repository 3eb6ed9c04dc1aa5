#pragma once
// The flags every planning command shares (plan, compare, search, size, sweep), and turning them
// into a Scenario plus a ParallelPlan. Thin: parsing and checking live in planner/io.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "planner/core/evaluate.hpp"
#include "planner/io/description_loader.hpp"

namespace trainplan {

struct PlanFlags {
  std::string model = "gpt5-class";
  std::string gpu = "h100-sxm";
  std::string topology;                 // empty: the default fabric
  std::vector<std::string> probes;
  std::vector<std::string> sets;        // --set key=value
  // Plan and job flags, kept as text so counts accept suffixes (16M, 15.6T); empty = not given.
  std::string gpus, gpus_per_node, tp, pp, dp, cp, ep, vp, micro_batch, global_batch, global_batch_tokens, seq_len,
      tokens, precision, recompute, zero;
  bool sequence_parallel = false;
  std::string format = "table";
};

// Adds the model/hardware/job flags to `options`, bound to `flags`.
void add_scenario_options(boost::program_options::options_description& options, PlanFlags& flags);
// Adds the parallel-layout flags (--tp ... --zero).
void add_layout_options(boost::program_options::options_description& options, PlanFlags& flags);
void add_format_option(boost::program_options::options_description& options, PlanFlags& flags,
                       const char* formats = "table|json|csv");

struct PlanSetup {
  Scenario scenario;
  ParallelPlan plan;
  std::vector<Override> overrides;
};

// Loads the descriptions, applies --set overrides, and checks every flag (InputError on bad input).
PlanSetup build_plan_setup(const PlanFlags& flags);

// Parses argv with `options`; prints help and returns false when --help was given.
bool parse_command_line(const std::vector<std::string>& args, const boost::program_options::options_description& options,
                        const char* usage, std::ostream& out, const char* command);

}  // namespace trainplan
