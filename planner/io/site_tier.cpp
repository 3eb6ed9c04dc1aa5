#include "site_tier.hpp"

#include "input_limits.hpp"

namespace trainplan {

void read_site_fields(const FieldReader& t, FabricTier& tier, const Fabric&) {
  if (t.has("sites")) tier.sites = t.get_int("sites", limits::sites);
  if (t.has("cost_usd_per_link")) {
    if (tier.sites == 0) t.fail("cost_usd_per_link", "applies to a site (DCI) tier only: give sites: N on this tier");
    tier.cost_usd_per_link = t.get_number("cost_usd_per_link", limits::cost_usd_per_link);
  }
}

void check_site_tier(const FieldReader& tiers, const Fabric& fabric) {
  for (std::size_t i = 0; i < fabric.tiers.size(); ++i) {
    const FabricTier& tier = fabric.tiers[i];
    if (tier.sites == 0) continue;
    const FieldReader t = tiers.child(tier.name);
    if (i + 1 != fabric.tiers.size()) t.fail("sites", "a site (DCI) tier must be the top tier, but '" + fabric.tiers[i + 1].name + "' is above it");
    if (i == 0) t.fail("sites", "a site (DCI) tier needs a switch tier below it (the leaf of each site)");
    if (fabric.tiers[i - 1].max_gpus <= 0)
      tiers.child(fabric.tiers[i - 1].name)
          .fail("max_gpus", "the tier below a site (DCI) tier must say how many GPUs one site holds (max_gpus)");
    if (fabric.tiers[i - 1].ports_up < 1)
      tiers.child(fabric.tiers[i - 1].name)
          .fail("ports_up", "the tier below a site (DCI) tier needs uplinks to it (ports_up >= 1; their split is the DCI's oversubscription)");
  }
}

}  // namespace trainplan
