#include "planner/core/economics/monte_carlo_run.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

namespace trainplan {

namespace {
constexpr double seconds_per_day = 86400.0;
constexpr double two_to_minus_53 = 1.0 / 9007199254740992.0;  // 2^-53
}  // namespace

double uniform_sample(std::uint64_t random_bits) { return static_cast<double>(random_bits >> 11) * two_to_minus_53; }

// Inverse CDF of the exponential distribution: F(x) = 1 - e^{-rate x}, so for U uniform on (0, 1]
// (1 - U is as uniform as U) X = -ln(U)/rate. U = (k + 1) 2^-53 with k the top 53 bits: never 0.
double exponential_sample(std::uint64_t random_bits, double rate) {
  if (!(rate > 0)) return std::numeric_limits<double>::infinity();
  const double u = static_cast<double>((random_bits >> 11) + 1) * two_to_minus_53;
  return -std::log(u) / rate;
}

double quantile_of_sorted(const double* sorted, int count, double q) {
  if (count <= 0) return 0;
  const double position = std::clamp(q, 0.0, 1.0) * (count - 1);
  const auto below = static_cast<int>(std::floor(position));
  const int above = std::min(below + 1, count - 1);
  const double weight = position - below;
  return sorted[below] + weight * (sorted[above] - sorted[below]);
}

namespace {
struct OneRun {
  double wall_s = 0;
  double unexpected = 0;
  double planned = 0;
};

// One run of the process in RunProcess's comment. Failures are memoryless, so instead of walking
// every segment we draw the time to the next failure X and skip the floor(X / L) segments it spares;
// the failure then lands X - kL into the next segment, which restarts. Cost: one draw per failure.
OneRun sample_run(const RunProcess& p, std::mt19937_64& random) {
  OneRun run;
  if (!(p.work_s > 0) || !(p.interval_s > 0)) return run;
  double full = std::floor(p.work_s / p.interval_s);
  double rest = p.work_s - full * p.interval_s;
  if (rest <= 1e-9 * p.interval_s) rest = 0;
  const double full_s = p.interval_s + p.checkpoint_block_s;
  double last_s = rest > 0 ? rest + p.checkpoint_block_s : 0;
  const bool waits = p.node_loss_wait_probability > 0 && p.spare_wait_s > 0;
  auto restart_length = [&]() {
    double r = p.restart_s;
    if (waits && uniform_sample(random()) < p.node_loss_wait_probability) r += p.spare_wait_s;
    return r;
  };
  // Until the job runs again: a failure during a restart starts a new one (with a fresh draw).
  auto restart_from = [&](double first_length) {
    double spent = 0;
    double length = first_length;
    for (;;) {
      const double x = exponential_sample(random(), p.unexpected_per_s);
      if (x >= length) return spent + length;
      spent += x;
      run.unexpected += 1;
      length = restart_length();
    }
  };
  auto restart = [&]() { return restart_from(restart_length()); };

  double wall = 0;
  while (full > 0 || last_s > 0) {
    double x = exponential_sample(random(), p.unexpected_per_s);
    if (full > 0) {
      const double spared = std::floor(x / full_s);  // inf when there are no failures
      if (spared < full) {
        full -= spared;
        wall += x + restart();
        run.unexpected += 1;
        continue;
      }
      x -= full * full_s;
      wall += full * full_s;
      full = 0;
    }
    if (last_s <= 0) break;
    if (x >= last_s) {
      wall += last_s;
      break;
    }
    wall += x + restart();
    run.unexpected += 1;
  }

  // Planned interruptions: Poisson at rate mu over the wall time, each adding a restart of R (no node
  // lost; failures during it as above), which extends the window they can arrive in (so that
  // E[T] = T_f / (1 - mu c), as in expected_wall_s).
  if (p.planned_per_s > 0) {
    double end = wall;
    double t = exponential_sample(random(), p.planned_per_s);
    while (t < end) {
      end += restart_from(p.restart_s);
      run.planned += 1;
      t += exponential_sample(random(), p.planned_per_s);
    }
    wall = end;
  }
  run.wall_s = wall;
  return run;
}
}  // namespace

MonteCarloSummary simulate_run(const RunProcess& process, const MonteCarloSettings& settings) {
  MonteCarloSummary s;
  s.seed = settings.seed;
  if (settings.runs <= 0) return s;
  // A run that would not end (or barely: goodput below 0.1%) is not simulated; expected_wall_s says so.
  const double expected = expected_wall_s(process);
  if (!std::isfinite(expected) || expected > 1000 * process.work_s) return s;
  s.runs = settings.runs;
  std::mt19937_64 random(settings.seed);
  std::vector<double> days(static_cast<std::size_t>(settings.runs));
  double sum = 0, goodput = 0, unexpected = 0, planned = 0;
  for (int i = 0; i < settings.runs; ++i) {
    const OneRun run = sample_run(process, random);
    const double d = run.wall_s / seconds_per_day;
    days[static_cast<std::size_t>(i)] = d;
    sum += d;
    goodput += run.wall_s > 0 ? process.work_s / run.wall_s : 0;
    unexpected += run.unexpected;
    planned += run.planned;
  }
  const double n = settings.runs;
  s.mean_days = sum / n;
  double squares = 0;  // two passes: no cancellation
  for (double d : days) squares += (d - s.mean_days) * (d - s.mean_days);
  s.stddev_days = settings.runs > 1 ? std::sqrt(squares / (n - 1)) : 0;
  s.mean_goodput = goodput / n;
  s.mean_unexpected_interruptions = unexpected / n;
  s.mean_planned_interruptions = planned / n;
  std::sort(days.begin(), days.end());
  s.min_days = days.front();
  s.max_days = days.back();
  s.p10_days = quantile_of_sorted(days.data(), settings.runs, 0.10);
  s.p50_days = quantile_of_sorted(days.data(), settings.runs, 0.50);
  s.p90_days = quantile_of_sorted(days.data(), settings.runs, 0.90);
  return s;
}

}  // namespace trainplan
