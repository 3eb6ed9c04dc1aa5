// trainplan plan: one plan, every term of its estimate.
#include <ostream>

#include "commands.hpp"
#include "plan_options.hpp"
#include "planner/io/plan_report.hpp"

namespace trainplan {

int plan_command(const std::vector<std::string>& args, std::ostream& out, std::ostream&) {
  PlanFlags flags;
  boost::program_options::options_description model("Model, hardware and job");
  add_scenario_options(model, flags);
  boost::program_options::options_description layout("Parallel layout and training settings");
  add_layout_options(layout, flags);
  add_format_option(layout, flags);
  model.add(layout);
  if (!parse_command_line(args, model,
                          "usage: trainplan plan --gpus N (--global-batch N | --global-batch-tokens N) [options]\n\n"
                          "Estimates step time, MFU, memory per GPU and time-to-train of one training plan.\n"
                          "Counts accept suffixes: 16M, 15.6T. Exit status: 0 a plan was evaluated (see fits_in_memory),\n"
                          "2 bad input or an impossible plan.",
                          out, "plan"))
    return 0;
  const ReportFormat format = parse_report_format(flags.format);
  const PlanSetup setup = build_plan_setup(flags);
  const PlanResult result = evaluate(setup.scenario, setup.plan);
  write_plan_report(setup.scenario, result, format, out);
  return result.valid ? 0 : 2;
}

}  // namespace trainplan
