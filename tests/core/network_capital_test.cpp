// Network capital on closed cases: a fabric whose switch and link counts are known by hand, priced
// per item at its port speed.
#include "planner/core/economics/network_capital.hpp"

#include <gtest/gtest.h>

#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/fabric.hpp"
#include "planner/core/network/fabric_sizing.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
// Two tiers for 1,024 NICs: 32 leaves (32 NICs down, 32 links up each) and 16 spines (64 down):
// 48 switches, 1,024 NIC-leaf links and 1,024 leaf-spine links.
NetworkTiers two_tiers(double gbit_s) {
  NetworkTiers t;
  t.nic_gbit_s = gbit_s;
  t.tiers.push_back({"leaf", 32, 64, gbit_s, 1024, false, 0, ""});
  t.tiers.push_back({"spine", 16, 64, gbit_s, 1024, false, 0, ""});
  return t;
}

const NetworkPrices kPrices{std::nullopt, std::nullopt, std::nullopt, {{400, 390.625, 1500, 1500}, {800, 703.125, 2700, 2700}}};

double total(const std::vector<NetworkCapitalLine>& lines) {
  double usd = 0;
  for (const auto& l : lines) usd += l.usd;
  return usd;
}

// Two sites of 1,024 GPUs joined by a DCI, by hand: 2,048 NICs on 64 leaves (32 down, 32 up), 64
// building spines (32 down, 8 up to the DCI: 4:1), and 64 x 8 = 512 DCI links into 8 DCI switches.
Fabric two_sites(double dci_usd_per_link) {
  Fabric f;
  f.name = "two-sites-by-hand";
  f.nics_per_gpu = 1;
  f.nic_gbit_s = 400;
  f.scale_up.gpus = 8;
  f.rail_optimized = false;
  FabricTier leaf;
  leaf.name = "leaf";
  leaf.ports_down = 32;
  leaf.ports_up = 32;
  FabricTier spine = leaf;
  spine.name = "spine";
  spine.ports_up = 8;
  spine.max_gpus = 1024;
  FabricTier dci = leaf;
  dci.name = "dci";
  dci.ports_up = 0;
  dci.sites = 2;
  dci.cost_usd_per_link = dci_usd_per_link;
  f.tiers = {leaf, spine, dci};
  return f;
}

RunEconomics economics_of(const Fabric& f) {
  const FabricSize size = size_fabric(f, 2048);
  ClusterInventory c;
  c.gpus = 2048;
  c.switches = static_cast<double>(size.total_switches);
  c.cables = static_cast<double>(size.total_cables);
  c.nics = 2048;
  c.network = network_tiers_of(f, size);
  EconomicsParams params;
  params.buy.network = kPrices;
  ReliabilityEstimate r;
  r.process.work_s = r.wall_s = 86400;
  return estimate_run_economics(r, c, 700, params);
}
}  // namespace

TEST(NetworkCapital, DciLinksArePricedFromTheTopologyFile) {
  const RunEconomics e = economics_of(two_sites(20000));
  const NetworkCapitalLine* dci = nullptr;
  for (const auto& l : e.capital.network_lines)
    if (l.item == "link dci") dci = &l;
  ASSERT_NE(dci, nullptr);
  EXPECT_TRUE(dci->priced);
  EXPECT_DOUBLE_EQ(dci->count, 512);
  EXPECT_DOUBLE_EQ(dci->unit_usd, 20000);
  EXPECT_DOUBLE_EQ(dci->usd, 512 * 20000.0);
  EXPECT_NE(dci->source.find("two-sites-by-hand"), std::string::npos);
  EXPECT_NE(dci->source.find("cost_usd_per_link"), std::string::npos);
  // Links: 2,048 NIC-leaf + 2,048 leaf-spine at the 400G row, and the DCI's 512 at the file's price.
  EXPECT_DOUBLE_EQ(e.capital.cables_usd, 4096 * 1500.0 + 512 * 20000.0);
  // Switches: 64 leaves + 64 spines + 8 DCI switches, 64 ports x $390.625 each.
  EXPECT_DOUBLE_EQ(e.capital.switches_usd, 136 * 25000.0);
  for (const auto& note : e.notes) EXPECT_EQ(note.find("DCI links not priced"), std::string::npos) << note;
}

