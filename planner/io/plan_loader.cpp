// The plan/job mapping: parallel layout, batch, precision, recomputation, GPU count, tokens. Its
// keys, kinds and rules are the rows of planner/io/plan_option_table.
#include "description_loader.hpp"
#include "plan_option_table.hpp"

namespace trainplan {

void parse_plan(const FieldReader& f, ParallelPlan& plan, TrainingJob& job) { read_plan_options(f, plan, job); }

}  // namespace trainplan
