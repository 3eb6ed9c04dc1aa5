#pragma once
// What the scale-out network costs to buy: switches priced per port at the tier's port speed, links
// (the cable and its two transceivers) at the link's speed, NICs at the NIC's speed, counted from the
// fabric sizing (switches and links per tier). Prices per item and speed: planner/data/economics.yaml
// (cost.network_by_speed); the model: docs/goodput-and-cost.md, "Network capital".
#include <optional>
#include <string>
#include <vector>

namespace trainplan {

struct Fabric;
struct FabricSize;

// The prices of the network items at one port speed.
struct NetworkPricePoint {
  bool operator==(const NetworkPricePoint&) const = default;
  double gbit_s = 0;                 // port speed the prices are for
  double switch_usd_per_port = 0;    // a switch's price / its ports
  double link_usd = 0;               // one link: the cable (or fibre) and its two transceivers
  double nic_usd = 0;                // one NIC
};

// The prices at `gbit_s`: the row for that speed; between two rows, linear in speed; below the
// first or above the last, the nearest row's price per Gb/s times the speed. `points` sorted by
// speed, not empty.
NetworkPricePoint network_prices_at(const std::vector<NetworkPricePoint>& points, double gbit_s);

// One tier of switches and the links that come into it from below (from the NICs for the leaf tier).
struct NetworkTierCount {
  std::string name;
  double switches = 0;
  int switch_radix = 0;              // ports per switch
  double link_gbit_s = 0;            // per port
  double links = 0;                  // links from the tier below (every plane)
  // ---- sites: a DCI tier's links are priced from the topology file (cost_usd_per_link), not from
  // the per-speed table (a metro link is not a short-reach cable); 0: the file gives no price.
  bool site_tier = false;
  double site_link_usd = 0;
  std::string site_link_source;      // where that price comes from: "topology <name> tiers.<tier>.cost_usd_per_link"
};

// The network items the fabric sizing counts for a job of `gpus`: per tier, and NICs.
struct NetworkTiers {
  std::vector<NetworkTierCount> tiers;
  double nic_gbit_s = 0;
};
NetworkTiers network_tiers_of(const Fabric& fabric, const FabricSize& size);

// One line of the network's capital, as a finance reader checks it: count x unit price = usd.
struct NetworkCapitalLine {
  std::string item;                  // "switch leaf", "link leaf", "nic"
  double count = 0;
  double gbit_s = 0;                 // port speed priced at (0: a flat price, speed not used)
  int ports = 0;                     // per switch (switch lines priced per port), else 0
  double unit_usd = 0;               // per item
  double usd = 0;                    // count x unit_usd
  // ---- sites: a DCI link line priced from the topology file names it here; priced false: the file
  // gives no price, the line counts the links and says so (usd 0, not a silent zero).
  std::string source;
  bool priced = true;
};

// Flat prices (a user's number, any speed) win over the per-speed table for their item.
struct NetworkPrices {
  bool operator==(const NetworkPrices&) const = default;
  std::optional<double> switch_usd;  // per switch, whatever its radix and speed
  std::optional<double> link_usd;    // per link
  std::optional<double> nic_usd;     // per NIC
  std::vector<NetworkPricePoint> by_speed;
};

// The priced lines of `tiers` plus `nics` NICs. A tier with no radix or speed known (a count given
// without the fabric) is priced as 64-port switches at the NIC speed (400 Gb/s when unknown).
std::vector<NetworkCapitalLine> price_network(const NetworkTiers& tiers, double nics, const NetworkPrices& prices);

}  // namespace trainplan
