#include "planner/core/step/data_parallel_comm.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "planner/core/network/collective_cost.hpp"
#include "planner/core/step/dp_overlap.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan plan_of(int dp, int zero) {
  ParallelPlan p;
  p.tp = 8;
  p.pp = 4;
  p.dp = dp;
  p.seq_len = 4096;
  p.global_batch = 256;
  p.sequence_parallel = true;
  p.zero_stage = zero;
  return p;
}

struct Fixture {
  Scenario sc = testing::scenario(testing::llama3_8b(), 1024);
  StageParameters params;
  Fixture() {
    params.first = params.largest = 1e9;
  }
};
}  // namespace

TEST(DataParallelGroups, GradientsOverDpTimesCpExpertsOverTheirOwnGroup) {
  ParallelPlan p = plan_of(8, 1);
  p.cp = 2;
  EXPECT_EQ(data_parallel_groups(p).ranks, 16);
  p.ep = 4;
  EXPECT_EQ(data_parallel_groups(p).expert_ranks, 8 * 8 * 2 / (8 * 4));
  p.ep = 256;
  EXPECT_EQ(data_parallel_groups(p).expert_ranks, 1);  // never below one
}

TEST(DataParallelTraffic, NoneWithoutDataParallelismAnAllReduceOrZerosTwoHalves) {
  const Fixture f;
  const DataParallelTraffic alone = data_parallel_traffic(f.sc, plan_of(1, 0), data_parallel_groups(plan_of(1, 0)), f.params, 8, 16);
  EXPECT_EQ(alone.reduce_s + alone.gather_s, 0);
  const DataParallelTraffic plain = data_parallel_traffic(f.sc, plan_of(32, 0), data_parallel_groups(plan_of(32, 0)), f.params, 8, 16);
  EXPECT_GT(plain.reduce_s, 0);
  EXPECT_EQ(plain.gather_s, 0);
  const DataParallelTraffic zero1 = data_parallel_traffic(f.sc, plan_of(32, 1), data_parallel_groups(plan_of(32, 1)), f.params, 8, 16);
  EXPECT_GT(zero1.gather_s, 0);
  EXPECT_LT(zero1.reduce_s, plain.reduce_s);  // a reduce-scatter moves half an all-reduce's bytes
}

TEST(DataParallelTraffic, ZeroThreeGathersForEveryMicroBatchLayerByLayer) {
  const Fixture f;
  const DataParallelTraffic zero1 = data_parallel_traffic(f.sc, plan_of(32, 1), data_parallel_groups(plan_of(32, 1)), f.params, 8, 16);
  const DataParallelTraffic zero3 = data_parallel_traffic(f.sc, plan_of(32, 3), data_parallel_groups(plan_of(32, 3)), f.params, 8, 16);
  EXPECT_GE(zero3.gather_s, 2.0 * 16 * zero1.gather_s);  // each layer's gather pays its own latency
  EXPECT_GE(zero3.reduce_s, 16 * zero1.reduce_s);
}

// ZeRO-2 keeps only its gradient shard, so each of the 16 micro-batches reduce-scatters the whole
// gradient (DeepSpeed's stage 2); the weights are gathered once per step, as ZeRO-1's. With one
// micro-batch the two are the same plan.
TEST(DataParallelTraffic, ZeroTwoReducesEveryMicroBatchAndGathersOnce) {
  const Fixture f;
  const DataParallelTraffic zero1 = data_parallel_traffic(f.sc, plan_of(32, 1), data_parallel_groups(plan_of(32, 1)), f.params, 8, 16);
  const DataParallelTraffic zero2 = data_parallel_traffic(f.sc, plan_of(32, 2), data_parallel_groups(plan_of(32, 2)), f.params, 8, 16);
  EXPECT_GT(zero1.reduce_s, 0);
  EXPECT_DOUBLE_EQ(zero2.reduce_s, 16 * zero1.reduce_s);
  EXPECT_DOUBLE_EQ(zero2.gather_s, zero1.gather_s);
  const DataParallelTraffic one1 = data_parallel_traffic(f.sc, plan_of(32, 1), data_parallel_groups(plan_of(32, 1)), f.params, 8, 1);
  const DataParallelTraffic one2 = data_parallel_traffic(f.sc, plan_of(32, 2), data_parallel_groups(plan_of(32, 2)), f.params, 8, 1);
  EXPECT_DOUBLE_EQ(one2.reduce_s, one1.reduce_s);
}

