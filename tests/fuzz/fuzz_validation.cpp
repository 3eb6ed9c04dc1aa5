// Validation case files (validate --cases FILE).
#include "fuzz_common.hpp"
#include "planner/io/validation_loader.hpp"

TRAINPLAN_FUZZ_TARGET({ (void)trainplan::load_validation_set(text, "fuzz"); })
