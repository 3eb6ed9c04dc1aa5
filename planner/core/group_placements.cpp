#include "planner/core/group_placements.hpp"

#include "planner/core/step/data_parallel_groups.hpp"
#include "planner/core/network/group_instance.hpp"
#include "planner/core/network/group_layout.hpp"

namespace trainplan {

std::vector<PlacedGroup> place_groups(const Scenario& sc, const ParallelPlan& plan) {
  const DataParallelGroups dp = data_parallel_groups(plan);
  const GroupLayout layout = group_layout(plan);  // the plan's rank order
  // The same placements the stages pass to collective_seconds (layer_time, data_parallel_comm,
  // pipeline_sends).
  const struct {
    const char* kind;
    GroupPlacement group;
    bool one_stride = true;
  } kinds[] = {
      {"tensor", layout.tensor},
      {"context", layout.context},
      {"expert", layout.expert},
      {"data", {dp.ranks, layout.data.stride}, layout.data_is_one_stride},
      {"expert_data", {plan.ep > 1 ? dp.expert_ranks : 1, layout.expert_data.stride}},
      {"pipeline", layout.pipeline},
  };
  std::vector<PlacedGroup> out;
  for (const auto& k : kinds) {
    if (k.group.size <= 1) continue;
    GroupPlacement g = k.group;
    g.job_ranks = sc.job.gpus;
    const GroupInstance instance = slowest_instance(sc.fabric, g);
    PlacedGroup p;
    p.kind = k.kind;
    p.size = g.size;
    p.stride = g.stride;
    p.one_stride = k.one_stride;
    p.first_rank = instance.first_rank;
    p.tier = instance.tier;
    p.rank0_tier = instance.rank0_tier;
    p.tiers_crossed.push_back("nvlink");
    for (int t = 0; t <= instance.tier && t < static_cast<int>(sc.fabric.tiers.size()); ++t)
      p.tiers_crossed.push_back(sc.fabric.tiers[static_cast<std::size_t>(t)].name);
    out.push_back(p);
  }
  return out;
}

}  // namespace trainplan
