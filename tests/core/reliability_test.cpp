#include "planner/core/economics/reliability.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace trainplan {

namespace {
constexpr double day_s = 86400.0;

// Llama 3 405B on 16,384 H100s (Llama 3 paper, Table 4/5): 405.8B parameters; ~5.9 s per step
// (16M tokens x 6 x 405.8e9 FLOPs / (16,384 x 400 TFLOP/s)).
ReliabilityJob llama3_job(double work_days = 54) {
  ReliabilityJob j;
  j.gpus = 16384;
  j.gpus_per_node = 8;
  j.params_total = 405.8e9;
  j.step_time_s = 0;  // no rounding to whole steps unless a test asks for it
  j.failure_free_s = work_days * day_s;
  return j;
}

ReliabilityParams defaults() { return ReliabilityParams{}; }
}  // namespace

TEST(Reliability, YoungDalyIsItsClosedForm) {
  EXPECT_NEAR(young_daly_interval_s(30, 3 * 3600.0), std::sqrt(2.0 * 30 * 3 * 3600.0), 1e-9);
  EXPECT_NEAR(young_daly_interval_s(30, 3 * 3600.0), 804.98, 0.01);
  EXPECT_EQ(young_daly_interval_s(0, 3600), 0);

  // Through the estimate: delta = bytes / bandwidth, M = 1 / (GPUs x rate).
  ReliabilityParams p = defaults();
  p.checkpoint.storage_gb_s = 100;  // binds: 2,048 nodes x 25 GB/s is far more
  const ReliabilityEstimate e = estimate_reliability(llama3_job(), p);
  const double delta = 405.8e9 * 14 / 100e9;
  const double mtbf = day_s / (16384 * 4.7e-4);
  EXPECT_NEAR(e.checkpoint_block_s, delta, 1e-9);
  EXPECT_NEAR(e.job_mtbf_s, mtbf, 1e-6);
  EXPECT_NEAR(e.young_daly_interval_s, std::sqrt(2 * delta * mtbf), 1e-6);
  EXPECT_NEAR(e.interval_s, e.young_daly_interval_s, 1e-9);
  EXPECT_TRUE(e.interval_optimal);
}

TEST(Reliability, YoungDalyIntervalIsNearTheExactOptimum) {
  ReliabilityParams p = defaults();
  p.checkpoint.storage_gb_s = 50;  // delta ~ 114 s, tau ~ 27 min
  const ReliabilityEstimate e = estimate_reliability(llama3_job(), p);
  RunProcess process = e.process;
  const double at_optimum = expected_wall_s(process);
  for (double factor : {0.5, 0.8, 1.25, 2.0}) {
    SCOPED_TRACE(factor);
    process.interval_s = e.interval_s * factor;
    EXPECT_GT(expected_wall_s(process), at_optimum);
  }
  // First-order waste agrees with the exact expectation while the terms are small.
  EXPECT_NEAR(1 - e.goodput, e.first_order_waste, 0.1 * e.first_order_waste);
}

TEST(Reliability, SegmentExpectationIsDalysClosedForm) {
  // Daly 2006: T = M e^{R/M} (e^{(tau + delta)/M} - 1) per segment, failures during restart included.
  const double mtbf = 3 * 3600.0, restart = 600, length = 900;
  RunProcess p;
  p.unexpected_per_s = 1 / mtbf;
  p.restart_s = restart;
  const double daly = mtbf * std::exp(restart / mtbf) * (std::exp(length / mtbf) - 1);
  EXPECT_NEAR(expected_segment_wall_s(length, 1 / mtbf, expected_restart_wall_s(p)), daly, 1e-6);
  // No failures: the segment takes its length.
  EXPECT_EQ(expected_segment_wall_s(length, 0, restart), length);
}

