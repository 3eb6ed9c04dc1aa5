#include "planner/core/step/pipeline_send_exposure.hpp"

#include <algorithm>

namespace trainplan {

double exposed_send_microbatches(const ParallelPlan& plan, int microbatches) {
  const bool overlapped = plan.pp_send_overlap && plan.vp > 1 && plan.pp > 1;
  return overlapped ? std::min(microbatches, plan.pp) : microbatches;
}

}  // namespace trainplan
