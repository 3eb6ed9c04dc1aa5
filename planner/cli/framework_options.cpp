#include "framework_options.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <string_view>

#include "planner/io/input_error.hpp"
#include "planner/io/plan_option_table.hpp"

namespace po = boost::program_options;

namespace trainplan {

namespace {

// "--tp" for a plan key (the option's flag), "plan.KEY" when it has none.
std::string flag_of(const std::string& key) {
  const PlanOption* o = find_plan_option(key);
  return o && o->has_flag() ? "--" + std::string(o->flag) : "--set plan." + key;
}

std::string alias_help(const FrameworkName& n) {
  const std::string target = n.target;
  if (target == "plan.layers_per_virtual_stage") return "Megatron-LM name: --vp = layers / (pp x this)";
  const PlanOption* o = target.rfind("plan.", 0) == 0 ? find_plan_option(target.substr(5)) : nullptr;
  const bool has_flag = o && o->has_flag();
  // "--tp", "--set model.layers=N"; a switch with its value: "--zero 1", "--set plan.tp_overlap=true".
  const auto with_value = [&](const std::string& value) {
    return has_flag ? "--" + std::string(o->flag) + " " + value : "--set " + target + "=" + value;
  };
  if (n.value == FrameworkValue::same) return "Megatron-LM name: " + (has_flag ? "--" + std::string(o->flag) : "--set " + target + "=N");
  if (n.megatron_switch) {
    for (const auto& [word, value] : n.words)
      if (std::string(word) == "true") return "Megatron-LM name: " + with_value(value);
  }
  std::string words;
  for (const auto& [word, value] : n.words) words += (words.empty() ? "" : ", ") + std::string(word) + ": " + with_value(value);
  return "Megatron-LM name: " + words;
}

void add_virtual_stage_count(PlanFlags& f, const ImportedValue& layers_per_stage) {
  if (!f.given("vp").empty()) {
    const auto origin = f.plan_value_origins.find("vp");
    throw InputError(layers_per_stage.origin, "",
                     "gives the virtual stages too, as " + (origin != f.plan_value_origins.end() ? origin->second : "--vp " + f.given("vp")) +
                         " does; give one");
  }
  // The model's layers: the imported whole model or --model, with every model override.
  std::vector<Override> overrides = f.framework_model_fields;
  for (const auto& text : f.sets) {
    const Override o = parse_override(text);
    if (o.scope == "model") overrides.push_back(o);
  }
  const ModelShape model = load_plan_model(f, overrides);
  if (f.given("pp").empty())
    throw InputError(layers_per_stage.origin, "", "needs the pipeline size (--pipeline-model-parallel-size or --pp)");
  const auto pp = parse_count(f.given("pp"));
  const auto per_stage = parse_count(layers_per_stage.value);
  if (!pp || *pp < 1 || *pp > 1e6 || !per_stage || *per_stage < 1 || *per_stage > 1e6 || *per_stage != std::floor(*per_stage))
    throw InputError(layers_per_stage.origin, "", "expected a whole number of layers >= 1 and a pipeline size >= 1");
  const long long chunk = static_cast<long long>(*pp) * static_cast<long long>(*per_stage);
  if (model.layers % chunk != 0)
    throw InputError(layers_per_stage.origin, "",
                     "the model's " + std::to_string(model.layers) + " layers are not a whole number of pipeline stages (" +
                         std::to_string(static_cast<long long>(*pp)) + ") x " + layers_per_stage.value + " layers per virtual stage");
  f.plan_values["vp"] = std::to_string(model.layers / chunk);
  f.plan_value_origins["vp"] = layers_per_stage.origin;
}

}  // namespace

namespace {
// The Megatron-LM names add_framework_options registers: those that are not trainplan's own flags
// already (Megatron-LM's --sequence-parallel is).
bool registered_as_alias(const FrameworkName& n) {
  if (n.megatron[0] == '\0') return false;
  const auto& table = plan_option_table();
  return std::none_of(table.begin(), table.end(), [&](const PlanOption& o) { return std::string_view(o.flag) == n.megatron; });
}
}  // namespace

bool help_asked(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(), [](const std::string& arg) {
    const std::string_view name = long_option_name(arg);
    return arg.rfind("-h", 0) == 0 || (!name.empty() && std::string_view("help").rfind(name, 0) == 0);
  });
}

