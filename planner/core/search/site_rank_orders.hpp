#pragma once
// Sites: on a fabric whose top tier joins buildings (a DCI tier, `sites` > 0), which groups cross
// the DCI depends on the rank order, so the search tries Megatron-Core's two orders:
// tp-cp-ep-dp-pp (its default: DP inside PP, so with pp > 1 the DP groups stay inside a building
// when a pipeline stage fits one) and tp-cp-ep-pp-dp (--use-tp-pp-dp-mapping: PP inside DP).
// Elsewhere (no site tier) nothing extra is enumerated: the plan's order alone (docs/search.md).
#include <vector>

#include "planner/core/fabric.hpp"
#include "planner/core/network/rank_order.hpp"

namespace trainplan {

bool has_site_tier(const Fabric& fabric);

// The rank orders a search without a given order tries on `fabric`: both of Megatron-Core's when the
// fabric has a site tier, none (keep the plan's) otherwise.
std::vector<RankOrder> site_search_rank_orders(const Fabric& fabric);

}  // namespace trainplan
