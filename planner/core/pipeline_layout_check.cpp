#include "planner/core/pipeline_layout_check.hpp"

namespace trainplan {

std::vector<std::string> pipeline_layout_problems(const ModelShape& model, const ParallelPlan& plan) {
  std::vector<std::string> problems;
  const PipelineLayout& layout = plan.pipeline_layout;
  if (!layout.given()) return problems;
  auto problem = [&](const std::string& what) { problems.push_back("pipeline_layout '" + layout.text + "': " + what); };
  const long long stages = 1LL * plan.pp * plan.vp;
  if (layout.stage_count() != stages)
    problem("has " + std::to_string(layout.stage_count()) + " virtual stages, but pp x vp = " + std::to_string(plan.pp) + " x " +
            std::to_string(plan.vp) + " = " + std::to_string(stages) + " (vp = stages / pp)");
  int layers = 0, mtp = 0, mtp_stages = 0;
  for (const VirtualStage& s : layout.stages) {
    layers += s.layers;
    mtp += s.mtp;
    mtp_stages += s.mtp > 0 ? 1 : 0;
  }
  if (layers != model.layers)
    problem("has " + std::to_string(layers) + " transformer layers (t), but the model has " + std::to_string(model.layers));
  if (mtp != model.mtp_layers)
    problem("has " + std::to_string(mtp) + " MTP modules (m), but the model has " + std::to_string(model.mtp_layers));
  // Megatron-Core keeps all MTP modules in one virtual stage, the last of its rank; trainplan models
  // them on the last rank, with the loss (a standalone MTP stage on another rank is not modelled).
  if (mtp > 0 && layout.stages.back().mtp != mtp)
    problem(mtp_stages > 1 ? "spreads the MTP modules (m) over several virtual stages (Megatron-Core keeps them in one)"
                           : "places the MTP modules (m) before the last virtual stage; trainplan models them only with the loss (L)");
  if (plan.uneven_pipeline) problem("fixes every stage's layers: drop uneven_pipeline (it would choose its own split)");
  if (plan.ep_overlap && plan.ep_overlap_schedule == EpOverlapSchedule::dualpipe)
    problem("is not modelled with the dualpipe schedule (DualPipe places its stages itself)");
  return problems;
}

}  // namespace trainplan
