#pragma once
// The work the last pipeline stage does besides its layers, per micro-batch: the output head
// (logits and loss) and the multi-token-prediction modules.
#include "planner/core/model/layer_time.hpp"
#include "planner/core/model/layer_work.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

// Forward, data- and weight-gradient GEMMs and the loss gradient of the output head. It stays in
// bf16 under fp8 (Megatron's output layer is not a Transformer Engine module; DeepSeek-V3 section
// 3.3.1 keeps it in bf16 too).
double output_head_seconds(const Scenario& scenario, const HeadWork& head);

// Multi-token prediction (DeepSeek-V3 section 2.2): each module projects [norm(h); norm(embedding)]
// from 2h to h (split over tp), runs one more layer of the model's main kind, and the shared output
// head again (logits and loss).
struct MtpWork {
  double compute_s = 0;
  double tp_comm_s = 0, cp_comm_s = 0, ep_comm_s = 0;
  double total_s() const { return compute_s + tp_comm_s + cp_comm_s + ep_comm_s; }
};

// `main_layer`: one layer of the model's main kind as the plan runs it; `head_s`: the output head.
MtpWork mtp_work(const Scenario& scenario, const ParallelPlan& plan, const LayerTime& main_layer, double head_s);

}  // namespace trainplan
