#pragma once
// What a run costs and draws: buying (amortised over the run) or renting the GPUs, the cluster's power
// at the facility meter, and the run's energy. Together with goodput (reliability.hpp) and the
// Monte-Carlo spread (monte_carlo_run.hpp) it forms RunEconomics, what the reporters print.
// The model and the provenance of every default: docs/goodput-and-cost.md, planner/data/economics.yaml.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "planner/core/economics/monte_carlo_run.hpp"
#include "planner/core/economics/network_capital.hpp"
#include "planner/core/provenance.hpp"
#include "planner/core/plan_result.hpp"
#include "planner/core/economics/reliability.hpp"
#include "planner/core/scenario.hpp"

namespace trainplan {

struct PriceRange {
  bool operator==(const PriceRange&) const = default;  // lets tests see whether an input changed anything
  double low = 0;
  double typical = 0;
  double high = 0;
};

enum class CostBasis { buy, rent };
const char* to_string(CostBasis basis);

struct BuyPrices {
  bool operator==(const BuyPrices&) const = default;  // lets tests see whether an input changed anything
  PriceRange gpu_usd{25000, 35000, 40000};  // per GPU (H100 SXM)
  double server_usd_per_gpu = 8000;         // the server around the GPU: CPUs, memory, NVMe, chassis, PSUs
  // Scale-out network: per item at its port speed (planner/data/economics.yaml cost.network_by_speed:
  // a 64-port 400G switch $25,000, a 400G link with two transceivers $1,500, a 400G NIC $1,500;
  // 800G x 1.8), or a flat price per item where one is set.
  NetworkPrices network{std::nullopt, std::nullopt, std::nullopt, {{400, 390.625, 1500, 1500}, {800, 703.125, 2700, 2700}}};
  double storage_usd_per_tb = 300;          // high-performance (flash) storage, per TB of capacity
  double amortization_years = 4;            // the capital is written off over this many years
};

struct RentPrices {
  bool operator==(const RentPrices&) const = default;  // lets tests see whether an input changed anything
  PriceRange usd_per_gpu_hour{1.7, 3.1, 4.5};
  int year = 2025;                          // the year the prices are from
};

struct PowerModel {
  bool operator==(const PowerModel&) const = default;  // lets tests see whether an input changed anything
  double gpu_utilization = 1.0;             // share of the idle-to-TDP range a GPU draws while training
  double gpu_idle_fraction_of_tdp = 0.1;    // an idle GPU's draw, fraction of TDP
  double server_overhead_w_per_gpu = 575;   // CPUs, memory, NICs, fans, PSU losses, per GPU
  double network_storage_share = 0.10;      // network and storage share of the IT power
  double pue = 1.1;                         // facility power / IT power
  double electricity_usd_per_kwh = 0.08;
};

struct EconomicsParams {
  bool operator==(const EconomicsParams&) const = default;  // lets tests see whether an input changed anything
  CostBasis basis = CostBasis::buy;
  BuyPrices buy;
  RentPrices rent;
  PowerModel power;
  double storage_tb = 0;                    // 0: sized as checkpoints_kept checkpoints
  double checkpoints_kept = 10;
};

// What the cluster holds (from the plan and the topology). Counts are plain numbers.
struct ClusterInventory {
  int gpus = 0;                             // running the job
  int spare_gpus = 0;                       // in hot-spare nodes
  double switches = 0;
  double cables = 0;
  double nics = 0;
  double storage_tb = 0;
  // The switches and links per tier with their radix and port speed, and the NIC speed (from the
  // fabric sizing). No tiers: `switches` and `cables` priced as one tier of 64-port switches at the
  // NIC speed (400 Gb/s when 0).
  NetworkTiers network;
};

struct CapitalCost {
  double gpus_usd = 0;
  double servers_usd = 0;
  double switches_usd = 0;
  double cables_usd = 0;
  double nics_usd = 0;
  double storage_usd = 0;
  std::vector<NetworkCapitalLine> network_lines;  // switches, links per tier and NICs: count x unit price
  double network_usd() const { return switches_usd + cables_usd + nics_usd; }
  double total() const { return gpus_usd + servers_usd + network_usd() + storage_usd; }
};

struct RunEconomics {
  // Time.
  double time_to_train_days_failure_free = 0;
  double time_to_train_days = 0;            // expected, with failures, checkpoints and restarts
  double goodput = 0;                       // effective training time fraction
  ReliabilityEstimate reliability;
  MonteCarloSummary monte_carlo;            // runs == 0: not simulated
  // Power and energy.
  double gpu_power_w = 0;                   // one GPU while training
  double server_power_w_per_gpu = 0;        // GPU + its share of the server
  double it_power_mw = 0;                   // servers, network and storage
  double power_mw = 0;                      // at the facility meter (x PUE)
  double energy_mwh = 0;                    // for the run, at power_mw over time_to_train_days
  double energy_usd = 0;
  // Cost.
  CostBasis basis = CostBasis::buy;
  ClusterInventory inventory;
  CapitalCost capital;                      // at typical GPU prices
  double capital_usd_low = 0;               // GPU price low / high, everything else as is
  double capital_usd_high = 0;
  double amortized_fraction = 0;            // run duration / amortisation period
  double buy_usd = 0;                       // amortised capital + energy
  double buy_usd_low = 0;
  double buy_usd_high = 0;
  double gpu_hours = 0;                     // (job + spare) GPUs x wall hours
  double rent_usd = 0;                      // GPU-hours x rate; the rate includes power
  double rent_usd_low = 0;
  double rent_usd_high = 0;
  int rent_price_year = 0;
  double cost_usd = 0;                      // buy_usd or rent_usd, per basis
  double cost_usd_low = 0;
  double cost_usd_high = 0;
  // What an hour of the cluster costs on the chosen basis, known without a time to train: rent, every
  // GPU held x the hourly rate; buy, the capital written off per hour plus the hour's energy.
  double cost_usd_per_hour = 0;
  double cost_usd_per_hour_low = 0;
  double cost_usd_per_hour_high = 0;
  // ---- cost labelling: the prices the figures above were computed with, and where each came from ----
  EconomicsParams prices;
  std::shared_ptr<const std::map<std::string, Provenance>> sources;  // field path ("cost.gpu_usd") -> provenance; may be null
  std::vector<std::string> notes;
};

// True when the run was timed (training tokens given): its days, energy, cost and interruptions are
// known; otherwise only the rates, power and hourly cost are.
inline bool has_time_to_train(const RunEconomics& e) { return e.reliability.process.work_s > 0; }

// A GPU's draw: idle + utilisation x (TDP - idle).
double gpu_power_w(double tdp_w, const PowerModel& power);

// The network's capital lines of an inventory: its switches and links per tier and its NICs at the
// buy prices (price_network; without tiers, its counts as one tier).
std::vector<NetworkCapitalLine> price_inventory_network(const ClusterInventory& inventory, const BuyPrices& prices);

// Cost and energy of a run whose expected wall time `reliability` gives. `network_lines`, when given,
// are price_inventory_network(inventory, params.buy), priced once by the caller. `reliability` and
// `inventory` are kept in the result (a caller that needs them no more moves them in).
// With EstimateDetail::figures: every figure, without notes, capital lines or a copy of the prices.
RunEconomics estimate_run_economics(ReliabilityEstimate reliability, ClusterInventory inventory,
                                    double gpu_tdp_w, const EconomicsParams& params,
                                    const std::vector<NetworkCapitalLine>* network_lines = nullptr,
                                    EstimateDetail detail = EstimateDetail::full);

// Everything the economics of a plan needs besides the plan: what the loader gives.
struct EconomicsModel {
  // Lets tests see whether an input changed anything (where the numbers came from is not compared).
  bool operator==(const EconomicsModel& o) const {
    return reliability == o.reliability && cost == o.cost && monte_carlo == o.monte_carlo;
  }
  ReliabilityParams reliability;
  EconomicsParams cost;
  MonteCarloSettings monte_carlo{0, 1};     // runs == 0: no simulation
  // Field path -> where its number came from (the loader's provenance), for the cost table's labels.
  std::shared_ptr<const std::map<std::string, Provenance>> provenance;
};

// Network items the topology counts for the job (0 switches: network cost and switch failures not
// counted; 0 NICs: one per job GPU x fabric.nics_per_gpu).
struct NetworkCounts {
  double switches = 0;
  double cables = 0;
  double nics = 0;
  NetworkTiers tiers;                       // per tier with radix and speed (network_tiers_of); empty: counts alone
};

// Random draws the Monte-Carlo simulation of `runs` runs is expected to take (one per interruption);
// above max_monte_carlo_draws it is not run (monte_carlo.runs stays 0), so a failure rate that
// leaves a run no progress cannot make it spin for hours.
inline constexpr double max_monte_carlo_draws = 2e8;
double monte_carlo_draws(const ReliabilityEstimate& reliability, int runs);

// A network's capital lines kept for the NIC count they were priced at: the samples of one plan
// share their cluster, so its network is priced once (the tiers and prices must stay the same while
// the cache is reused; only the NIC count, which follows the GPUs, is checked).
struct PricedNetworkCache {
  double nics = -1;
  std::vector<NetworkCapitalLine> lines;
};

// What the economics read of an evaluated plan.
struct RunFigures {
  int gpus = 0;
  double params_total = 0;
  double state_bytes_per_gpu = 0;  // what one GPU snapshots for an in-memory checkpoint: weights and optimizer state
  double step_time_s = 0;
  double time_to_train_days = 0;   // failure-free
};
RunFigures run_figures(const PlanResult& result);

// The one call for a planning command: failures, goodput, Monte-Carlo (if asked), cost and energy of
// an evaluated plan. `network_cache`, when given, keeps the priced network between calls.
RunEconomics evaluate_run_economics(const Scenario& scenario, const PlanResult& result, const NetworkCounts& network,
                                    const EconomicsModel& model, PricedNetworkCache* network_cache = nullptr);
RunEconomics evaluate_run_economics(const Scenario& scenario, const RunFigures& figures, const NetworkCounts& network,
                                    const EconomicsModel& model, PricedNetworkCache* network_cache = nullptr,
                                    EstimateDetail detail = EstimateDetail::full);

}  // namespace trainplan
