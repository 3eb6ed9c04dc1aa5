#pragma once
// An explicit pipeline layout: what every virtual pipeline stage holds, in layer order, as
// Megatron-Core's pipeline_model_parallel_layout gives it (the text is parsed at the edge,
// planner/io/pipeline_layout_text.hpp). Virtual stage i runs on pipeline rank i % pp, so rank r
// holds stages r, r + pp, r + 2pp, ... (vp = stages / pp of them).
#include <string>
#include <vector>

namespace trainplan {

struct VirtualStage {
  bool embedding = false;  // E: the input embedding
  int first_layer = 0;     // index of its first transformer layer (the layers before it in layer order)
  int layers = 0;          // t: transformer layers
  int mtp = 0;             // m: multi-token-prediction modules
  bool loss = false;       // L: the output head and loss
  bool operator==(const VirtualStage&) const = default;
};

struct PipelineLayout {
  std::string text;                  // as given (written back unchanged)
  std::vector<VirtualStage> stages;  // in layer order; empty: no layout given
  bool operator==(const PipelineLayout&) const = default;
  bool given() const { return !stages.empty(); }
  int stage_count() const { return static_cast<int>(stages.size()); }
};

}  // namespace trainplan
