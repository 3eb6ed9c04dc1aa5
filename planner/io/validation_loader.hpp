#pragma once
// The bundled validation set (planner/data/validation.yaml), or a user's file of the same format.
#include <string>
#include <vector>

#include "planner/core/validation.hpp"

namespace trainplan {

struct ValidationGroupInfo {
  std::string name;
  std::string source;
  std::vector<std::string> assumptions;
};

struct ValidationSet {
  std::vector<ValidationCase> cases;
  std::vector<ValidationGroupInfo> groups;
};

ValidationSet load_validation_set(const std::string& text, const std::string& source);
ValidationSet bundled_validation_set();
// The runs the one fitted calibration constant was fit to (planner/data/calibration.yaml), apart
// from the validation set so that the validation rows stay a test.
ValidationSet bundled_calibration_set();
// Published per-GPU memory peaks (planner/data/memory_validation.yaml, metric memory_per_gpu_gib),
// apart from the validation set so that its timing figures are unchanged by them.
ValidationSet bundled_memory_validation_set();

}  // namespace trainplan
