#pragma once
// The time a step loses because its parallel kinds share each GPU's scale-out links
// (link_sharing.hpp has the model): the exposed cross-domain traffic of tensor, context, expert
// and pipeline parallelism (bursts) against the hidden cross-domain traffic of data parallelism
// and an overlapped expert exchange (background), over the busiest stage's step.
#include "planner/core/network/collective_cost.hpp"
#include "planner/core/network/link_sharing.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/scenario.hpp"
#include "planner/core/step/data_parallel_groups.hpp"

namespace trainplan {

// What each kind puts on the shared links in a step, as costed alone.
struct StepLinkTraffic {
  double dp_traffic_s = 0;   // the data-parallel reduction and gather, before any overlap
  double dp_exposed_s = 0;   // of it, exposed (the breakdown's line before fp8 amax sync)
  double ep_hidden_s = 0;    // the expert exchange hidden behind compute (ep_overlap)
};

// Bursts are the breakdown's tp/cp/ep/pp lines of the kinds whose groups leave the scale-up
// domain (less the SM share already charged for their hidden part); background the hidden
// data-parallel and expert traffic of groups that leave it.
LinkSharing step_link_sharing(const Scenario& scenario, const ParallelPlan& plan, const DataParallelGroups& dp_groups,
                              const StepBreakdown& breakdown, const StepLinkTraffic& traffic);

// Whether some instance of a group of this kind has members in two scale-up domains (its traffic
// goes through the NICs). Pure.
bool leaves_scale_up(const Scenario& scenario, GroupPlacement group);

}  // namespace trainplan
