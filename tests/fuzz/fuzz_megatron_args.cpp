// Megatron-LM argument list importer (--megatron-args), then its whole model, if any, checked.
#include "fuzz_common.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "planner/io/framework_import.hpp"

TRAINPLAN_FUZZ_TARGET({
  const trainplan::ImportedRun run = trainplan::parse_megatron_args(text, "fuzz");
  (void)trainplan::model_overrides(run);
  if (run.has_whole_model()) (void)trainplan::count_parameters(trainplan::load_imported_model(run, {}));
})
