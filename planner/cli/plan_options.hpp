#pragma once
// The flags every planning command shares (plan, compare, search, size, sweep), and turning them
// into a Scenario plus a ParallelPlan. Thin: parsing and checking live in planner/io.
#include <boost/program_options.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/evaluate.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/economics_loader.hpp"
#include "planner/io/framework_import.hpp"

namespace trainplan {

struct PlanFlags {
  std::string model = "gpt5-class";
  std::string gpu = "h100-sxm";
  std::string topology;                 // empty: the default fabric
  std::string slurm;                    // --slurm topology.conf: the cluster's switch tree instead of --topology
  std::vector<std::string> probes;
  std::vector<std::string> sets;        // --set key=value
  // Plan and job flags (the rows of planner/io/plan_option_table with a flag) by option key, kept
  // as text so counts accept suffixes (16M, 15.6T); absent or empty = not given.
  std::map<std::string, std::string> plan_values;
  std::string format = "table";

  // ---- Megatron-LM / NeMo names (planner/cli/framework_options.cpp) ----
  std::map<std::string, std::string> megatron_values;  // a Megatron-LM flag (without "--") -> its text
  std::string megatron_args;                           // --megatron-args FILE
  std::string nemo_recipe;                             // --nemo-recipe FILE
  // false: the command line names none of the above (framework_names_asked), so their options are
  // not built (about a tenth of a plan's instructions).
  bool framework_options = true;
  // Set by resolve_framework_names: the values above folded into plan_values, the model they give.
  bool framework_resolved = false;
  std::map<std::string, std::string> plan_value_origins;  // plan key -> the flag or file line that set it
  std::shared_ptr<const ImportedRun> imported;             // the file's settings (its whole model, if any)
  std::vector<Override> framework_model_fields;           // model fields from the file and the flags
  // The warning naming the file's settings not modelled: printed on `warning_stream` once, by the
  // first build_plan_setup that succeeds (so bad input still gets its one error line alone).
  std::shared_ptr<std::string> framework_warning;
  std::ostream* warning_stream = nullptr;

  // The text given for the option `key` ("" when not given).
  const std::string& given(const std::string& key) const;

  // ---- Failures, checkpoints, cost and energy (docs/goodput-and-cost.md). Kept as text, empty = not given; each
  // becomes an economics.* override, checked by planner/io/economics_loader (same path as --set). ----
  std::string economics;                // --economics FILE, laid over planner/data/economics.yaml
  std::string failure_rate;             // failures.per_gpu_day: a number or llama3 | meta_research_clusters
  std::string checkpoint_interval;      // checkpoint.interval_minutes: minutes or "optimal"
  std::string restart_minutes;          // recovery.restart_minutes
  std::string storage_gb_s;             // checkpoint.storage_gb_s
  std::string hot_spares;               // recovery.hot_spare_nodes
  std::string runs;                     // monte_carlo.runs (0: no simulation)
  std::string seed;                     // monte_carlo.seed
  std::string cost_basis;               // cost.basis: buy | rent
  std::string gpu_price;                // cost.gpu_usd
  std::string rent_price;               // cost.rent_usd_per_gpu_hour
  std::string amortization_years;       // cost.amortization_years
  std::string pue;                      // energy.pue
  std::string electricity_price;        // energy.electricity_usd_per_kwh
};

// Adds the model/hardware/job flags to `options`, bound to `flags`.
void add_scenario_options(boost::program_options::options_description& options, PlanFlags& flags);
// Adds the parallel-layout flags (--tp ... --zero): the plan options of the table that have a flag.
void add_layout_options(boost::program_options::options_description& options, PlanFlags& flags);
// search, size and sweep: the same flags split into the knobs they search when the flag is not given
// (the option table's `searched`, shown in place of a default) and those that stay fixed.
void add_search_layout_options(boost::program_options::options_description& searched,
                               boost::program_options::options_description& fixed, PlanFlags& flags);
void add_format_option(boost::program_options::options_description& options, PlanFlags& flags,
                       const char* formats = "table|json|csv");

// Adds the failure/checkpoint/cost/energy flags (--failure-rate ... --electricity-price).
void add_economics_options(boost::program_options::options_description& options, PlanFlags& flags);
// The economics settings: bundled defaults, --economics FILE, then `overrides` (scope economics, from
// --set) and the dedicated flags (which win). InputError on bad input, naming the flag.
LoadedEconomics load_plan_economics(const PlanFlags& flags, const std::vector<Override>& overrides);

struct PlanSetup {
  Scenario scenario;
  ParallelPlan plan;
  std::vector<Override> overrides;
  std::string note;  // a default worth saying (--gpus taken from the --slurm file's nodes); empty: none
};

// Prints setup.note, when there is one, as one "trainplan COMMAND: note: ..." line on `err`.
void print_setup_note(const PlanSetup& setup, const char* command, std::ostream& err);

// Loads the descriptions, applies --set overrides, and checks every flag (InputError on bad input).
PlanSetup build_plan_setup(const PlanFlags& flags, bool allow_unreachable_fabric = false);

// Failures, goodput, cost and energy of an evaluated plan, counting the switches, cables and NICs
// of the scenario's fabric sized for the job.
RunEconomics plan_economics(const Scenario& scenario, const PlanResult& result, const EconomicsModel& model);

// NAME of an argument "--NAME" or "--NAME=VALUE"; empty for any other (a value, a short option, "--").
std::string_view long_option_name(std::string_view arg);

// Parses argv with `options`; prints help and returns false when --help was given.
bool parse_command_line(const std::vector<std::string>& args, const boost::program_options::options_description& options,
                        const char* usage, std::ostream& out, const char* command);

}  // namespace trainplan