bool framework_names_asked(const std::vector<std::string>& args, const po::options_description& own) {
  static const std::vector<std::string_view> names = [] {
    std::vector<std::string_view> v = {"megatron-args", "nemo-recipe"};
    for (const FrameworkName& n : framework_names())
      if (registered_as_alias(n)) v.emplace_back(n.megatron);
    return v;
  }();
  for (const std::string& arg : args) {
    const std::string_view name = long_option_name(arg);
    if (name.empty()) continue;
    const auto& options = own.options();
    if (std::any_of(options.begin(), options.end(), [&](const auto& o) { return o->long_name() == name; })) continue;
    if (std::any_of(names.begin(), names.end(), [&](std::string_view option) { return option.rfind(name, 0) == 0; })) return true;
  }
  return false;
}

void add_framework_options(po::options_description& options, PlanFlags& f) {
  if (!f.framework_options) return;
  po::options_description group("Megatron-LM and NeMo names (docs/formats.md)");
  group.add_options()
      ("megatron-args", po::value(&f.megatron_args),
       "a Megatron-LM argument list (--num-layers 32 --hidden-size 4096 ...): its model and layout; flags given here win")
      ("nemo-recipe", po::value(&f.nemo_recipe),
       "a NeMo 2.0 recipe or Megatron-Bridge config YAML: its model, layout and batch; flags given here win");
  for (const FrameworkName& n : framework_names()) {
    if (!registered_as_alias(n)) continue;
    std::string& value = f.megatron_values[n.megatron];
    const std::string help = alias_help(n);
    if (n.megatron_switch)
      group.add_options()(n.megatron, po::value(&value)->zero_tokens()->implicit_value("true"), help.c_str());
    else
      group.add_options()(n.megatron, po::value(&value), help.c_str());
  }
  options.add(group);
}

bool framework_names_given(const PlanFlags& f) {
  if (!f.megatron_args.empty() || !f.nemo_recipe.empty()) return true;
  for (const auto& [name, text] : f.megatron_values)
    if (!text.empty()) return true;
  return false;
}

