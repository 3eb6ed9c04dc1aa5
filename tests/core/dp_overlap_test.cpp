#include <gtest/gtest.h>

#include "planner/core/step/dp_overlap.hpp"

namespace trainplan {

namespace {
DataParallelOverlapInputs plain_1f1b() {
  DataParallelOverlapInputs in;
  in.chunks = 1;
  in.group_microbatches = 8;
  in.buckets_per_chunk = 10;
  in.chunk_forward_s = 1.0;
  in.chunk_backward_s = 2.0;
  in.bucket_reduce_s = 0.1;
  in.bucket_gather_s = 0.05;
  return in;
}
}  // namespace

TEST(DataParallelOverlap, Plain1F1BExposesOnlyTheLastBucketWhenTheBackwardIsLongEnough) {
  const DataParallelOverlap o = overlap_data_parallel(plain_1f1b());
  // Buckets become ready every 0.2 s and take 0.1 s: each finishes before the next is ready.
  EXPECT_NEAR(o.reduce_exposed_s, 0.1, 1e-12);
  // The first bucket's gather is always waited for; the rest hide behind the forward.
  EXPECT_NEAR(o.gather_exposed_s, 0.05, 1e-12);
  EXPECT_NEAR(o.hidden_s, 10 * 0.1 + 10 * 0.05 - 0.1 - 0.05, 1e-12);
}

TEST(DataParallelOverlap, AReductionLongerThanTheBackwardSpillsPastIt) {
  DataParallelOverlapInputs in = plain_1f1b();
  in.bucket_reduce_s = 0.5;  // 5 s of reduction, the last bucket ready at 0, the first at -1.8 s
  const DataParallelOverlap o = overlap_data_parallel(in);
  EXPECT_NEAR(o.reduce_exposed_s, 5.0 - 1.8, 1e-12);
  in.chunk_backward_s = 0;   // nothing to hide behind: all exposed
  in.chunk_forward_s = 0;
  const DataParallelOverlap none = overlap_data_parallel(in);
  EXPECT_NEAR(none.reduce_exposed_s, 5.0, 1e-12);
  EXPECT_NEAR(none.gather_exposed_s, 0.5, 1e-12);
  EXPECT_NEAR(none.hidden_s, 0.0, 1e-12);
}

TEST(DataParallelOverlap, InterleavingHidesEveryChunkButTheFirstBehindTheChunksStillRunning) {
  // The same stage and the same total reduction, in 1 chunk or 4: the interleaved schedule's
  // earlier chunks reduce while later groups of micro-batches run their backward.
  DataParallelOverlapInputs plain = plain_1f1b();
  plain.bucket_reduce_s = 0.4;  // 4 s of reduction behind a 2 s backward
  DataParallelOverlapInputs interleaved = plain;
  interleaved.chunks = 4;
  interleaved.chunk_forward_s = plain.chunk_forward_s / 4;
  interleaved.chunk_backward_s = plain.chunk_backward_s / 4;
  interleaved.bucket_reduce_s = plain.bucket_reduce_s / 4;
  interleaved.bucket_gather_s = plain.bucket_gather_s / 4;
  const DataParallelOverlap a = overlap_data_parallel(plain);
  const DataParallelOverlap b = overlap_data_parallel(interleaved);
  EXPECT_GT(a.reduce_exposed_s, 2.0);
  EXPECT_LT(b.reduce_exposed_s, 0.5 * a.reduce_exposed_s);
  // What cannot hide: the first chunk's last bucket.
  EXPECT_GE(b.reduce_exposed_s, interleaved.bucket_reduce_s - 1e-12);
}

TEST(DataParallelOverlap, MegatronBucketsGrowWithTheDataParallelSize) {
  EXPECT_DOUBLE_EQ(megatron_bucket_parameters(8), 40e6);
  EXPECT_DOUBLE_EQ(megatron_bucket_parameters(1024), 1024e6);
}

}  // namespace trainplan
