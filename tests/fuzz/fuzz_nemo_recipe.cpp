// NeMo 2.0 recipe / Megatron-Bridge config importer (--nemo-recipe), then its whole model, if any, checked.
#include "fuzz_common.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "planner/io/framework_import.hpp"

TRAINPLAN_FUZZ_TARGET({
  const YAML::Node document = trainplan::parse_yaml_text(text, "fuzz");
  const trainplan::ImportedRun run = trainplan::parse_nemo_recipe(document, "fuzz");
  (void)trainplan::model_overrides(run);
  if (run.has_whole_model()) (void)trainplan::count_parameters(trainplan::load_imported_model(run, {}));
})
