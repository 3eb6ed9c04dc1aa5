// Model loader: trainplan model YAML or a Hugging Face config.json, then the parameter count.
#include "fuzz_common.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "planner/io/description_loader.hpp"

TRAINPLAN_FUZZ_TARGET({
  const YAML::Node document = trainplan::parse_yaml_text(text, "fuzz");
  const YAML::Node node = trainplan::looks_like_hugging_face_config(document)
                              ? trainplan::model_node_from_hugging_face(document, "fuzz")
                              : document;
  const trainplan::ModelShape model = trainplan::parse_model(node, "fuzz");
  (void)trainplan::count_parameters(model);
})
