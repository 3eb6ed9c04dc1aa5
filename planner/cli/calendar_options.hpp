#pragma once
// plan --schedule and size --schedule: a run over calendar time (GPUs that arrive in phases, a batch
// ramp, a batch law), re-planned with the plan search at every phase and batch. The flags, and the two
// command bodies that plan_command and size_command hand over to when --schedule is given.
#include <boost/program_options.hpp>
#include <iosfwd>
#include <string>

#include "plan_options.hpp"
#include "search_options.hpp"

namespace trainplan {

struct ScheduleFlags {
  std::string schedule;        // --schedule FILE or bundled NAME
  std::string svg;             // --svg FILE: the tokens-by-date chart
  std::string finish_by;       // size: --finish-by DATE
  std::string solve = "gpus";  // size: gpus (fewest GPUs in a phase) | arrival (latest date of a phase)
  std::string phase;           // size: the phase solved for, 1-based (default: the last)
  std::string largest_useful; // size: a doubling ladder of GPU counts (a:b) for the largest useful count
  std::string batches;         // size --largest-useful: candidate global batches (default: the reference x 1/16 .. 16)
};

// --schedule, --svg; with `for_size` also --finish-by, --solve, --phase.
void add_schedule_options(boost::program_options::options_description& options, ScheduleFlags& flags, bool for_size);

// True when --schedule was given; an InputError when a flag that needs it (--svg, --finish-by,
// --phase, --solve other than its default) was given without it.
bool schedule_requested(const ScheduleFlags& flags);

// The run of `flags` over the schedule: finish date, tokens by date, the layout of each stretch.
// Exit status 0 finished, 1 it does not finish (no plan fits on the last phase's GPUs).
// `args` (as typed) and `report_path` (--report; empty: none) for the decision report.
int plan_with_schedule(const PlanFlags& flags, const SearchFlags& search_flags, const ScheduleFlags& schedule_flags,
                       std::ostream& out, std::ostream& err, const std::vector<std::string>& args = {},
                       const std::string& report_path = "");

// With --finish-by: the fewest GPUs of a phase (--solve gpus) or the latest date a phase may arrive
// (--solve arrival) for the run to finish by that date; then the run at that answer. Without it, as plan.
// `max_gpus`: the largest phase size tried. Exit status 0 found, 1 none meets the date.
// With --largest-useful a:b: the best time to the target at each count of the ladder over candidate
// batches under the schedule's batch law, and the largest count every doubling up to which still cut
// that time by a quarter (planner/core/calendar/useful_scale.hpp).
int size_with_schedule(const PlanFlags& flags, const SearchFlags& search_flags, const ScheduleFlags& schedule_flags,
                       int max_gpus, std::ostream& out, std::ostream& err, const std::vector<std::string>& args = {},
                       const std::string& report_path = "");

}  // namespace trainplan
