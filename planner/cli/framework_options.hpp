#pragma once
// Megatron-LM and NeMo / Megatron-Bridge conventions on the planning commands: Megatron-LM's flag
// names as aliases of trainplan's (--tensor-model-parallel-size = --tp, --num-layers =
// --set model.layers=...), --megatron-args FILE and --nemo-recipe FILE. The names and their
// meanings are the rows of framework_names() (planner/io/plan_option_table.cpp); docs/formats.md
// "Megatron-LM and NeMo names" documents them.
#include <boost/program_options.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "plan_options.hpp"

namespace trainplan {

// Adds the Megatron-LM alias flags, --megatron-args and --nemo-recipe to `options`, bound to `flags`;
// nothing when flags.framework_options is false.
void add_framework_options(boost::program_options::options_description& options, PlanFlags& flags);

// True when an argument asks for help: -h, or --help or a prefix of it.
bool help_asked(const std::vector<std::string>& args);

// False when no argument can be one of add_framework_options' flags: none is "--NAME" or
// "--NAME=..." with NAME, not itself an option of `own` (the command's other options), the start of a
// Megatron-LM flag, of --megatron-args or of --nemo-recipe. Boost takes an exact name first and an
// unambiguous prefix otherwise, so leaving those flags out is then the same command line to Boost,
// with some 70 fewer options to build and to match each argument against.
bool framework_names_asked(const std::vector<std::string>& args, const boost::program_options::options_description& own);

// True when any Megatron-LM flag, --megatron-args or --nemo-recipe was given.
bool framework_names_given(const PlanFlags& flags);

// Folds the Megatron-LM flags and the imported file into `flags`: plan values (a trainplan flag
// and its alias given with different values is an error; a flag wins over the file), model fields
// (overrides of --model, or the file's whole model), vp from --num-layers-per-virtual-pipeline-stage.
// Keeps one warning line for `err` listing the file's settings that are not modelled, printed
// once build_plan_setup has checked everything (PlanFlags::framework_warning). Idempotent.
// Every command that takes add_layout_options calls it after parsing its command line.
void resolve_framework_names(PlanFlags& flags, std::ostream& err, const char* command);

// True when the plan option `key` came from --megatron-args or --nemo-recipe (not a flag).
bool imported_from_file(const PlanFlags& flags, const std::string& key);

// The scenario's model: the imported whole model or --model, with `overrides`. An error no single
// field names is prefixed by the Megatron-LM flags and file lines that changed the model.
ModelShape load_plan_model(const PlanFlags& flags, const std::vector<Override>& overrides);

// parse_plan, with an error about a field an alias flag or an imported file set naming that origin.
void parse_plan_naming_origins(const FieldReader& fields, ParallelPlan& plan, TrainingJob& job,
                               const std::map<std::string, std::string>& origins);

}  // namespace trainplan
