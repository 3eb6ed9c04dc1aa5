#include "planner/core/model/pipeline_schedule.hpp"

#include <algorithm>

namespace trainplan {

double pipeline_bubble_ratio(int stages, int virtual_stages, int microbatches) {
  if (stages <= 1 || microbatches <= 0) return 0.0;
  return (stages - 1.0) / (static_cast<double>(virtual_stages) * microbatches);
}

double in_flight_microbatches(int stages, int virtual_stages, int microbatches) {
  const double depth = std::min(stages, std::max(1, microbatches));
  if (stages <= 1 || virtual_stages <= 1) return depth;
  return depth * (1.0 + (stages - 1.0) / (static_cast<double>(stages) * virtual_stages));
}

}  // namespace trainplan
