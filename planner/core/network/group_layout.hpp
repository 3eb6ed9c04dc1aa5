#pragma once
// Each parallel group kind of a plan as size and stride under the plan's rank order
// (rank_order.hpp): what the step's stages pass to collective_seconds. Dense layers see the
// dimensions tp, cp, dp, pp (ep of size 1); routed experts see the same ranks as expert_tp, ep,
// expert-dp, pp in the same order (Megatron-Core's expert RankGenerator, cp folded into expert-dp).
// A group over two dimensions that are not next to each other in the order (dp x cp with pp
// between) is not one strided set: it is costed as a strided group of the same size and the same
// span, first rank to last (an approximation, docs/network-model.md "Placement").
#include "planner/core/network/collective_cost.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

struct GroupLayout {
  GroupPlacement tensor;          // tp
  GroupPlacement context;         // cp
  GroupPlacement data;            // dp x cp: the non-expert gradients
  GroupPlacement stage;           // tp x cp x dp: one pipeline stage (fp8 amax reductions)
  GroupPlacement pipeline;        // two neighbouring stages (size 2 when pp > 1)
  GroupPlacement expert_tensor;   // expert_tp
  GroupPlacement expert;          // ep
  GroupPlacement expert_data;     // expert-dp: the routed experts' gradients
  // Whether `data` is one strided set of ranks (cp and dp next to each other in the order, or one of
  // them of size 1); when not, it is costed as the strided group of the same size and span.
  bool data_is_one_stride = true;
};

// Pure; dp must be resolved (> 0).
GroupLayout group_layout(const ParallelPlan& plan);

}  // namespace trainplan
