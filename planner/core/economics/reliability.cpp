#include "planner/core/economics/reliability.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "planner/core/economics/rack_failure_unit.hpp"

namespace trainplan {

namespace {
constexpr double seconds_per_day = 86400.0;
constexpr double bytes_per_gb = 1e9;

std::string fixed(double value, int digits) {
  // Small formatter for notes (no iostreams in core).
  const double scale = std::pow(10.0, digits);
  const double rounded = std::round(value * scale) / scale;
  std::string text = std::to_string(rounded);
  const auto dot = text.find('.');
  if (dot != std::string::npos) text = text.substr(0, digits > 0 ? dot + 1 + static_cast<std::size_t>(digits) : dot);
  return text;
}
}  // namespace

// Young, "A first order approximation to the optimum checkpoint interval", CACM 17(9), 1974:
// the time wasted per unit of work is delta/tau (writing checkpoints) + tau/(2M) (on average half an
// interval is lost per failure, one failure every M seconds). d/dtau = 0 gives tau = sqrt(2 delta M).
// Daly (FGCS 2006) refines it with higher-order terms; the first-order form is what we use.
double young_daly_interval_s(double checkpoint_block_s, double job_mtbf_s) {
  if (!(checkpoint_block_s > 0) || !(job_mtbf_s > 0)) return 0;
  return std::sqrt(2.0 * checkpoint_block_s * job_mtbf_s);
}

// P(N >= k) = 1 - sum_{i<k} e^-m m^i / i!, the terms built iteratively.
double poisson_at_least(int k, double mean) {
  if (k <= 0) return 1.0;
  if (!(mean > 0)) return 0.0;
  double term = std::exp(-mean);
  double below = 0;
  for (int i = 0; i < k; ++i) {
    below += term;
    term *= mean / (i + 1);
  }
  return std::clamp(1.0 - below, 0.0, 1.0);
}

// A segment of length L (work + checkpoint) restarted from its start after each failure, failures at
// rate lambda, and T_R the expected time for the job to run again after a failure:
//   attempts until one survives L: geometric with success probability p = e^{-lambda L}, so the
//   expected number of failures is (1 - p)/p = e^{lambda L} - 1;
//   a failed attempt lasts E[X | X < L] = 1/lambda - L e^{-lambda L}/(1 - e^{-lambda L});
//   E[T] = L + (e^{lambda L} - 1) (E[X | X < L] + T_R) = (1/lambda + T_R)(e^{lambda L} - 1).
// With T_R = (e^{lambda R} - 1)/lambda (below) this is Daly's exact expectation,
// M e^{R/M} (e^{(tau + delta)/M} - 1) (Daly, FGCS 22(3), 2006, eq. 11).
double expected_segment_wall_s(double length_s, double failures_per_s, double restart_wall_s) {
  if (!(length_s > 0)) return 0;
  if (!(failures_per_s > 0)) return length_s;
  return (1.0 / failures_per_s + restart_wall_s) * std::expm1(failures_per_s * length_s);
}

// A restart of random length D (R, or R + W with probability q) that a failure starts over with a
// fresh draw: each try ends at min(X, D) and succeeds with probability P(X >= D), so
//   E[T_R] = E[min(X, D)] / P(X >= D) = E[(1 - e^{-lambda D})/lambda] / E[e^{-lambda D}];
// for a fixed D = R: (e^{lambda R} - 1)/lambda.
double expected_restart_wall_s(const RunProcess& p) {
  const double q = p.node_loss_wait_probability;
  const double lambda = p.unexpected_per_s;
  const double long_s = p.restart_s + p.spare_wait_s;
  if (!(lambda > 0)) return p.restart_s + q * p.spare_wait_s;
  const double tries = q * -std::expm1(-lambda * long_s) + (1 - q) * -std::expm1(-lambda * p.restart_s);
  const double success = q * std::exp(-lambda * long_s) + (1 - q) * std::exp(-lambda * p.restart_s);
  return tries / lambda / success;
}

// A planned stop: one restart of R (no node was lost); if a failure strikes during it, the job is in
// an ordinary failure restart: E = E[min(X, R)] + P(X < R) E[T_R].
double expected_planned_wall_s(const RunProcess& p) {
  const double lambda = p.unexpected_per_s;
  if (!(lambda > 0)) return p.restart_s;
  const double fails = -std::expm1(-lambda * p.restart_s);
  return fails / lambda + fails * expected_restart_wall_s(p);
}

namespace {
// The segment layout shared with the simulation: full segments of tau + delta, then the rest of the
// work plus a final checkpoint.
struct Segments {
  double full = 0;        // count of full segments
  double full_s = 0;      // tau + delta
  double last_s = 0;      // 0: none
};

Segments segments_of(const RunProcess& p) {
  Segments s;
  if (!(p.work_s > 0) || !(p.interval_s > 0)) return s;
  s.full = std::floor(p.work_s / p.interval_s);
  double rest = p.work_s - s.full * p.interval_s;
  if (rest <= 1e-9 * p.interval_s) rest = 0;
  s.full_s = p.interval_s + p.checkpoint_block_s;
  s.last_s = rest > 0 ? rest + p.checkpoint_block_s : 0;
  return s;
}
}  // namespace

// Unexpected failures: the sum of the segments' expectations, T_f. Planned interruptions arrive at
// rate mu over the whole wall time and each adds c (they wait for the next checkpoint, so they lose
// no work): T = T_f + c mu T  =>  T = T_f / (1 - mu c).
double expected_wall_s(const RunProcess& p) {
  const Segments s = segments_of(p);
  const double restart = expected_restart_wall_s(p);
  const double failures_only = s.full * expected_segment_wall_s(s.full_s, p.unexpected_per_s, restart) +
                               expected_segment_wall_s(s.last_s, p.unexpected_per_s, restart);
  const double planned_load = p.planned_per_s * expected_planned_wall_s(p);
  if (!std::isfinite(failures_only) || planned_load >= 1) return std::numeric_limits<double>::infinity();
  return failures_only / (1.0 - planned_load);
}

ReliabilityEstimate estimate_reliability(const ReliabilityJob& job, const ReliabilityParams& params, EstimateDetail detail) {
  ReliabilityEstimate e;
  const bool full = detail == EstimateDetail::full;
  const FailureModel& f = params.failures;
  const CheckpointPolicy& c = params.checkpoint;
  const RecoveryPolicy& r = params.recovery;
  if (job.gpus <= 0) {
    e.notes.push_back("no failure estimate: the job has no GPUs");
    return e;
  }
  const int per_node = std::max(1, job.gpus_per_node);
  e.nodes = (job.gpus + per_node - 1) / per_node;
  // Failure unit (rack_failure_unit.hpp): hosts fail and write checkpoints one by one; the domain
  // (node) holding a failed host is what a failure takes out and what a spare replaces.
  const double hosts = hosts_in_job(job);
  if (full && hosts > e.nodes) e.notes.push_back(rack_failure_unit_note(job));

  // Interruption rates: independent Poisson sources add up.
  e.unexpected_per_day = job.gpus * f.unexpected_per_gpu_day + hosts * f.unexpected_per_node_day +
                         job.switches * f.unexpected_per_switch_day;
  e.planned_per_day = f.planned_per_day;
  const double lambda = e.unexpected_per_day / seconds_per_day;
  e.job_mtbf_s = lambda > 0 ? 1.0 / lambda : std::numeric_limits<double>::infinity();

  // Checkpoint size: every parameter's weights, fp32 master copy and optimizer moments.
  e.checkpoint_bytes = job.params_total * c.bytes_per_param();
  // Sharded writes from every node in parallel: the storage's aggregate bandwidth or the nodes' own
  // links, whichever is smaller.
  const double write_gb_s = std::min(c.storage_gb_s, hosts * c.node_storage_gb_s);
  e.checkpoint_persist_s = write_gb_s > 0 ? e.checkpoint_bytes / (write_gb_s * bytes_per_gb) : 0;
  if (c.in_memory_first_stage) {
    const double state_per_gpu =
        job.state_bytes_per_gpu > 0 ? job.state_bytes_per_gpu : e.checkpoint_bytes / job.gpus;
    e.checkpoint_block_s = c.host_copy_gb_s_per_gpu > 0 ? state_per_gpu / (c.host_copy_gb_s_per_gpu * bytes_per_gb) : 0;
  } else {
    e.checkpoint_block_s = e.checkpoint_persist_s;
  }

  e.young_daly_interval_s = young_daly_interval_s(e.checkpoint_block_s, e.job_mtbf_s);
  e.interval_optimal = !(c.interval_s > 0);
  if (!(job.failure_free_s > 0)) {
    // No time to train (no training tokens): the rates, MTBF, checkpoint size and interval above do
    // not depend on it; the run's interruptions, wall time and goodput do, and stay 0.
    e.interval_s = e.interval_optimal ? e.young_daly_interval_s : c.interval_s;
    return e;  // the run economics note it (planner/core/economics/cost_energy.cpp)
  }
  double tau = e.interval_optimal ? e.young_daly_interval_s : c.interval_s;
  if (e.interval_optimal && !(tau > 0)) tau = job.failure_free_s;  // no failures or free checkpoints: one at the end
  if (c.in_memory_first_stage && tau < e.checkpoint_persist_s) {
    // The background write of one snapshot must finish before the next one starts.
    tau = e.checkpoint_persist_s;
    if (full) e.notes.push_back("checkpoint interval raised to the background write time (" + fixed(tau, 0) + " s)");
  }
  if (job.step_time_s > 0) {
    // Checkpoints are taken between optimizer steps.
    tau = std::max(1.0, std::round(tau / job.step_time_s)) * job.step_time_s;
  }
  e.interval_s = std::min(tau, job.failure_free_s);

  // Hot spares: nodes out for repair form an M/G/infinity queue, so their number is Poisson with mean
  // (node-loss rate) x (repair time); a failure finds no spare when at least `spares` are out already.
  const double node_loss_per_s = lambda * f.hardware_share;
  const double no_spare = poisson_at_least(r.hot_spare_nodes, node_loss_per_s * r.node_repair_s);

  RunProcess& p = e.process;
  p.work_s = job.failure_free_s;
  p.interval_s = e.interval_s;
  p.checkpoint_block_s = e.checkpoint_block_s;
  p.unexpected_per_s = lambda;
  p.restart_s = r.restart_s;
  p.node_loss_wait_probability = r.spare_wait_s > 0 ? f.hardware_share * no_spare : 0;
  p.spare_wait_s = r.spare_wait_s;
  p.planned_per_s = f.planned_per_day / seconds_per_day;

  e.wall_s = expected_wall_s(p);
  e.goodput = std::isfinite(e.wall_s) && e.wall_s > 0 ? p.work_s / e.wall_s : 0;
  const Segments s = segments_of(p);
  const double segments = s.full + (s.last_s > 0 ? 1 : 0);
  e.expected_restart_wall_s = expected_restart_wall_s(p);
  // Failures strike at rate lambda at every moment of the run, so their expected count is lambda x E[T]
  // (Wald's identity for a Poisson process stopped at the end of the run); planned stops likewise.
  e.expected_unexpected_interruptions = lambda * e.wall_s;
  e.expected_planned_interruptions = p.planned_per_s * e.wall_s;
  // E[X | X < L]: the work (and checkpoint time) a failure during a full segment throws away.
  if (lambda > 0 && s.full_s > 0) e.expected_lost_work_s_per_failure = 1.0 / lambda - s.full_s / std::expm1(lambda * s.full_s);
  e.checkpoint_overhead_s = segments * p.checkpoint_block_s;
  // Failures while the job runs (not during restarts): e^{lambda L} - 1 per segment.
  const double running_failures =
      lambda > 0 ? s.full * std::expm1(lambda * s.full_s) + std::expm1(lambda * s.last_s) : 0;
  e.restart_overhead_s = running_failures * e.expected_restart_wall_s + e.expected_planned_interruptions * expected_planned_wall_s(p);
  e.lost_work_s = e.wall_s - p.work_s - e.checkpoint_overhead_s - e.restart_overhead_s;
  // Young's first-order waste per unit of time, with R/M for restarts and mu R for planned stops.
  const double mean_restart = p.restart_s + p.node_loss_wait_probability * p.spare_wait_s;
  e.first_order_waste = (e.interval_s > 0 ? p.checkpoint_block_s / e.interval_s : 0) +
                        (std::isfinite(e.job_mtbf_s) ? (e.interval_s / 2 + mean_restart) / e.job_mtbf_s : 0) +
                        p.planned_per_s * p.restart_s;

  if (!full) return e;
  e.by_cause.reserve(f.causes.size());
  for (const auto& cause : f.causes)
    e.by_cause.push_back({cause.name, cause.share * e.expected_unexpected_interruptions});

  if (!std::isfinite(e.wall_s))
    e.notes.push_back("the job never finishes: interruptions come faster than it can restart and checkpoint");
  if (!e.interval_optimal && e.young_daly_interval_s > 0)
    e.notes.push_back("checkpoint interval given (" + fixed(e.interval_s / 60, 1) + " min); Young/Daly optimum " +
                      fixed(e.young_daly_interval_s / 60, 1) + " min");
  if (r.hot_spare_nodes > 0 && !(r.spare_wait_s > 0))
    e.notes.push_back("hot spares have no effect: the spare wait is 0 (a healthy node is always at hand)");
  return e;
}

}  // namespace trainplan
