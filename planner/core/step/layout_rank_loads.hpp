#pragma once
// What each pipeline rank holds under an explicit pipeline layout (pipeline_layout.hpp): rank r runs
// virtual stages r, r + pp, r + 2pp, ..., so its layers are the sum of theirs, and which layer
// indices they are decides how many are dense layers of an MoE model.
#include <vector>

#include "planner/core/model_shape.hpp"
#include "planner/core/pipeline_layout.hpp"

namespace trainplan {

struct RankLoad {
  int layers = 0;          // transformer layers over the rank's virtual stages
  int dense = 0;           // of them, dense layers of an MoE model (0 for a dense model)
  int mtp = 0;             // multi-token-prediction modules
  bool embedding = false;  // holds the input embedding
  bool loss = false;       // holds the output head and loss
};

// One entry per rank, rank 0 first. `pp` must divide the layout's stage count.
std::vector<RankLoad> layout_rank_loads(const ModelShape& model, const PipelineLayout& layout, int pp);

}  // namespace trainplan
