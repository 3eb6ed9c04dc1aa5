#pragma once
// Monte-Carlo of a whole training run: samples the failures, lost work, restarts and planned stops of
// the process that estimate_reliability resolves (RunProcess), and summarises the time-to-train over
// many runs. Deterministic for a seed: std::mt19937_64 (its output is fixed by the standard) and our
// own inverse-CDF sampling, not std::*_distribution (whose algorithms differ between libraries).
#include <cstdint>

#include "planner/core/economics/reliability.hpp"

namespace trainplan {

struct MonteCarloSettings {
  bool operator==(const MonteCarloSettings&) const = default;  // lets tests see whether an input changed anything
  int runs = 1000;
  std::uint64_t seed = 1;
};

struct MonteCarloSummary {
  int runs = 0;
  std::uint64_t seed = 0;
  double mean_days = 0;
  double stddev_days = 0;
  double p10_days = 0;                      // 10% of runs finish sooner
  double p50_days = 0;
  double p90_days = 0;
  double min_days = 0;
  double max_days = 0;
  double mean_unexpected_interruptions = 0;
  double mean_planned_interruptions = 0;
  double mean_goodput = 0;                  // mean over runs of work / wall
};

// Exponential sample by inversion: X = -ln(U) / rate with U uniform on (0, 1], built from the top 53
// bits of one 64-bit draw so that U is never 0.
double exponential_sample(std::uint64_t random_bits, double rate);
// Uniform on [0, 1) from the top 53 bits.
double uniform_sample(std::uint64_t random_bits);

// Linear interpolation between order statistics (Hyndman-Fan type 7) of sorted values, q in [0, 1].
double quantile_of_sorted(const double* sorted, int count, double q);

// Runs `settings.runs` independent runs of `process`. runs <= 0, or a process whose expected wall time
// is infinite or above 1000x its work, gives an empty summary (runs == 0).
MonteCarloSummary simulate_run(const RunProcess& process, const MonteCarloSettings& settings);

}  // namespace trainplan
