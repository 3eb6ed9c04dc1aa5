// A run over calendar time (training_schedule.hpp): the closed cases, ramps, idle phases and solving.
#include "planner/core/calendar/training_schedule.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "test_models.hpp"

namespace trainplan {

namespace {

constexpr double kDay = 86400.0;

// A speed proportional to the GPU count: `per_gpu` tokens per second per GPU, whatever the batch.
RateAt linear_rate(double per_gpu) {
  return [per_gpu](int gpus, std::int64_t batch) {
    Rate r;
    r.found = gpus > 0;
    r.tokens_per_second = per_gpu * gpus;
    r.plan.plan.seq_len = 1000;
    r.plan.plan.global_batch = batch;
    return r;
  };
}

TrainingSchedule phases(std::initializer_list<std::pair<int, int>> day_gpus, std::int64_t batch = 1000) {
  TrainingSchedule s;
  for (const auto& [day, gpus] : day_gpus) s.phases.push_back({day, gpus, 0, ""});
  s.batch_ramp = {{0.0, batch}};
  s.granularity_gpus = 1;
  return s;
}

// The real model: Llama 3 8B, tp 1, pp 1, dp = the GPUs, 2 sequences per GPU and step.
RateAt evaluate_rate() {
  return [](int gpus, std::int64_t batch) {
    const Scenario sc = testing::scenario(testing::llama3_8b(), gpus);
    ParallelPlan p;
    p.tp = 1;
    p.pp = 1;
    p.micro_batch = 1;
    p.global_batch = batch;
    p.seq_len = 4096;
    p.zero_stage = 1;
    p.recompute = Recompute::full;
    Rate r;
    r.plan = evaluate(sc, p);
    r.found = r.plan.valid && r.plan.fits_in_memory;
    r.tokens_per_second = r.plan.tokens_per_second;
    return r;
  };
}

}  // namespace

TEST(TrainingSchedule, OnePhaseEqualsTodaysPlan) {
  const RateAt rate = evaluate_rate();
  const Rate at64 = rate(64, 128);
  ASSERT_TRUE(at64.found);
  const double tokens = 1e12;
  // Today's plan: evaluate's time-to-train for the same scenario and plan.
  ASSERT_GT(at64.plan.time_to_train_days, 0);
  const CalendarResult r = run_calendar(phases({{0, 64}}, 128), tokens, BatchEfficiency{}, rate);
  ASSERT_TRUE(r.finished) << r.problem;
  EXPECT_NEAR(r.finish_day, at64.plan.time_to_train_days, 1e-9 * at64.plan.time_to_train_days);
  ASSERT_EQ(r.segments.size(), 1u);
  EXPECT_EQ(r.segments[0].gpus_used, 64);
  EXPECT_DOUBLE_EQ(r.tokens_by_day.back().tokens, tokens);
}

TEST(TrainingSchedule, TwoEqualPhasesAtHalfTheGpusGiveTheExpectedSum) {
  // N/2 GPUs from day 0, N/2 more from day d: tokens(d) = rate(N/2) d; the rest at rate(N).
  const RateAt rate = evaluate_rate();
  const double tokens = 1e12;
  const Rate half = rate(32, 128), full = rate(64, 128);
  ASSERT_TRUE(half.found && full.found);
  const int d = 20;
  const double by_d = half.tokens_per_second * kDay * d;
  ASSERT_LT(by_d, tokens);
  const double expected = d + (tokens - by_d) / (full.tokens_per_second * kDay);
  const CalendarResult r = run_calendar(phases({{0, 32}, {d, 32}}, 128), tokens, BatchEfficiency{}, rate);
  ASSERT_TRUE(r.finished) << r.problem;
  EXPECT_NEAR(r.finish_day, expected, 1e-9 * expected);
  ASSERT_EQ(r.segments.size(), 2u);
  EXPECT_EQ(r.segments[0].gpus_used, 32);
  EXPECT_EQ(r.segments[1].gpus_used, 64);
  EXPECT_NEAR(r.segments[0].tokens_end, by_d, 1e-6 * by_d);
  // With a speed proportional to the GPUs the sum is (T/r + N/2 d) / N: here d + (T - 4 r d) / (8 r)
  // at r tokens/s/GPU per day, 4 and 8 GPUs.
  const CalendarResult lin = run_calendar(phases({{0, 4}, {10, 4}}), 100 * kDay, BatchEfficiency{}, linear_rate(1.0));
  ASSERT_TRUE(lin.finished);
  EXPECT_NEAR(lin.finish_day, 10 + (100.0 - 40.0) / 8.0, 1e-12);
  // If the run ends before the second phase arrives, the second phase never counts.
  const CalendarResult early = run_calendar(phases({{0, 4}, {30, 4}}), 100 * kDay, BatchEfficiency{}, linear_rate(1.0));
  EXPECT_NEAR(early.finish_day, 25.0, 1e-12);
}

TEST(TrainingSchedule, BatchRampChangesTheBatchAtItsTokenCountAndTheLawWeighsIt) {
  TrainingSchedule s = phases({{0, 8}});
  s.batch_ramp = {{0.0, 500}, {200.0 * kDay, 1000}};  // half the batch for the first 200 day-GPU-tokens
  BatchLaw law;
  law.kind = BatchLawKind::mccandlish;
  law.critical_batch_tokens = 1e6;  // = the reference batch of 1,000 x 1,000 tokens
  const BatchEfficiency e = resolve_batch_efficiency(law, 0, 1e6);
  const double target = 800 * kDay;
  const CalendarResult r = run_calendar(s, target, e, linear_rate(10.0));  // 80 x kDay tokens a day
  ASSERT_TRUE(r.finished);
  ASSERT_EQ(r.segments.size(), 2u);
  EXPECT_EQ(r.segments[0].global_batch, 500);
  EXPECT_EQ(r.segments[1].global_batch, 1000);
  EXPECT_NEAR(r.segments[0].tokens_end, 200 * kDay, 1e-6);
  EXPECT_NEAR(r.segments[0].efficiency, 4.0 / 3.0, 1e-12);
  // The first 200 tokens count 4/3: 266.7 reference tokens; the rest at 1: 533.3 more.
  EXPECT_NEAR(r.tokens_by_day.back().tokens, (200 + 800 - 200 * 4.0 / 3.0) * kDay, 1e-9 * target);
  EXPECT_NEAR(r.finish_day, (200 + 800 - 200 * 4.0 / 3.0) / 80.0, 1e-9);
  // Without the law the ramp changes nothing at a batch-independent speed.
  const CalendarResult off = run_calendar(s, target, BatchEfficiency{}, linear_rate(10.0));
  EXPECT_NEAR(off.finish_day, 10.0, 1e-9);
}

TEST(TrainingSchedule, IdleUntilAPlanFitsAndNoFinishWhenNothingEverFits) {
  const RateAt needs_16 = [](int gpus, std::int64_t) {
    Rate r;
    r.found = gpus >= 16;
    r.tokens_per_second = gpus;
    r.plan.plan.seq_len = 1;
    return r;
  };
  const CalendarResult r = run_calendar(phases({{0, 8}, {5, 8}}), 160 * kDay, BatchEfficiency{}, needs_16);
  ASSERT_TRUE(r.finished);
  EXPECT_NEAR(r.finish_day, 15.0, 1e-12);
  EXPECT_EQ(r.segments[0].gpus_used, 0);
  const CalendarResult never = run_calendar(phases({{0, 8}}), 1e12, BatchEfficiency{}, needs_16);
  EXPECT_FALSE(never.finished);
  EXPECT_NE(never.problem.find("no plan fits on 8 GPUs"), std::string::npos);
}

TEST(TrainingSchedule, APhaseThatWouldBeSlowerKeepsTheEarlierCount) {
  // 24 GPUs has no good layout here: half the speed of 16.
  const RateAt rate = [](int gpus, std::int64_t) {
    Rate r;
    r.found = true;
    r.tokens_per_second = gpus == 24 ? 8 : gpus;
    r.plan.plan.seq_len = 1;
    return r;
  };
  const CalendarResult r = run_calendar(phases({{0, 16}, {1, 8}}), 32 * kDay, BatchEfficiency{}, rate);
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.segments.back().gpus_used, 16);
  EXPECT_NEAR(r.finish_day, 2.0, 1e-12);
}