TEST(Reliability, GoodputFallsAsGpuCountGrows) {
  double previous = 1;
  for (int gpus : {1024, 4096, 16384, 50000, 131072}) {
    SCOPED_TRACE(gpus);
    ReliabilityJob j = llama3_job(90);
    j.gpus = gpus;
    const ReliabilityEstimate e = estimate_reliability(j, defaults());
    EXPECT_LT(e.goodput, previous);
    EXPECT_GT(e.wall_s, j.failure_free_s);
    previous = e.goodput;
  }
  EXPECT_LT(previous, 0.85);  // 131,072 GPUs: a failure every ~23 minutes
}

TEST(Reliability, GoodputFallsAsCheckpointWriteTimeGrows) {
  double previous = 1, previous_interval = 0;
  for (double storage_gb_s : {8000.0, 2000.0, 500.0, 100.0, 20.0}) {
    SCOPED_TRACE(storage_gb_s);
    ReliabilityParams p = defaults();
    p.checkpoint.storage_gb_s = storage_gb_s;
    const ReliabilityEstimate e = estimate_reliability(llama3_job(), p);
    EXPECT_LT(e.goodput, previous);
    EXPECT_GT(e.interval_s, previous_interval);  // slower writes: checkpoint less often
    previous = e.goodput;
    previous_interval = e.interval_s;
  }
}

TEST(Reliability, PerNodeCapLimitsTheWrite) {
  ReliabilityParams p = defaults();
  p.checkpoint.storage_gb_s = 1e6;
  p.checkpoint.node_storage_gb_s = 10;
  ReliabilityJob j = llama3_job();
  j.gpus = 64;  // 8 nodes x 10 GB/s = 80 GB/s
  const ReliabilityEstimate e = estimate_reliability(j, p);
  EXPECT_EQ(e.nodes, 8);
  EXPECT_NEAR(e.checkpoint_persist_s, 405.8e9 * 14 / 80e9, 1e-9);
}

TEST(Reliability, IntervalIsAWholeNumberOfStepsOrTheGivenOne) {
  ReliabilityJob j = llama3_job();
  j.step_time_s = 5.9;
  const ReliabilityEstimate e = estimate_reliability(j, defaults());
  const double steps = e.interval_s / 5.9;
  EXPECT_NEAR(steps, std::round(steps), 1e-9);
  EXPECT_GE(steps, 1);

  ReliabilityParams p = defaults();
  p.checkpoint.interval_s = 3600;
  j.step_time_s = 0;
  const ReliabilityEstimate given = estimate_reliability(j, p);
  EXPECT_FALSE(given.interval_optimal);
  EXPECT_EQ(given.interval_s, 3600);
  EXPECT_LT(given.goodput, estimate_reliability(j, defaults()).goodput);  // the optimum is better
  EXPECT_FALSE(given.notes.empty());
}

TEST(Reliability, NodeAndSwitchTermsAddToTheRate) {
  ReliabilityParams p = defaults();
  p.failures.unexpected_per_node_day = 1e-3;
  p.failures.unexpected_per_switch_day = 2e-3;
  ReliabilityJob j = llama3_job();
  j.switches = 1280;
  const ReliabilityEstimate e = estimate_reliability(j, p);
  EXPECT_NEAR(e.unexpected_per_day, 16384 * 4.7e-4 + 2048 * 1e-3 + 1280 * 2e-3, 1e-9);
  j.switches = 2560;
  EXPECT_LT(estimate_reliability(j, p).goodput, e.goodput);  // more switches, more failures
}

TEST(Reliability, LostWorkIsFailuresTimesHalfAnInterval) {
  ReliabilityParams p = defaults();
  p.checkpoint.storage_gb_s = 50;
  const ReliabilityEstimate e = estimate_reliability(llama3_job(), p);
  // The residual lost work matches failures while running x E[X | X < L] (~ L/2).
  const double L = e.interval_s + e.checkpoint_block_s;
  EXPECT_NEAR(e.expected_lost_work_s_per_failure, L / 2, 0.05 * L);
  const double lambda = e.process.unexpected_per_s;
  const double running_failures = std::floor(e.process.work_s / e.interval_s) * std::expm1(lambda * L);
  EXPECT_NEAR(e.lost_work_s, running_failures * e.expected_lost_work_s_per_failure, 0.02 * e.lost_work_s);
  EXPECT_NEAR(e.expected_unexpected_interruptions, lambda * e.wall_s, 1e-9);
}

