#pragma once
// Parameters one GPU holds in the first, the busiest middle and the last pipeline stage, and in the
// stage that holds the most: routed experts split over expert_tp x ep, everything else over tp.
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/model/parameter_count.hpp"
#include "planner/core/step/pipeline_stages.hpp"

namespace trainplan {

struct StageParameters {
  double first = 0, middle = 0, last = 0;                        // per GPU, routed experts included
  double first_experts = 0, middle_experts = 0, last_experts = 0;  // of them, routed experts
  double first_unquantized = 0, last_unquantized = 0;  // of them, the embedding and output head (no fp8 copy)
  // The middle stage counts only for an MoE model with pp > 2 (all MoE layers, no embedding: it can
  // hold more than either end); otherwise `middle` is 0.
  bool moe_middle_stage = false;
  double largest = 0;          // the stage holding the most
  // ZeRO-3's units, per GPU: the largest layer (its routed experts split over expert_tp x ep, the rest
  // over tp), and the largest unit of the first and of the last stage (a layer, or the stage's root:
  // the parameters outside its layers, the embedding, final norm and output head it holds, together).
  // ZeRO-3 gathers each unit whole before it runs, and the next one ahead of it (memory_model.cpp).
  double largest_layer = 0;
  double first_unit = 0, last_unit = 0;
  double largest_experts = 0;  // of it, routed experts
  double largest_common() const { return largest - largest_experts; }
};

// The first stage holds the embedding, the last the output head (unless tied and pipelined) and the
// multi-token-prediction modules; with pp = 1 one stage holds everything.
StageParameters stage_parameters(const ModelShape& model, const ParameterCount& params, const ParallelPlan& plan,
                                 const PipelineStages& stages);

}  // namespace trainplan