TEST(TrainingSchedule, WithFailuresEachStretchRunsAtItsGoodput) {
  // Goodput 0.5 on 4 GPUs, 0.8 on 8: 4 x 0.5 = 2 a day for 10 days, then 8 x 0.8 = 6.4 a day.
  const RateAt rate = [](int gpus, std::int64_t batch) {
    Rate r = linear_rate(1.0)(gpus, batch);
    r.goodput = gpus == 4 ? 0.5 : 0.8;
    return r;
  };
  const TrainingSchedule s = phases({{0, 4}, {10, 4}});
  EXPECT_NEAR(run_calendar(s, 100 * kDay, BatchEfficiency{}, rate).finish_day, 10 + 60.0 / 8, 1e-9);
  const CalendarResult r = run_calendar(s, 100 * kDay, BatchEfficiency{}, rate, true);
  EXPECT_NEAR(r.finish_day, 10 + 80.0 / 6.4, 1e-9);
  EXPECT_DOUBLE_EQ(r.segments[1].goodput, 0.8);
}

TEST(TrainingSchedule, SparesAndShrinkRoundDownToTheGranularity) {
  TrainingSchedule s = phases({{0, 25000}, {10, 25000}});
  s.phases[0].spare_gpus = 424;
  s.phases[1].spare_gpus = 424;
  s.granularity_gpus = 1024;
  EXPECT_EQ(usable_gpus(s, 0), 24576);
  EXPECT_EQ(usable_gpus(s, 1), 49152);
  s.elastic_shrink = 0.02;  // 48,169.0 in service -> 47 pods
  EXPECT_EQ(usable_gpus(s, 1), 47 * 1024);
}

