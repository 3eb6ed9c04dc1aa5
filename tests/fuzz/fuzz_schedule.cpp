// Schedule YAML (plan/size --schedule): arrival phases, batch ramp, batch law.
#include "fuzz_common.hpp"
#include "planner/io/description_loader.hpp"
#include "planner/io/schedule_loader.hpp"

TRAINPLAN_FUZZ_TARGET({ (void)trainplan::parse_schedule(trainplan::parse_yaml_text(text, "fuzz"), "fuzz"); })
