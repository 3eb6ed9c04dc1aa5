#pragma once
// The work of one mixture-of-experts layer for one micro-batch on one GPU: attention as in a dense
// layer, then a router, the routed experts (grouped GEMMs over this GPU's experts), optional shared
// experts, and the expert-parallel all-to-all that carries tokens to their experts and back.
#include "planner/core/model/layer_work.hpp"

namespace trainplan {

// Tokens the busiest expert of this GPU processes, relative to a perfect split: dropless routing
// runs the busiest expert's load (load_imbalance); a capacity factor above it pads every expert to
// capacity (tokens beyond it are dropped).
double expert_load_factor(const MoeShape& moe);
// The lowest load factor an imbalance can give (an imbalance is at least 1): max(1, capacity factor).
double load_factor_floor(const MoeShape& moe);

// Expected number of distinct nodes a token's top_k experts sit on when the routed experts are
// spread evenly over `nodes` nodes (drawn without replacement), capped by group-limited routing
// where the expert groups tile the nodes. 1 for a single node.
double distinct_nodes_per_token(const MoeShape& moe, int nodes);

// The router's memory-bound work per micro-batch on one GPU (forward; backward doubles it as for
// every elementwise kernel): scoring, top-k, routing map, load-balancing statistics, and the fp8
// quantization of the dispatched tokens with dispatch_fp8. The gating GEMM is LayerWork::router.
struct MoeRouterWork {
  double bytes = 0;
  double kernels = 0;
};
MoeRouterWork moe_router_work(const ModelShape& model, const ParallelPlan& plan);

// Expert placement (Megatron-Core): experts are split over `ep` ranks carved from the data-parallel
// dimension, and each expert's matrices over `tp`. Every GPU holds routed_experts / ep experts.
LayerWork moe_layer_work(const ModelShape& model, const ParallelPlan& plan);

}  // namespace trainplan
