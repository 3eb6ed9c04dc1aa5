#pragma once
// How a plan's layers split into pipeline stages, and which stage is the busiest: the one that
// sets the time of every micro-batch.
#include <vector>

#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/step/stage_layer_costs.hpp"

namespace trainplan {

// Layers (or dense layers) held by the first, the busiest middle, and the last pipeline stage.
struct StageLayers {
  int first = 0, middle = 0, last = 0;
};

// The even split: an uneven remainder takes the missing layers from the last stage first, then the
// first (Llama 3: one fewer layer on each, section 3.3.2), so the embedding and output head do not
// lengthen the slowest stage.
StageLayers split_layers(int layers, int stages);

// Dense layers of an MoE model (the leading ones, and those of an interleaved pattern,
// moe.layer_interval): how many of them a stage holds when the stages before it hold `before`
// layers and it holds `layers`.
int dense_layers_in_stage(const ModelShape& model, int before, int layers);

// uneven_pipeline: the layer split that makes the busiest stage least busy, the last stage also
// carrying `last_extra_s` per micro-batch (the output head, multi-token prediction).
StageLayers balanced_split(const ModelShape& model, int stages, const StageLayerCosts& layers, double last_extra_s);

// The stages of a plan, per micro-batch. With pp <= 2 there is no middle stage (it mirrors the
// first); with pp = 1 the first stage is also the last.
struct PipelineStages {
  StageLayers layers;  // layers per stage (with a layout, the middle rank holding the most; see below)
  StageLayers dense;   // of them, dense layers of an MoE model
  double first_s = 0, middle_s = 0, last_s = 0;  // seconds per micro-batch, pipeline sends included
  double per_microbatch_s = 0;                   // the busiest stage's
  int busiest_layers = 0, busiest_dense = 0;
  bool busiest_has_head = false;                 // the busiest stage runs the output head and MTP
  // The busiest stage's pipeline rank (the middle one: the last middle rank without a layout).
  int busiest_rank = 0;
  // With a pipeline layout, each rank's seconds per micro-batch (rank 0 first); empty without one.
  std::vector<double> rank_s;
};

// With a pipeline layout (plan.pipeline_layout, pp > 1) each rank holds the layers of its virtual
// stages (layout_rank_loads.hpp); the first stage is rank 0 (the embedding), the last rank pp - 1
// (the loss, output head and MTP modules) and the middle one the busiest rank between them.
// Per micro-batch, the last stage also runs the output head (`head_s`) and the multi-token
// prediction modules (`mtp_s`); every stage of a pipeline sends and receives (`p2p_s`).
PipelineStages pipeline_stages(const ModelShape& model, const ParallelPlan& plan, const StageLayerCosts& layers,
                               double head_s, double mtp_s, double p2p_s);

}  // namespace trainplan
