#include "planner/core/step/last_stage_work.hpp"

#include "planner/core/model/fp8_split_accumulator.hpp"
#include "planner/core/model/gemm_time.hpp"

namespace trainplan {

double output_head_seconds(const Scenario& sc, const HeadWork& head) {
  const double head_forward_s = gemm_seconds(head.logits, Precision::bf16, sc.gpu, sc.profile, sc.calibration) +
                                memory_bound_seconds(head.loss_bytes, 4, sc);
  return 3.0 * head_forward_s;  // forward + data/weight gradients, loss gradient
}

MtpWork mtp_work(const Scenario& sc, const ParallelPlan& plan, const LayerTime& main_layer, double head_s) {
  MtpWork w;
  const int modules = sc.model.mtp_layers;
  if (modules <= 0) return w;
  const double tokens = plan.micro_batch * static_cast<double>(plan.seq_len) / plan.cp;
  const double h = static_cast<double>(sc.model.hidden);
  const GemmShape projection{tokens, h / plan.tp, 2.0 * h, 1};
  const double sp = plan.sequence_parallel ? plan.tp : 1.0;
  // Two RMSNorms on (tokens x h): read and write bf16, forward; twice that in backward.
  const double norms_s = 3.0 * memory_bound_seconds(2.0 * 2.0 * 2.0 * tokens * h / sp, 2, sc);
  // The projection's forward and its two backward GEMMs (fp8: the backward's split accumulator,
  // fp8_split_accumulator.hpp).
  const double backward_factor = 2.0 * fp8_backward_gemm_slowdown(plan, sc.gpu);
  const double module_extra_s =
      (1.0 + backward_factor) * gemm_seconds(projection, plan.precision, sc.gpu, sc.profile, sc.calibration) + norms_s + head_s;
  w.compute_s = modules * (main_layer.compute_s() + module_extra_s);
  w.tp_comm_s = modules * main_layer.tp_comm_s;
  w.cp_comm_s = modules * main_layer.cp_comm_s;
  w.ep_comm_s = modules * main_layer.ep_comm_s;
  return w;
}

}  // namespace trainplan