TEST(Reliability, InMemoryFirstStageBlocksOnlyForTheHostCopy) {
  ReliabilityParams p = defaults();
  p.checkpoint.storage_gb_s = 100;
  ReliabilityJob j = llama3_job();
  j.state_bytes_per_gpu = 20e9;
  const ReliabilityEstimate to_storage = estimate_reliability(j, p);
  p.checkpoint.in_memory_first_stage = true;
  const ReliabilityEstimate in_memory = estimate_reliability(j, p);
  EXPECT_NEAR(in_memory.checkpoint_block_s, 20e9 / 32e9, 1e-12);
  EXPECT_GE(in_memory.interval_s, in_memory.checkpoint_persist_s);  // one background write at a time
  EXPECT_GT(in_memory.goodput, to_storage.goodput);
}

TEST(Reliability, HotSparesMatterOnlyWhenARestartWaitsForANode) {
  EXPECT_EQ(poisson_at_least(0, 3.0), 1.0);
  EXPECT_NEAR(poisson_at_least(1, 3.0), 1 - std::exp(-3.0), 1e-12);
  EXPECT_NEAR(poisson_at_least(2, 3.0), 1 - 4 * std::exp(-3.0), 1e-12);

  ReliabilityParams p = defaults();
  p.recovery.spare_wait_s = 4 * 3600.0;
  const ReliabilityEstimate none = estimate_reliability(llama3_job(), p);
  p.recovery.hot_spare_nodes = 16;
  const ReliabilityEstimate few = estimate_reliability(llama3_job(), p);
  p.recovery.hot_spare_nodes = 64;
  const ReliabilityEstimate many = estimate_reliability(llama3_job(), p);
  EXPECT_NEAR(none.process.node_loss_wait_probability, 0.78, 1e-12);
  EXPECT_LT(few.process.node_loss_wait_probability, none.process.node_loss_wait_probability);
  EXPECT_LT(many.process.node_loss_wait_probability, 1e-6);
  EXPECT_GT(few.goodput, none.goodput);
  EXPECT_GT(many.goodput, few.goodput);

  p.recovery.spare_wait_s = 0;  // a node is always at hand: spares change nothing
  const ReliabilityEstimate no_wait = estimate_reliability(llama3_job(), p);
  EXPECT_NEAR(no_wait.goodput, estimate_reliability(llama3_job(), defaults()).goodput, 1e-12);
}

TEST(Reliability, NoFailuresMeansOneFinalCheckpoint) {
  ReliabilityParams p = defaults();
  p.failures.unexpected_per_gpu_day = 0;
  p.failures.planned_per_day = 0;
  const ReliabilityEstimate e = estimate_reliability(llama3_job(), p);
  EXPECT_NEAR(e.wall_s, 54 * day_s + e.checkpoint_block_s, 1e-6);
  EXPECT_EQ(e.expected_unexpected_interruptions, 0);
}

TEST(Reliability, ImpossibleJobsSayWhy) {
  ReliabilityJob j = llama3_job();
  j.gpus = 0;
  const ReliabilityEstimate e = estimate_reliability(j, defaults());
  EXPECT_EQ(e.goodput, 0);
  ASSERT_FALSE(e.notes.empty());

  ReliabilityParams p = defaults();
  p.failures.unexpected_per_gpu_day = 0.5;  // 8,192 failures a day against a 10-minute restart
  const ReliabilityEstimate never = estimate_reliability(llama3_job(), p);
  EXPECT_FALSE(std::isfinite(never.wall_s));
  EXPECT_EQ(never.goodput, 0);
}

