#include "planner/core/search/site_rank_orders.hpp"

namespace trainplan {

bool has_site_tier(const Fabric& fabric) {
  for (const FabricTier& tier : fabric.tiers)
    if (tier.sites > 0) return true;
  return false;
}

std::vector<RankOrder> site_search_rank_orders(const Fabric& fabric) {
  if (!has_site_tier(fabric)) return {};
  const RankOrder dp_inside_pp{};  // tp-cp-ep-dp-pp, Megatron-Core's default
  RankOrder pp_inside_dp;          // tp-cp-ep-pp-dp
  pp_inside_dp.dims = {RankDim::tp, RankDim::cp, RankDim::ep, RankDim::pp, RankDim::dp};
  return {dp_inside_pp, pp_inside_dp};
}

}  // namespace trainplan
