#include "planner/core/economics/cost_energy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace trainplan {

namespace {
constexpr double seconds_per_hour = 3600.0;
constexpr double seconds_per_day = 86400.0;
constexpr double days_per_year = 365.25;
constexpr double bytes_per_tb = 1e12;
}  // namespace

const char* to_string(CostBasis basis) { return basis == CostBasis::rent ? "rent" : "buy"; }

// Linear in utilisation between the idle draw and TDP: P = TDP (idle + (1 - idle) u).
double gpu_power_w(double tdp_w, const PowerModel& power) {
  const double idle = std::clamp(power.gpu_idle_fraction_of_tdp, 0.0, 1.0);
  const double utilization = std::clamp(power.gpu_utilization, 0.0, 1.0);
  return tdp_w * (idle + (1.0 - idle) * utilization);
}

std::vector<NetworkCapitalLine> price_inventory_network(const ClusterInventory& inventory, const BuyPrices& prices) {
  if (!inventory.network.tiers.empty() || (inventory.switches <= 0 && inventory.cables <= 0))
    return price_network(inventory.network, inventory.nics, prices.network);
  NetworkTiers network = inventory.network;
  network.tiers.push_back(NetworkTierCount{"", inventory.switches, 0, 0, inventory.cables, false, 0, {}});
  return price_network(network, inventory.nics, prices.network);
}

RunEconomics estimate_run_economics(ReliabilityEstimate reliability_given, ClusterInventory inventory_given,
                                    double gpu_tdp_w, const EconomicsParams& params,
                                    const std::vector<NetworkCapitalLine>* network_lines, EstimateDetail detail) {
  const bool full = detail == EstimateDetail::full;
  RunEconomics e;
  e.reliability = std::move(reliability_given);
  e.inventory = std::move(inventory_given);
  const ReliabilityEstimate& reliability = e.reliability;
  const ClusterInventory& inventory = e.inventory;
  e.basis = params.basis;
  if (full) e.prices = params;
  e.time_to_train_days_failure_free = reliability.process.work_s / seconds_per_day;
  e.time_to_train_days = reliability.wall_s / seconds_per_day;
  e.goodput = reliability.goodput;
  const double wall_h = reliability.wall_s / seconds_per_hour;
  const bool timed = std::isfinite(wall_h) && wall_h > 0;
  if (full && !timed)
    e.notes.push_back("no time to train (no training tokens): the run's days, interruptions, energy and cost are unknown; "
                      "the failure rates, checkpoint, power and cost per hour are the cluster's");

  // Power. Server level per GPU: the GPU's draw plus its share of the server (published: ~1,275 W per
  // H100 at server level = 700 W GPU + ~575 W). Spares idle. Network and storage are a share s of the
  // IT power: IT = servers / (1 - s). The facility draws IT x PUE.
  const PowerModel& pm = params.power;
  e.gpu_power_w = gpu_power_w(gpu_tdp_w, pm);
  e.server_power_w_per_gpu = e.gpu_power_w + pm.server_overhead_w_per_gpu;
  const double spare_w_per_gpu = gpu_tdp_w * std::clamp(pm.gpu_idle_fraction_of_tdp, 0.0, 1.0) + pm.server_overhead_w_per_gpu;
  const double servers_w = inventory.gpus * e.server_power_w_per_gpu + inventory.spare_gpus * spare_w_per_gpu;
  const double share = std::clamp(pm.network_storage_share, 0.0, 0.99);
  e.it_power_mw = servers_w / (1.0 - share) / 1e6;
  e.power_mw = e.it_power_mw * pm.pue;
  // Energy at the training draw for the whole wall time: restarts and checkpoint stalls are counted
  // at full power (an upper bound; they are a few percent of the run).
  if (timed) {
    e.energy_mwh = e.power_mw * wall_h;
    e.energy_usd = e.energy_mwh * 1000.0 * pm.electricity_usd_per_kwh;
  }

  // Capital: item counts x unit prices.
  const BuyPrices& b = params.buy;
  const double all_gpus = inventory.gpus + inventory.spare_gpus;
  e.capital.gpus_usd = all_gpus * b.gpu_usd.typical;
  e.capital.servers_usd = all_gpus * b.server_usd_per_gpu;
  // ---- network capital: per tier, at each tier's radix and port speed (network_capital.hpp) ----
  if (!network_lines) {
    e.capital.network_lines = price_inventory_network(inventory, b);
  } else if (full) {
    e.capital.network_lines = *network_lines;
  }
  for (const NetworkCapitalLine& line : network_lines ? *network_lines : e.capital.network_lines) {
    if (line.item.rfind("switch", 0) == 0) e.capital.switches_usd += line.usd;
    else if (line.item.rfind("link", 0) == 0) e.capital.cables_usd += line.usd;
    else e.capital.nics_usd += line.usd;
    if (full && !line.priced)  // ---- sites: a DCI without a price is said, not counted as 0 silently ----
      e.notes.push_back("DCI links not priced (" + line.item + ": " + std::to_string(static_cast<long long>(line.count)) +
                        " links; give cost_usd_per_link on the topology's site tier): network capital excludes them");
  }
  e.capital.storage_usd = inventory.storage_tb * b.storage_usd_per_tb;
  const double other = e.capital.total() - e.capital.gpus_usd;
  e.capital_usd_low = other + all_gpus * b.gpu_usd.low;
  e.capital_usd_high = other + all_gpus * b.gpu_usd.high;
  if (full && inventory.switches <= 0 && inventory.cables <= 0)
    e.notes.push_back("network switches and cables not counted (no topology counts given): buy cost excludes them");

  // Straight-line amortisation: the run is charged its duration's share of the write-off period.
  e.amortized_fraction = timed && b.amortization_years > 0 ? (wall_h / 24.0) / (b.amortization_years * days_per_year) : 0;
  e.buy_usd = e.capital.total() * e.amortized_fraction + e.energy_usd;
  e.buy_usd_low = e.capital_usd_low * e.amortized_fraction + e.energy_usd;
  e.buy_usd_high = e.capital_usd_high * e.amortized_fraction + e.energy_usd;

  // Rent: every GPU held (spares too) for the wall time; the hourly rate includes power and facility.
  e.gpu_hours = timed ? all_gpus * wall_h : 0;
  e.rent_usd = e.gpu_hours * params.rent.usd_per_gpu_hour.typical;
  e.rent_usd_low = e.gpu_hours * params.rent.usd_per_gpu_hour.low;
  e.rent_usd_high = e.gpu_hours * params.rent.usd_per_gpu_hour.high;
  e.rent_price_year = params.rent.year;

  const bool rent = params.basis == CostBasis::rent;
  // ---- cost per hour (token-independent) ----
  const double write_off_hours = b.amortization_years * days_per_year * 24.0;
  const double energy_usd_per_hour = e.power_mw * 1000.0 * pm.electricity_usd_per_kwh;
  const auto buy_per_hour = [&](double capital) { return (write_off_hours > 0 ? capital / write_off_hours : 0.0) + energy_usd_per_hour; };
  e.cost_usd_per_hour = rent ? all_gpus * params.rent.usd_per_gpu_hour.typical : buy_per_hour(e.capital.total());
  e.cost_usd_per_hour_low = rent ? all_gpus * params.rent.usd_per_gpu_hour.low : buy_per_hour(e.capital_usd_low);
  e.cost_usd_per_hour_high = rent ? all_gpus * params.rent.usd_per_gpu_hour.high : buy_per_hour(e.capital_usd_high);
  e.cost_usd = rent ? e.rent_usd : e.buy_usd;
  e.cost_usd_low = rent ? e.rent_usd_low : e.buy_usd_low;
  e.cost_usd_high = rent ? e.rent_usd_high : e.buy_usd_high;
  return e;
}