TEST(NetworkCapital, DciLinksWithoutAPriceAreSaidNotCountedAsZero) {
  const RunEconomics priced = economics_of(two_sites(20000));
  const RunEconomics unpriced = economics_of(two_sites(0));
  const NetworkCapitalLine* dci = nullptr;
  for (const auto& l : unpriced.capital.network_lines)
    if (l.item == "link dci") dci = &l;
  ASSERT_NE(dci, nullptr);
  EXPECT_FALSE(dci->priced);
  EXPECT_DOUBLE_EQ(dci->count, 512);
  EXPECT_DOUBLE_EQ(dci->usd, 0);
  EXPECT_DOUBLE_EQ(priced.capital.network_usd() - unpriced.capital.network_usd(), 512 * 20000.0);
  bool said = false;
  for (const auto& note : unpriced.notes) said = said || note.find("DCI links not priced") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST(NetworkCapital, TwoTierFabricAt400GByHand) {
  const auto lines = price_network(two_tiers(400), 1024, kPrices);
  ASSERT_EQ(lines.size(), 5u);  // switch leaf, link leaf, switch spine, link spine, nic
  EXPECT_EQ(lines[0].item, "switch leaf");
  EXPECT_DOUBLE_EQ(lines[0].unit_usd, 25000);  // 64 ports x $390.625
  EXPECT_DOUBLE_EQ(lines[0].usd, 32 * 25000.0);
  EXPECT_DOUBLE_EQ(lines[1].usd, 1024 * 1500.0);
  EXPECT_DOUBLE_EQ(lines[2].usd, 16 * 25000.0);
  EXPECT_DOUBLE_EQ(lines[4].usd, 1024 * 1500.0);
  // 48 x $25,000 + 2,048 x $1,500 + 1,024 x $1,500 = $5,808,000.
  EXPECT_DOUBLE_EQ(total(lines), 5'808'000);
}

TEST(NetworkCapital, FollowsNicAndPortSpeed) {
  // The same counts at 800G: every item at the 800G row: 48 x 64 x $703.125 + 2,048 x $2,700 + 1,024 x $2,700.
  const double at_800 = total(price_network(two_tiers(800), 1024, kPrices));
  EXPECT_DOUBLE_EQ(at_800, 48 * 64 * 703.125 + 2048 * 2700.0 + 1024 * 2700.0);
  // 800G NICs on 400G switch ports: only the NIC line moves.
  NetworkTiers mixed = two_tiers(400);
  mixed.nic_gbit_s = 800;
  EXPECT_DOUBLE_EQ(total(price_network(mixed, 1024, kPrices)), 5'808'000 + 1024 * (2700.0 - 1500.0));
}

TEST(NetworkCapital, PricesBetweenAndBeyondTheListedSpeeds) {
  const auto at = [](double s) { return network_prices_at(kPrices.by_speed, s); };
  EXPECT_DOUBLE_EQ(at(400).link_usd, 1500);
  EXPECT_DOUBLE_EQ(at(600).link_usd, 2100);               // halfway between 1,500 and 2,700
  EXPECT_DOUBLE_EQ(at(200).nic_usd, 750);                 // the 400G row's price per Gb/s x 200
  EXPECT_DOUBLE_EQ(at(1600).switch_usd_per_port, 1406.25);  // the 800G row's price per Gb/s x 1,600
}

TEST(NetworkCapital, AFlatPriceWinsForItsItem) {
  NetworkPrices flat = kPrices;
  flat.switch_usd = 30000;
  const auto lines = price_network(two_tiers(800), 1024, flat);
  EXPECT_DOUBLE_EQ(lines[0].unit_usd, 30000);  // whatever the radix and speed
  EXPECT_EQ(lines[0].ports, 0);
  EXPECT_DOUBLE_EQ(lines[1].unit_usd, 2700);   // links still by speed
}

TEST(NetworkCapital, TiersOfASizedFabricCarryRadixAndSpeed) {
  Fabric f = testing::two_tier_fabric();  // 64-port leaves (32 down, 32 up) and spines (64 down)
  f.nic_gbit_s = 800;
  for (FabricTier& tier : f.tiers) tier.link_gbit_s = 800;
  const FabricSize size = size_fabric(f, 1024);
  const NetworkTiers t = network_tiers_of(f, size);
  ASSERT_EQ(t.tiers.size(), size.tiers.size());
  EXPECT_DOUBLE_EQ(t.nic_gbit_s, 800);
  double switches = 0, links = 0;
  for (const auto& tier : t.tiers) {
    EXPECT_EQ(tier.switch_radix, 64);
    EXPECT_DOUBLE_EQ(tier.link_gbit_s, 800);
    switches += tier.switches;
    links += tier.links;
  }
  EXPECT_DOUBLE_EQ(switches, size.total_switches);
  EXPECT_DOUBLE_EQ(links, static_cast<double>(size.total_cables));
}

TEST(NetworkCapital, RunEconomicsCountsItPerTier) {
  ClusterInventory c;
  c.gpus = 1024;
  c.switches = 48;
  c.cables = 2048;
  c.nics = 1024;
  c.network = two_tiers(800);
  const EconomicsParams params;
  ReliabilityEstimate r;
  r.process.work_s = r.wall_s = 86400;
  const RunEconomics e = estimate_run_economics(r, c, 700, params);
  EXPECT_DOUBLE_EQ(e.capital.switches_usd, 48 * 64 * 703.125);
  EXPECT_DOUBLE_EQ(e.capital.cables_usd, 2048 * 2700.0);
  EXPECT_DOUBLE_EQ(e.capital.nics_usd, 1024 * 2700.0);
  EXPECT_EQ(e.capital.network_lines.size(), 5u);
}

}  // namespace trainplan
