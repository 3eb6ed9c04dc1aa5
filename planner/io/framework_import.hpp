#pragma once
// Settings written in Megatron-LM's or NeMo / Megatron-Bridge's names, turned into trainplan's:
// plan options (by their key in plan_option_table) and model fields. The names and what each
// means are the rows of framework_names() (planner/io/plan_option_table.cpp); docs/formats.md
// "Megatron-LM and NeMo names" documents the subset, the defaults and the ignored names.
#include <map>
#include <string>
#include <vector>

#include "description_loader.hpp"
#include "plan_option_table.hpp"

namespace trainplan {

// One imported value and where it came from ("--megatron-args run.sh line 12 (--num-layers)").
struct ImportedValue {
  std::string value;
  std::string origin;
};

struct ImportedRun {
  std::string source;  // "--megatron-args FILE", "--nemo-recipe FILE", "command line"
  // Plan option key -> value text (checked later by read_plan_options), plus
  // "layers_per_virtual_stage" (Megatron's --num-layers-per-virtual-pipeline-stage).
  std::map<std::string, ImportedValue> plan;
  // Model fields by path below `model` ("layers", "moe.top_k") -> value text.
  std::map<std::string, ImportedValue> model;
  // A whole model description, when the settings give its shape (layers, hidden size and heads);
  // null otherwise, and `model` is laid over --model instead (model_overrides).
  YAML::Node whole_model;
  bool has_whole_model() const { return whole_model.IsMap(); }
  // Names read but not modelled (not in the table nor the documented ignore list), for the warning.
  std::vector<std::string> not_modelled;
};

// Records one setting of the table: its value translated (a FrameworkValue::words word to its
// trainplan value; a count or number checked as such). InputError naming `origin` on a bad value.
void apply_framework_setting(const FrameworkName& name, const std::string& value, const std::string& origin, ImportedRun& run);

// A Megatron-LM argument list (as a pretrain_gpt.py launch script passes it): `--name value`
// tokens over lines, `\` continuations and `#` comments; a `$VAR` is an error naming its line.
ImportedRun parse_megatron_args(const std::string& text, const std::string& source);
ImportedRun import_megatron_args(const std::string& path);

// A NeMo 2.0 recipe (model.config, trainer.strategy, trainer.plugins, data, optim.config) or a
// Megatron-Bridge ConfigContainer (model, train, dataset, optimizer, ddp, mixed_precision) as YAML.
ImportedRun parse_nemo_recipe(const YAML::Node& document, const std::string& source);
ImportedRun import_nemo_recipe(const std::string& path);

// The model fields as overrides of scope model (each naming its origin), for laying over --model.
std::vector<Override> model_overrides(const ImportedRun& run);

// The imported whole model with `overrides` (scope model) applied, checked; InputError naming the
// origin of the field at fault.
ModelShape load_imported_model(const ImportedRun& run, const std::vector<Override>& overrides);

}  // namespace trainplan
