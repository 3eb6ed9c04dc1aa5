#pragma once
// Loaders for the descriptions people write: models (trainplan YAML or a Hugging Face config.json),
// GPUs, and the plan/job. Each resolves a bundled preset name or a file path, applies `--set`
// overrides to the document before checking it, and reports errors naming file and field.
#include <string>
#include <vector>

#include "planner/core/gpu_spec.hpp"
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

// A `--set key=value` override. `scope.rest.of.path=value`: scope is model, gpu, plan, fabric, ...
struct Override {
  std::string scope;
  std::vector<std::string> path;  // keys below the scope
  std::string value;
  std::string text;               // as the user wrote it, for error messages
  std::string origin;             // set by an imported file or a Megatron-LM flag: names it in errors ("" = --set)
};
// Parses "model.layers=96"; throws InputError naming the flag when malformed.
Override parse_override(const std::string& text);
// Sets the field of a YAML document that an override names (creating intermediate mappings).
void apply_override(YAML::Node& document, const Override& override_value);

// Runs `parse` (which checks a document `overrides` were applied to); an InputError about a field
// that an override of `scope` set is rethrown naming that --set flag first.
template <typename Parse>
auto naming_overrides(const std::vector<Override>& overrides, const std::string& scope, Parse parse) -> decltype(parse());

// A loaded document and where it came from ("preset llama3-8b" or the file path).
struct Document {
  YAML::Node node;
  std::string source;
};
// Resolves `name_or_path` as a file if one exists, else as a bundled preset under `folder`
// (e.g. "planner/data/models/"); an unknown name is an error listing the presets.
Document load_document(const std::string& name_or_path, const std::string& folder, const std::string& what);

// Converts a Hugging Face config.json mapping into trainplan's model fields (see docs/formats.md).
YAML::Node model_node_from_hugging_face(const YAML::Node& config, const std::string& source);
bool looks_like_hugging_face_config(const YAML::Node& document);

ModelShape parse_model(const YAML::Node& node, const std::string& source);
GpuSpec parse_gpu(const YAML::Node& node, const std::string& source);
// Plan and job fields share one mapping (the `plan` scope): tp, pp, ..., gpus, gpus_per_node, tokens.
void parse_plan(const FieldReader& fields, ParallelPlan& plan, TrainingJob& job);

// Loads with overrides of the matching scope applied.
ModelShape load_model(const std::string& name_or_path, const std::vector<Override>& overrides);
GpuSpec load_gpu(const std::string& name_or_path, const std::vector<Override>& overrides);

template <typename Parse>
auto naming_overrides(const std::vector<Override>& overrides, const std::string& scope, Parse parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const auto& o : overrides) {
      if (o.scope != scope) continue;
      std::string path;
      for (const auto& part : o.path) path += (path.empty() ? "" : ".") + part;
      if (message.find(": " + path + ":") != std::string::npos)
        throw InputError((o.origin.empty() ? "--set " + o.text : o.origin) + ": " + message);
    }
    throw;
  }
}

std::vector<std::string> model_preset_names();
std::vector<std::string> gpu_preset_names();

}  // namespace trainplan