TEST(DataParallelTraffic, PiecesEachPayTheirOwnLatency) {
  const Fixture f;
  const ParallelPlan p = plan_of(32, 1);
  const DataParallelTraffic whole = data_parallel_piece_traffic(f.sc, p, data_parallel_groups(p), f.params, 1);
  const DataParallelTraffic quarter = data_parallel_piece_traffic(f.sc, p, data_parallel_groups(p), f.params, 4);
  EXPECT_GT(quarter.reduce_s, 0);
  EXPECT_LT(quarter.reduce_s, whole.reduce_s);
  EXPECT_GT(4 * quarter.reduce_s, whole.reduce_s);
  EXPECT_GT(4 * quarter.gather_s, whole.gather_s);
  const DataParallelTraffic stage = data_parallel_traffic(f.sc, p, data_parallel_groups(p), f.params, 8, 16);
  EXPECT_DOUBLE_EQ(stage.reduce_s, whole.reduce_s);  // ZeRO 0-2: one collective of the whole stage
}

TEST(ExposedDataParallel, ZeroThreeHidesAtMostTheCalibratedShareOfEveryMicroBatchsCompute) {
  const Fixture f;
  ParallelPlan p = plan_of(32, 3);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(f.sc, p, &work);
  PipelineStages stages;
  stages.layers = split_layers(32, 4);
  const DataParallelGroups g = data_parallel_groups(p);
  const DataParallelTraffic t = data_parallel_traffic(f.sc, p, g, f.params, 8, 16);
  const double overlapped = exposed_data_parallel_seconds(f.sc, p, g, f.params, t, layers, stages, 16);
  p.dp_overlap = false;
  const double exposed = exposed_data_parallel_seconds(f.sc, p, g, f.params, t, layers, stages, 16);
  EXPECT_DOUBLE_EQ(exposed, t.reduce_s + t.gather_s);
  EXPECT_LT(overlapped, exposed);
  const LayerTime& l = layers.main.recomputed;
  const double window_s =
      f.sc.calibration.overlap_efficiency * 16 * 8 * (2 * l.forward_compute_s + l.backward_compute_s + l.recompute_compute_s);
  EXPECT_GE(overlapped, exposed - window_s);
}

// ZeRO-2's 15 earlier reductions hide behind the first stage's forward and backward of a micro-batch
// each (the calibrated share of it); the last one and the gather overlap as ZeRO-1's. So it exposes
// no less than ZeRO-1 on the same stage, no more than ZeRO-1 plus those 15 reductions, and no more
// than its whole traffic; with one micro-batch it is ZeRO-1.
TEST(ExposedDataParallel, ZeroTwoHidesEachEarlierReductionBehindAMicroBatchAndEndsAsZeroOne) {
  const Fixture f;
  ParallelPlan p1 = plan_of(32, 1), p2 = plan_of(32, 2);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(f.sc, p1, &work);
  PipelineStages stages;
  stages.layers = split_layers(32, 4);
  const DataParallelGroups g = data_parallel_groups(p1);
  for (const int m : {1, 16}) {
    SCOPED_TRACE(m);
    const DataParallelTraffic t1 = data_parallel_traffic(f.sc, p1, g, f.params, 8, m);
    const DataParallelTraffic t2 = data_parallel_traffic(f.sc, p2, g, f.params, 8, m);
    const double zero1 = exposed_data_parallel_seconds(f.sc, p1, g, f.params, t1, layers, stages, m);
    const double zero2 = exposed_data_parallel_seconds(f.sc, p2, g, f.params, t2, layers, stages, m);
    if (m == 1) {
      EXPECT_DOUBLE_EQ(zero2, zero1);
      continue;
    }
    EXPECT_GE(zero2, zero1);
    EXPECT_LE(zero2, zero1 + (m - 1) * t1.reduce_s);
    EXPECT_LE(zero2, t2.reduce_s + t2.gather_s);
    // The earlier reductions against the first stage's 8 layers of forward and backward per
    // micro-batch: what does not fit in the calibrated share of that window stays exposed, the rest
    // costs its SM share.
    const LayerTime& l = layers.main.recomputed;
    const double window_s = 8 * (l.forward_compute_s + l.backward_compute_s + l.recompute_compute_s);
    const double earlier_s = (m - 1) * t1.reduce_s;
    const double hidden_s = std::min(earlier_s, f.sc.calibration.overlap_efficiency * (m - 1) * window_s);
    EXPECT_NEAR(zero2, zero1 + (earlier_s - hidden_s) + overlap_slowdown_seconds(hidden_s, f.sc), 1e-9 * zero2);
  }
}

