#include "planner/core/step/activation_offload.hpp"

#include <algorithm>

namespace trainplan {

std::vector<std::string> activation_offload_problems(const ModelShape& model, const GpuSpec& gpu, const ParallelPlan& plan) {
  std::vector<std::string> problems;
  const int n = plan.activation_offload_layers;
  if (n <= 0) return problems;
  const std::string offload = "activation offloading (" + std::to_string(n) + " layers)";
  if (n >= model.layers)
    problems.push_back(offload + " must leave at least one of the model's " + std::to_string(model.layers) +
                       " layers on the GPU (Megatron-Core offloads fewer layers than the model has)");
  if (plan.pp > 1)
    problems.push_back(offload + " needs pp 1, got pp " + std::to_string(plan.pp) +
                       " (Megatron-Core does not offload activations with pipeline parallelism)");
  if (plan.recompute != Recompute::none)
    problems.push_back(offload + " needs recompute none, got " + std::string(to_string(plan.recompute)) +
                       " (Megatron-Core does not offload activations that are recomputed)");
  if (!gpu.states_host())
    problems.push_back(offload + ": the GPU file of " + gpu.name +
                       " states no host link and memory (its 'host' block: link_gb_s_per_direction, memory_gib)");
  return problems;
}

ActivationOffload activation_offload(const GpuSpec& gpu, const ParallelPlan& plan, const StageLayerCosts& layers,
                                     int stage_layers, int stage_dense, int microbatches) {
  ActivationOffload o;
  const int n = std::min(plan.activation_offload_layers, stage_layers - 1);
  if (n <= 0 || !gpu.states_host()) return o;
  // Layer k of the stage (0-based; dense layers first): its saved bytes and its forward and backward compute.
  const auto first = [&](int count) { return std::min(count, stage_dense); };
  const auto layer_part = [&](int k, auto part) {
    return layers.sum(k + 1, first(k + 1), part) - layers.sum(k, first(k), part);
  };
  const auto saved = [](const LayerTime&, double bytes) { return bytes; };
  const auto forward = [](const LayerTime& t, double) { return t.forward_compute_s; };
  const auto backward = [](const LayerTime& t, double) { return t.backward_compute_s; };
  const double link = gpu.host_link_gb_s_per_direction * 1e9;
  double exposed_per_microbatch = 0;
  for (int k = 0; k < n; ++k) {
    const double copy_s = layer_part(k, saved) / link;
    exposed_per_microbatch += std::max(0.0, copy_s - layer_part(k + 1, forward));
    exposed_per_microbatch += std::max(0.0, copy_s - layer_part(k + 1, backward));
  }
  o.host_bytes = layers.saved_bytes(n, first(n));
  o.device_bytes_saved = layers.saved_bytes(n - 1, first(n - 1));
  o.exposed_s = exposed_per_microbatch * microbatches;
  return o;
}

int fewest_offload_layers(const StageLayerCosts& layers, int stage_layers, int stage_dense, double bytes_to_free) {
  for (int n = 2; n < stage_layers; ++n)
    if (layers.saved_bytes(n - 1, std::min(n - 1, stage_dense)) >= bytes_to_free) return n;
  return 0;
}

}  // namespace trainplan