// Llama 3 (The Llama 3 Herd of Models, 2024, section 3.3.4 and Table 5): 466 interruptions (419
// unexpected + 47 planned) in a 54-day snapshot on 16,384 GPUs, effective training time above 90%.
// Conditions assumed (not published): restart 10 min (the bundled default); checkpoints of 14 bytes per
// parameter written at 2 TB/s (Tectonic's sustained rate) from 2,048 nodes, every Young/Daly interval.
TEST(Reliability, Llama3FiftyFourDayWindow) {
  const ReliabilityParams p = defaults();
  // The work that fills a 54-day wall-clock window (fixed point: wall(work) = 54 days).
  ReliabilityJob j = llama3_job();
  for (int i = 0; i < 4; ++i) j.failure_free_s *= 54 * day_s / estimate_reliability(j, p).wall_s;
  const ReliabilityEstimate e = estimate_reliability(j, p);
  ASSERT_NEAR(e.wall_s / day_s, 54, 1e-3);
  EXPECT_NEAR(e.expected_unexpected_interruptions, 419, 0.02 * 419);
  EXPECT_NEAR(e.expected_planned_interruptions, 47, 0.02 * 47);
  EXPECT_NEAR(e.expected_unexpected_interruptions + e.expected_planned_interruptions, 466, 0.02 * 466);
  EXPECT_GT(e.goodput, 0.90);
  // The figures of docs/goodput-and-cost.md.
  EXPECT_NEAR(e.job_mtbf_s / 3600, 3.12, 0.01);
  EXPECT_NEAR(e.checkpoint_block_s, 2.84, 0.01);
  EXPECT_NEAR(e.interval_s / 60, 4.2, 0.1);
  EXPECT_NEAR(e.goodput, 0.92, 0.01);
  // The research-cluster rate (Kokolis et al.) would have predicted far more interruptions.
  ReliabilityParams research = p;
  research.failures.unexpected_per_gpu_day = 8.14e-4;
  EXPECT_GT(estimate_reliability(j, research).expected_unexpected_interruptions, 1.5 * 419);
}

// GB200 NVL72: a 72-GPU NVLink domain of 18 hosts (trays) of 4. Host failures and checkpoint writes
// count per tray, while the domain stays the unit a failure takes out (nodes = racks, spares = racks).
TEST(Reliability, RackScaleDomainsFailAndWritePerHost) {
  ReliabilityJob rack = llama3_job();
  rack.gpus = 72 * 228;  // 16,416 GPUs in 228 racks
  rack.gpus_per_node = 72;
  ReliabilityJob trays = rack;
  trays.gpus_per_host = 4;
  ReliabilityParams p = defaults();
  p.failures.unexpected_per_node_day = 1e-3;
  p.checkpoint.storage_gb_s = 1e9;  // the hosts' links bind
  const ReliabilityEstimate one_host = estimate_reliability(rack, p);
  const ReliabilityEstimate per_tray = estimate_reliability(trays, p);
  EXPECT_EQ(one_host.nodes, 228);
  EXPECT_EQ(per_tray.nodes, 228);  // the failure unit: the rack
  EXPECT_NEAR(one_host.unexpected_per_day, rack.gpus * 4.7e-4 + 228 * 1e-3, 1e-9);
  EXPECT_NEAR(per_tray.unexpected_per_day, rack.gpus * 4.7e-4 + 228 * 18 * 1e-3, 1e-9);
  EXPECT_NEAR(one_host.checkpoint_persist_s, 405.8e9 * 14 / (228 * 25e9), 1e-9);
  EXPECT_NEAR(per_tray.checkpoint_persist_s, 405.8e9 * 14 / (228 * 18 * 25e9), 1e-9);
  EXPECT_GT(per_tray.wall_s, 0);
  bool noted = false;
  for (const auto& n : per_tray.notes) noted = noted || n.find("failure unit: the 72-GPU scale-up domain (18 hosts of 4") != std::string::npos;
  EXPECT_TRUE(noted);
  for (const auto& n : one_host.notes) EXPECT_EQ(n.find("failure unit"), std::string::npos);
  // A DGX node is its own host: nothing changes.
  ReliabilityJob dgx = llama3_job();
  ReliabilityJob dgx_hosts = dgx;
  dgx_hosts.gpus_per_host = 8;
  EXPECT_DOUBLE_EQ(estimate_reliability(dgx, p).wall_s, estimate_reliability(dgx_hosts, p).wall_s);
}

}  // namespace trainplan
