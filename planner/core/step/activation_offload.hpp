#pragma once
// Activation offloading to host memory, as Megatron-Core runs it (cpu_offloading with
// cpu_offloading_activations and cpu_offloading_num_layers, through Transformer Engine's CPU offload
// context): the saved activations of a stage's first N layers are copied to pinned host memory on a
// side stream while the forward moves on to the next layer, and copied back one layer ahead of their
// backward. The copies use the GPU's copy engines, not its SMs, so they cost time only where a copy
// takes longer than the layer it runs beside. docs/model.md, "Activation offloading".
#include <string>
#include <vector>

#include "planner/core/gpu_spec.hpp"
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"
#include "planner/core/step/stage_layer_costs.hpp"

namespace trainplan {

struct ActivationOffload {
  double host_bytes = 0;          // per GPU: the offloaded layers' saved activations of one micro-batch
  double device_bytes_saved = 0;  // off the GPU's peak: every offloaded layer but the one in transit
  double exposed_s = 0;           // per step: copies that outlast the layer they run beside
};

// Why the plan's offloading cannot run, one sentence each (none without offloading). Megatron-Core
// refuses offloading with pipeline parallelism and with activation recomputation, and offloads fewer
// layers than the model has; the GPU file must state its host link and memory.
std::vector<std::string> activation_offload_problems(const ModelShape& model, const GpuSpec& gpu, const ParallelPlan& plan);

// The offload of a valid plan whose stage holds `stage_layers` layers (`stage_dense` of them dense,
// counted first) and runs `microbatches` micro-batches a step.
//  - Memory: the GPU keeps its other layers' activations and the offloaded layer whose copy is in
//    flight (the handler double-buffers: one layer's copy runs while the next layer computes).
//  - Time: layer i's copy out runs beside layer i+1's forward, its copy back beside layer i+1's
//    backward; what a copy takes beyond that layer's compute is exposed. Copies out and back run in
//    opposite directions of a full-duplex link and do not meet.
ActivationOffload activation_offload(const GpuSpec& gpu, const ParallelPlan& plan, const StageLayerCosts& layers,
                                     int stage_layers, int stage_dense, int microbatches);

// The fewest layers a stage of `stage_layers` layers (`stage_dense` dense, first) must offload for its
// activations to shrink by `bytes_to_free` (every offloaded layer but the one in transit leaves the
// GPU); 0 when offloading all but one layer does not free that much. search's --offload-to-fit.
int fewest_offload_layers(const StageLayerCosts& layers, int stage_layers, int stage_dense, double bytes_to_free);

}  // namespace trainplan