void resolve_framework_names(PlanFlags& f, std::ostream& err, const char* command) {
  if (f.framework_resolved) return;
  f.framework_resolved = true;
  if (!f.megatron_args.empty() && !f.nemo_recipe.empty())
    throw InputError("command line", "--nemo-recipe", "give --megatron-args or --nemo-recipe, not both");
  ImportedRun file;
  if (!f.megatron_args.empty()) file = import_megatron_args(f.megatron_args);
  if (!f.nemo_recipe.empty()) file = import_nemo_recipe(f.nemo_recipe);

  ImportedRun flags;
  flags.source = "command line";
  for (const auto& [name, text] : f.megatron_values) {
    if (text.empty()) continue;
    const FrameworkName* n = find_megatron_name(name);
    apply_framework_setting(*n, text, "--" + name + (n->megatron_switch ? "" : " " + text), flags);
  }

  // Plan values: an alias flag and its trainplan flag must agree; a flag wins over the file.
  for (const auto& [key, v] : flags.plan) {
    if (key == "layers_per_virtual_stage") continue;
    const std::string given = f.given(key);
    if (!given.empty() && given != v.value)
      throw InputError("command line", v.origin, "gives " + key + " " + v.value + " but " + flag_of(key) + " gives " + given + "; give one");
    f.plan_values[key] = v.value;
    f.plan_value_origins[key] = v.origin;
  }
  for (const auto& [key, v] : file.plan) {
    if (key == "layers_per_virtual_stage" || !f.given(key).empty()) continue;
    // size and sweep choose the GPU count themselves: a recipe's nodes x devices is not theirs to fix.
    if (key == "gpus" && (std::string(command) == "size" || std::string(command) == "sweep")) continue;
    if (key == "global_batch" && !f.given("global_batch_tokens").empty()) continue;  // the flag's batch wins
    f.plan_values[key] = v.value;
    f.plan_value_origins[key] = v.origin;
  }

  // Model fields: the file's (laid over --model, or its whole model), then the flags'.
  if (file.has_whole_model()) f.imported = std::make_shared<const ImportedRun>(file);
  f.framework_model_fields = model_overrides(file);
  const std::vector<Override> flag_fields = model_overrides(flags);
  f.framework_model_fields.insert(f.framework_model_fields.end(), flag_fields.begin(), flag_fields.end());

  // Megatron-LM's --num-layers-per-virtual-pipeline-stage: vp = layers / (pp x it).
  if (const auto it = flags.plan.find("layers_per_virtual_stage"); it != flags.plan.end())
    add_virtual_stage_count(f, it->second);
  else if (const auto in_file = file.plan.find("layers_per_virtual_stage"); in_file != file.plan.end() && f.given("vp").empty())
    add_virtual_stage_count(f, in_file->second);

  // Megatron-LM turns sequence parallelism off at tp 1 (it has nothing to split): so does the import.
  std::vector<std::string> not_modelled = file.not_modelled;
  const auto sp_origin = f.plan_value_origins.find("sequence_parallel");
  if (sp_origin != f.plan_value_origins.end() && f.given("sequence_parallel") == "true" && f.given("tp") == "1") {
    if (file.plan.count("sequence_parallel")) {
      std::string where = sp_origin->second;  // "FILE line 54 (--sequence-parallel)" -> "line 54 (--sequence-parallel)"
      if (where.rfind(file.source, 0) == 0) where = where.substr(std::min(where.size(), file.source.size() + (where[file.source.size()] == ':' ? 2 : 1)));
      not_modelled.push_back(where + ": sequence parallelism, off at tp 1 as Megatron-LM turns it off");
    }
    f.plan_values["sequence_parallel"] = "";
    f.plan_value_origins.erase(sp_origin);
  }
  if (!not_modelled.empty()) {
    std::string list;
    for (const auto& name : not_modelled) list += (list.empty() ? "" : ", ") + name;
    f.framework_warning = std::make_shared<std::string>("trainplan " + std::string(command) + ": warning: " + file.source +
                                                        ": not modelled, ignored: " + list + "\n");
    f.warning_stream = &err;
  }
}

bool imported_from_file(const PlanFlags& f, const std::string& key) {
  const auto it = f.plan_value_origins.find(key);
  return it != f.plan_value_origins.end() &&
         (it->second.rfind("--megatron-args ", 0) == 0 || it->second.rfind("--nemo-recipe ", 0) == 0);
}

ModelShape load_plan_model(const PlanFlags& f, const std::vector<Override>& overrides) {
  try {
    return f.imported && f.imported->has_whole_model() ? load_imported_model(*f.imported, overrides) : load_model(f.model, overrides);
  } catch (const InputError& e) {
    const std::string message = e.what();
    std::string origins;
    for (const Override& o : overrides) {
      if (o.origin.empty()) continue;
      if (message.rfind(o.origin, 0) == 0) throw;  // named already
      origins += (origins.empty() ? "" : ", ") + o.origin;
    }
    if (origins.empty()) throw;
    throw InputError(origins + ": " + message);
  }
}

void parse_plan_naming_origins(const FieldReader& fields, ParallelPlan& plan, TrainingJob& job,
                               const std::map<std::string, std::string>& origins) {
  try {
    parse_plan(fields, plan, job);
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const auto& [key, origin] : origins)
      if (message.find("plan." + key + ":") != std::string::npos) throw InputError(origin + ": " + message);
    throw;
  }
}

}  // namespace trainplan
