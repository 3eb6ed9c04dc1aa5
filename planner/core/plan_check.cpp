#include "planner/core/plan_check.hpp"

#include "planner/core/model/moe_dispatch_overlap.hpp"
#include "planner/core/pipeline_layout_check.hpp"
#include "planner/core/step/activation_offload.hpp"

#include <string>

namespace trainplan {

namespace {
std::string str(long long v) { return std::to_string(v); }
}  // namespace

std::vector<std::string> check_plan(const ModelShape& model, const GpuSpec& gpu, int gpus, ParallelPlan& plan) {
  std::vector<std::string> problems;
  auto require_positive = [&](const char* name, long long value) {
    if (value < 1) problems.push_back(std::string(name) + " must be at least 1, got " + str(value));
  };
  require_positive("gpus", gpus);
  require_positive("tp", plan.tp);
  require_positive("pp", plan.pp);
  require_positive("cp", plan.cp);
  require_positive("ep", plan.ep);
  require_positive("vp", plan.vp);
  require_positive("micro_batch", plan.micro_batch);
  require_positive("seq_len", plan.seq_len);
  if (!problems.empty()) return problems;

  // tp*pp*cp can pass 2^63 when each is large: multiply on only while the product is within the GPUs
  // (a product beyond them is no divisor of them, and its text says so).
  long long model_parallel = 1LL * plan.tp * plan.pp;
  if (model_parallel <= gpus) model_parallel *= plan.cp;
  if (model_parallel > gpus) {
    problems.push_back("tp*pp*cp (" + str(plan.tp) + "*" + str(plan.pp) + "*" + str(plan.cp) + ") exceeds gpus (" + str(gpus) + ")");
    return problems;
  }
  if (plan.dp == 0) {
    if (gpus % model_parallel != 0) {
      problems.push_back("gpus (" + str(gpus) + ") is not a multiple of tp*pp*cp (" + str(model_parallel) + ")");
      return problems;
    }
    plan.dp = static_cast<int>(gpus / model_parallel);
  } else if (model_parallel * plan.dp != gpus) {
    problems.push_back("tp*pp*cp*dp = " + str(model_parallel * plan.dp) + " but gpus = " + str(gpus));
    return problems;
  }

  if (model.heads % plan.tp != 0)
    problems.push_back("tp (" + str(plan.tp) + ") does not divide the attention heads (" + str(model.heads) + ")");
  if (model.kv_heads % plan.tp != 0 && plan.tp % model.kv_heads != 0)
    problems.push_back("tp (" + str(plan.tp) + ") and the KV heads (" + str(model.kv_heads) + ") must divide one another");
  if (model.ffn % plan.tp != 0)
    problems.push_back("tp (" + str(plan.tp) + ") does not divide the MLP width (" + str(model.ffn) + ")");
  const int expert_tp = plan.routed_expert_tp();
  if (plan.expert_tp < 0) problems.push_back("expert_tp must be at least 1 (0: the attention's tp), got " + str(plan.expert_tp));
  if (model.is_moe() && expert_tp > 0 && model.moe.expert_ffn % expert_tp != 0)
    problems.push_back("expert tp (" + str(expert_tp) + ") does not divide the expert MLP width (" + str(model.moe.expert_ffn) + ")");
  if (model.is_moe() && model.moe.shared_experts > 0 && (model.moe.expert_ffn * model.moe.shared_experts) % plan.tp != 0)
    problems.push_back("tp (" + str(plan.tp) + ") does not divide the shared experts' MLP width (" +
                       str(model.moe.expert_ffn * model.moe.shared_experts) + ")");
  // A pipeline layout places every layer itself (pipeline_layout_check.hpp).
  const bool laid_out = plan.pipeline_layout.given();
  for (std::string& p : pipeline_layout_problems(model, plan)) problems.push_back(std::move(p));
  if (!laid_out && !plan.uneven_pipeline && model.layers % (plan.pp * plan.vp) != 0)
    problems.push_back("pp*vp (" + str(plan.pp * plan.vp) + ") does not divide the layers (" + str(model.layers) + ")");
  if (!laid_out && plan.uneven_pipeline && model.layers < plan.pp * plan.vp)
    problems.push_back("pp*vp (" + str(plan.pp * plan.vp) + ") exceeds the layers (" + str(model.layers) + ")");
  if (plan.vp > 1 && plan.pp == 1) problems.push_back("vp > 1 (interleaving) needs pp > 1");
  if (plan.seq_len % plan.cp != 0)
    problems.push_back("cp (" + str(plan.cp) + ") does not divide seq_len (" + str(plan.seq_len) + ")");
  if (plan.zero_stage < 0 || plan.zero_stage > 3) problems.push_back("zero stage must be 0, 1, 2 or 3");
  if (plan.precision == Precision::fp8 && gpu.fp8_dense_tflops <= 0)
    problems.push_back("precision fp8 needs fp8 tensor cores, and " + gpu.name + " has none");
  if (model.is_moe()) {
    if (model.moe.routed_experts % plan.ep != 0)
      problems.push_back("ep (" + str(plan.ep) + ") does not divide the routed experts (" + str(model.moe.routed_experts) + ")");
    const long long stage_gpus = 1LL * plan.tp * plan.dp * plan.cp;
    if (expert_tp > 0 && stage_gpus % (1LL * expert_tp * plan.ep) != 0)
      problems.push_back("expert tp x ep (" + str(1LL * expert_tp * plan.ep) + ") does not divide a stage's tp*dp*cp GPUs (" +
                         str(stage_gpus) + ")");
  } else {
    if (plan.ep != 1) problems.push_back("ep must be 1 for a dense model");
    if (plan.expert_tp != 0 && plan.expert_tp != plan.tp) problems.push_back("expert_tp applies to mixture-of-experts models only");
  }

  const long long batch_unit = 1LL * plan.dp * plan.micro_batch;
  if (plan.global_batch <= 0) {
    problems.push_back("global batch must be positive");
  } else if (plan.global_batch % batch_unit != 0) {
    problems.push_back("global batch (" + str(plan.global_batch) + " sequences) is not a multiple of dp*micro_batch (" +
                       str(batch_unit) + ")");
  } else if (plan.vp > 1 && (plan.global_batch / batch_unit) % plan.pp != 0) {
    problems.push_back("the interleaved schedule needs micro-batches per pipeline (" + str(plan.global_batch / batch_unit) +
                       ") to be a multiple of pp (" + str(plan.pp) + ")");
  }
  for (std::string& p : activation_offload_problems(model, gpu, plan)) problems.push_back(std::move(p));
  // The expert-exchange overlap schedule's own requirements (moe_dispatch_overlap.hpp).
  if (plan.global_batch > 0 && plan.dp > 0 && plan.micro_batch > 0)
    for (std::string& p : ep_overlap_problems(model, plan, plan.global_batch / batch_unit)) problems.push_back(std::move(p));
  return problems;
}

}  // namespace trainplan
