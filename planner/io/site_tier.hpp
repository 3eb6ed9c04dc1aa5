#pragma once
// Multi-site fabrics at the edge: a tier with `sites: N` is a data-centre interconnect (DCI)
// joining N buildings (docs/topology-format.md, "Sites"). Checked here, costed in core like any tier.
#include "planner/core/fabric.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

// Reads `sites` and `cost_usd_per_link` of one tier (InputError naming the field).
void read_site_fields(const FieldReader& tier_fields, FabricTier& tier, const Fabric& fabric);

// A DCI tier must be the top one, above at least one switch tier whose max_gpus says how many
// GPUs one site holds. `tiers` is the topology's tiers mapping (for the error's field name).
void check_site_tier(const FieldReader& tiers, const Fabric& fabric);

}  // namespace trainplan
