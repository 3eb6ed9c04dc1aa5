// GPU loader.
#include "fuzz_common.hpp"
#include "planner/io/description_loader.hpp"

TRAINPLAN_FUZZ_TARGET({ (void)trainplan::parse_gpu(trainplan::parse_yaml_text(text, "fuzz"), "fuzz"); })