double monte_carlo_draws(const ReliabilityEstimate& reliability, int runs) {
  // One draw per interruption (and one to end the run): the expected interruptions of one run.
  const double per_run = reliability.wall_s * (reliability.unexpected_per_day + reliability.planned_per_day) / seconds_per_day;
  return std::isfinite(per_run) ? (per_run + 1.0) * runs : std::numeric_limits<double>::infinity();
}

RunFigures run_figures(const PlanResult& result) {
  RunFigures f;
  f.gpus = result.gpus;
  f.params_total = result.params_total;
  // What one GPU snapshots for an in-memory checkpoint: its weights and optimizer state (fp32 master
  // and moments), not its gradients or activations.
  f.state_bytes_per_gpu = result.memory.weights_bytes + result.memory.optimizer_bytes;
  f.step_time_s = result.step_time_s;
  f.time_to_train_days = result.time_to_train_days;
  return f;
}

RunEconomics evaluate_run_economics(const Scenario& scenario, const PlanResult& result, const NetworkCounts& network,
                                    const EconomicsModel& model, PricedNetworkCache* network_cache) {
  return evaluate_run_economics(scenario, run_figures(result), network, model, network_cache);
}

RunEconomics evaluate_run_economics(const Scenario& scenario, const RunFigures& figures, const NetworkCounts& network,
                                    const EconomicsModel& model, PricedNetworkCache* network_cache, EstimateDetail detail) {
  ReliabilityJob job;
  job.gpus = figures.gpus;
  job.gpus_per_node = scenario.job.gpus_per_node;
  job.gpus_per_host = scenario.fabric.scale_up.gpus_per_host;  // NVL72: the rack is the failure unit
  job.switches = network.switches;
  job.params_total = figures.params_total;
  job.state_bytes_per_gpu = figures.state_bytes_per_gpu;
  job.step_time_s = figures.step_time_s;
  job.failure_free_s = figures.time_to_train_days * seconds_per_day;
  ReliabilityEstimate reliability = estimate_reliability(job, model.reliability, detail);

  ClusterInventory inventory;
  inventory.gpus = figures.gpus;
  inventory.spare_gpus = model.reliability.recovery.hot_spare_nodes * std::max(1, scenario.job.gpus_per_node);
  inventory.switches = network.switches;
  inventory.cables = network.cables;
  inventory.nics = network.nics > 0 ? network.nics
                                    : double(inventory.gpus + inventory.spare_gpus) * scenario.fabric.nics_per_gpu;
  inventory.network = network.tiers;
  if (!(inventory.network.nic_gbit_s > 0)) inventory.network.nic_gbit_s = scenario.fabric.nic_gbit_s;
  inventory.storage_tb = model.cost.storage_tb > 0 ? model.cost.storage_tb
                                                   : model.cost.checkpoints_kept * reliability.checkpoint_bytes / bytes_per_tb;

  if (network_cache && network_cache->nics != inventory.nics) {
    network_cache->lines = price_inventory_network(inventory, model.cost.buy);
    network_cache->nics = inventory.nics;
  }
  RunEconomics e = estimate_run_economics(std::move(reliability), std::move(inventory), scenario.gpu.tdp_w, model.cost,
                                          network_cache ? &network_cache->lines : nullptr, detail);
  if (detail == EstimateDetail::full) e.sources = model.provenance;
  if (model.monte_carlo.runs > 0 && monte_carlo_draws(e.reliability, model.monte_carlo.runs) <= max_monte_carlo_draws)
    e.monte_carlo = simulate_run(e.reliability.process, model.monte_carlo);
  e.notes.insert(e.notes.begin(), e.reliability.notes.begin(), e.reliability.notes.end());
  return e;
}

}  // namespace trainplan