TEST(TrainingSchedule, TokensByWholeDayInterpolateInsideStretches) {
  const CalendarResult r = run_calendar(phases({{0, 4}, {2, 4}}), 20 * kDay, BatchEfficiency{}, linear_rate(1.0));
  // 4 kDay a day for two days, then 8: 8 by day 2, 20 at day 3.5.
  ASSERT_TRUE(r.finished);
  EXPECT_NEAR(r.finish_day, 3.5, 1e-12);
  const std::vector<CalendarPoint> daily = tokens_by_whole_day(r);
  ASSERT_EQ(daily.size(), 4u);
  EXPECT_NEAR(daily[0].tokens, 4 * kDay, 1e-6);
  EXPECT_NEAR(daily[1].tokens, 8 * kDay, 1e-6);
  EXPECT_NEAR(daily[2].tokens, 16 * kDay, 1e-6);
  EXPECT_NEAR(daily[3].tokens, 20 * kDay, 1e-6);
}

TEST(TrainingSchedule, FewestGpusAndLatestArrivalMatchTheClosedForm) {
  // 4 GPUs from day 0, a second phase on day 10; 100 GPU-days of work at 1 token/s/GPU.
  const TrainingSchedule s = phases({{0, 4}, {10, 4}});
  const double target = 100 * kDay;
  // Finish by day 15 (end of day 14 = 15.0): 40 done by day 10, 60 left in 5 days -> 12 GPUs -> 8 more.
  GpuGrid grid;
  grid.step = 4;
  grid.max_gpus = 64;
  EXPECT_EQ(fewest_phase_gpus(s, 1, grid, target, BatchEfficiency{}, linear_rate(1.0), 15.0), 8);
  EXPECT_EQ(fewest_phase_gpus(s, 1, grid, target, BatchEfficiency{}, linear_rate(1.0), 14.0), 12);  // 60/4 = 15 more per day
  // The latest day the second 4 GPUs may arrive to finish by day 20: 4 d + 8 (20 - d) >= 100 -> d <= 15.
  EXPECT_EQ(latest_arrival_day(s, 1, 1, 19, target, BatchEfficiency{}, linear_rate(1.0), 20.0), 15);
  EXPECT_EQ(latest_arrival_day(s, 1, 1, 19, target, BatchEfficiency{}, linear_rate(1.0), 12.0), -1);
}

}  // namespace trainplan