TEST(ExposedDataParallel, ZeroOneOverlapsBucketByBucketAndAlwaysExposesTheEndBuckets) {
  const Fixture f;
  ParallelPlan p = plan_of(32, 1);
  LayerWork work;
  const StageLayerCosts layers = stage_layer_costs(f.sc, p, &work);
  PipelineStages stages;
  stages.layers = split_layers(32, 4);
  const DataParallelGroups g = data_parallel_groups(p);
  const DataParallelTraffic t = data_parallel_traffic(f.sc, p, g, f.params, 8, 16);
  const double overlapped = exposed_data_parallel_seconds(f.sc, p, g, f.params, t, layers, stages, 16);
  p.dp_overlap = false;
  const double exposed = exposed_data_parallel_seconds(f.sc, p, g, f.params, t, layers, stages, 16);
  // 1e9 parameters in Megatron's 40M-parameter buckets: 25 buckets, each with its own latency; the
  // last reduction and the first gather never hide, and at most all of them stay exposed (plus the
  // SM share of what hid).
  const DataParallelTraffic bucket = data_parallel_piece_traffic(f.sc, p, g, f.params, 25);
  EXPECT_GT(25 * bucket.reduce_s, t.reduce_s);
  EXPECT_GE(overlapped, bucket.reduce_s + bucket.gather_s);
  EXPECT_LT(overlapped, 25 * (bucket.reduce_s + bucket.gather_s));
  EXPECT_GT(exposed, 0);
  // Two chunks (interleaved schedule): the second chunk's reduction runs behind the first chunk's
  // backward, so no more stays exposed than with one.
  p.dp_overlap = true;
  p.vp = 2;
  EXPECT_LE(exposed_data_parallel_seconds(f.sc, p, g, f.params, t, layers, stages, 16), overlapped * 1.000001);
}

TEST(ExposedDataParallel, OverlapIsNeverCostedSlowerThanTheExposedReduction) {
  // 8e9 parameters on one stage (plain 1F1B, one micro-batch per replica): Megatron's default
  // buckets (max(40M, 1M x dp) parameters) each pay a collective's latency, behind a backward that
  // is short on short sequences. The step takes the best bucket size, and no overlap at all if
  // that is better: with the default buckets alone, the short sequences exposed more than the
  // one reduction after the backward.
  const Fixture f;
  StageParameters params;
  params.first = params.largest = 8e9;
  for (const int dp : {8, 32, 128, 1024})
  for (const int seq_len : {256, 4096}) {
    ParallelPlan p = plan_of(dp, 1);
    p.pp = 1;
    p.seq_len = seq_len;
    p.global_batch = dp;
    LayerWork work;
    const StageLayerCosts layers = stage_layer_costs(f.sc, p, &work);
    PipelineStages stages;
    stages.layers = split_layers(32, 1);
    const DataParallelGroups g = data_parallel_groups(p);
    const DataParallelTraffic t = data_parallel_traffic(f.sc, p, g, params, 32, 1);
    p.dp_overlap = true;
    const double overlapped = exposed_data_parallel_seconds(f.sc, p, g, params, t, layers, stages, 1);
    p.dp_overlap = false;
    const double exposed = exposed_data_parallel_seconds(f.sc, p, g, params, t, layers, stages, 1);
    EXPECT_LE(overlapped, exposed) << "dp " << dp << " seq " << seq_len;
    // What cannot hide stays: the first gather of Megatron's smallest bucket at least.
    const int buckets = static_cast<int>(std::ceil(8e9 / megatron_bucket_parameters(g.ranks)));
    EXPECT_GE(overlapped, data_parallel_piece_traffic(f.sc, p, g, params, buckets).gather_s) << "dp " << dp;
  }
}

// ZeRO's reduce-scatter and all-gather run on SHARP where the fabric reduces in its switches: the
// DP communication of a ZeRO-2/3 plan drops; without SHARP it is the non-SHARP collectives' sum.
TEST(DataParallelTraffic, ZeroPlansUseSharpReduceScatterAndAllGather) {
  Fixture f;  // 1,024 GPUs: DP 128 one rail apart spans 128 nodes
  for (int zero : {2, 3}) {
    SCOPED_TRACE(zero);
    ParallelPlan p = plan_of(128, zero);
    p.pp = 1;
    const DataParallelGroups groups = data_parallel_groups(p);
    f.sc.fabric.in_network_reduction = false;
    const DataParallelTraffic plain = data_parallel_traffic(f.sc, p, groups, f.params, 8, 16);
    // Without SHARP: exactly the ring/tree collectives of the DP group (nothing in-network).
    const GroupPlacement dp{128, 8, f.sc.job.gpus};
    const double units = zero == 3 ? 8.0 : 1.0;
    const CollectiveCost rs = collective_cost(f.sc.fabric, f.sc.profile, f.sc.calibration, Collective::reduce_scatter, dp,
                                              f.params.largest * 4.0 / units);  // fp32 gradients
    EXPECT_NE(rs.algorithm, CollectiveAlgorithm::in_network);
    EXPECT_NEAR(plain.reduce_s, rs.seconds * units * 16, 1e-12);  // every micro-batch's gradients (ZeRO-2 and 3)
    f.sc.fabric.in_network_reduction = true;
    const DataParallelTraffic sharp = data_parallel_traffic(f.sc, p, groups, f.params, 8, 16);
    EXPECT_LT(sharp.reduce_s, plain.reduce_s);
    EXPECT_LT(sharp.gather_s, plain.gather_s);
    EXPECT_GT(sharp.reduce_s, 0);
  }
}

}  // namespace trainplan
