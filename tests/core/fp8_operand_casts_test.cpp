// fp8 operand casts per layer as Transformer Engine's modules run them (fp8_operand_casts.hpp), and
// the split accumulator of the backward GEMMs (fp8_split_accumulator.hpp).
#include "planner/core/model/fp8_operand_casts.hpp"

#include <gtest/gtest.h>

#include "planner/core/model/fp8_split_accumulator.hpp"
#include "planner/core/model/layer_time.hpp"
#include "test_models.hpp"

namespace trainplan {

namespace {
ParallelPlan fp8_tp_plan(int tp, bool sequence_parallel, bool tp_overlap) {
  ParallelPlan p;
  p.precision = Precision::fp8;
  p.tp = tp;
  p.sequence_parallel = sequence_parallel;
  p.tp_overlap = tp_overlap;
  return p;
}
}  // namespace

TEST(Fp8OperandCasts, AnInputNoNormWritesIsCastAndTransposedInOneKernel) {
  LayerWork w;
  w.out_proj = {1000, 2000, 3000, 1};
  const Fp8CastBytes c = fp8_operand_cast_bytes(w, fp8_tp_plan(1, false, false));
  EXPECT_DOUBLE_EQ(c.forward_bytes, 4.0 * 1000 * 3000);   // read bf16, write fp8 and its transpose
  EXPECT_DOUBLE_EQ(c.backward_bytes, 4.0 * 1000 * 2000);  // the output gradient likewise
  EXPECT_DOUBLE_EQ(c.forward_kernels, 1.0);
  EXPECT_DOUBLE_EQ(c.backward_kernels, 1.0);
}

TEST(Fp8OperandCasts, TheNormFusedInputIsWrittenInFp8AndOnlyTransposedInBackward) {
  LayerWork w;
  w.qkv = {1000, 2000, 3000, 1};
  w.mlp_up = {1000, 4000, 3000, 1};
  // Sequence parallelism: the norm writes its 1/tp of the rows in fp8 (1 byte less than the bf16
  // its traffic counts); backward transposes the gathered fp8 input (2 bytes per element).
  const Fp8CastBytes c = fp8_operand_cast_bytes(w, fp8_tp_plan(4, true, true));
  EXPECT_DOUBLE_EQ(c.forward_bytes, -1.0 * 1000 * 3000 / 4.0 * 2.0);
  EXPECT_DOUBLE_EQ(c.backward_bytes, 2.0 * 1000 * 3000 * 2.0 + 4.0 * 1000 * (2000 + 4000));
  EXPECT_DOUBLE_EQ(c.forward_kernels, 0.0);
  EXPECT_DOUBLE_EQ(c.backward_kernels, 4.0);  // two transposes, two gradient cast-transposes
  // Without sequence parallelism the norm writes every row.
  EXPECT_DOUBLE_EQ(fp8_operand_cast_bytes(w, fp8_tp_plan(4, false, false)).forward_bytes, -1.0 * 1000 * 3000 * 2.0);
}

TEST(Fp8OperandCasts, OnAnMoeLayerTheRoutedExpertsInputsComeFromTheDispatcherNotANorm) {
  LayerWork w;
  w.router = {1000, 8, 3000, 1};
  w.mlp_up = {500, 4000, 3000, 4};  // four local experts of 500 tokens
  w.mlp_down = {500, 3000, 2000, 4};
  const Fp8CastBytes c = fp8_operand_cast_bytes(w, fp8_tp_plan(4, true, true));
  EXPECT_DOUBLE_EQ(c.forward_bytes, 4.0 * 500 * 4 * (3000 + 2000));
  // The experts' down-projection gradient is not gathered by sequence parallelism.
  EXPECT_DOUBLE_EQ(c.backward_bytes, 4.0 * 500 * 4 * (4000 + 3000));
  EXPECT_DOUBLE_EQ(c.forward_kernels, 2.0);
}

TEST(Fp8OperandCasts, ARowParallelGradientIsCastOnItsShardGatheredInFp8ThenTransposed) {
  LayerWork w;
  w.mlp_down = {1000, 3000, 2000, 1};  // dense MLP's down projection, row-parallel
  const double grads = 1000.0 * 3000;
  EXPECT_DOUBLE_EQ(fp8_operand_cast_bytes(w, fp8_tp_plan(4, true, true)).backward_bytes, (3.0 / 4.0 + 2.0) * grads);
  // Without TP overlap TE gathers in bf16 and casts, then transposes, the gathered tensor.
  EXPECT_DOUBLE_EQ(fp8_operand_cast_bytes(w, fp8_tp_plan(4, true, false)).backward_bytes, 5.0 * grads);
  // No sequence parallelism: nothing is gathered, one cast-transpose.
  EXPECT_DOUBLE_EQ(fp8_operand_cast_bytes(w, fp8_tp_plan(4, false, false)).backward_bytes, 4.0 * grads);
}

TEST(Fp8OperandCasts, AWholeLayerStillAddsTrafficInEachPass) {
  // The fused norms' saving never outweighs the layer's other casts: both passes add bytes.
  const ModelShape m = testing::llama3_8b();
  for (const bool sp : {false, true}) {
    const ParallelPlan p = fp8_tp_plan(4, sp, sp);
    const Fp8CastBytes c = fp8_operand_cast_bytes(dense_layer_work(m, p), p);
    EXPECT_GT(c.forward_bytes, 0.0);
    EXPECT_GT(c.backward_bytes, c.forward_bytes);
    EXPECT_DOUBLE_EQ(c.forward_kernels, 2.0);  // output projection and MLP down; QKV and MLP up ride on the norms
  }
}

TEST(Fp8OperandCasts, CurrentScalingReadsEachTensorOnceMoreForItsAmaxAndTheNormWritesBf16) {
  LayerWork w;
  w.qkv = {1000, 2000, 3000, 1};      // norm-fused, column-parallel
  w.out_proj = {1000, 3000, 2000, 1};  // cast-transposed input, row-parallel gradient
  ParallelPlan delayed = fp8_tp_plan(4, true, true);
  ParallelPlan current = delayed;
  current.fp8_scaling = Fp8Scaling::current;
  const Fp8CastBytes d = fp8_operand_cast_bytes(w, delayed), c = fp8_operand_cast_bytes(w, current);
  // Forward: the norm's 1/4 of the rows are written in bf16 and cast (read 2, write 1) where delayed
  // scaling's norm wrote fp8 (1 byte saved); the output projection's input is read once more (2 bytes).
  EXPECT_DOUBLE_EQ(c.forward_bytes - d.forward_bytes, (3.0 + 1.0) * 1000 * 3000 / 4.0 + 2.0 * 1000 * 2000);
  // Backward: the amax read of the output projection's gradient shard (1/4: cast before the fp8
  // all-gather) and of the QKV gradient (whole).
  EXPECT_DOUBLE_EQ(c.backward_bytes - d.backward_bytes, 2.0 * 1000 * 3000 / 4.0 + 2.0 * 1000 * 2000);
  // Two more kernels per cast (amax, scale); the norm's cast adds scale and cast.
  EXPECT_DOUBLE_EQ(c.forward_kernels - d.forward_kernels, 2.0 + 2.0);
  EXPECT_DOUBLE_EQ(c.backward_kernels - d.backward_kernels, 2.0 + 2.0);
  // Under sequence parallelism the column-parallel input's and the row-parallel gradient's amaxes are
  // all-reduced over the TP group; not under delayed scaling, nor without sequence parallelism.
  EXPECT_EQ(c.tp_amax_reductions_forward, 1);
  EXPECT_EQ(c.tp_amax_reductions_backward, 1);
  EXPECT_EQ(d.tp_amax_reductions_forward + d.tp_amax_reductions_backward, 0);
  ParallelPlan no_sp = current;
  no_sp.sequence_parallel = false;
  const Fp8CastBytes n = fp8_operand_cast_bytes(w, no_sp);
  EXPECT_EQ(n.tp_amax_reductions_forward + n.tp_amax_reductions_backward, 0);
}

TEST(Fp8OperandCasts, UnderCurrentScalingTheSharedExpertsGatheredInputAndGradientEachTakeATpAmaxReduction) {
  LayerWork w;
  w.router = {1000, 8, 3000, 1};
  w.mlp_up = {500, 4000, 3000, 4};       // routed experts: tokens from the dispatcher, not gathered
  w.mlp_down = {500, 3000, 2000, 4};
  w.shared_up = {1000, 2000, 3000, 1};    // column-parallel: input all-gathered under SP
  w.shared_down = {1000, 3000, 1000, 1};  // row-parallel: output gradient all-gathered under SP
  ParallelPlan current = fp8_tp_plan(4, true, true);
  current.fp8_scaling = Fp8Scaling::current;
  const Fp8CastBytes c = fp8_operand_cast_bytes(w, current);
  EXPECT_EQ(c.tp_amax_reductions_forward, 1);   // the shared expert's up-projection input
  EXPECT_EQ(c.tp_amax_reductions_backward, 1);  // the shared expert's down-projection gradient
  ParallelPlan no_sp = current;
  no_sp.sequence_parallel = false;
  const Fp8CastBytes n = fp8_operand_cast_bytes(w, no_sp);
  EXPECT_EQ(n.tp_amax_reductions_forward + n.tp_amax_reductions_backward, 0);
}

TEST(Fp8OperandCasts, CurrentScalingMakesAnFp8LayerSlowerAndItsTpAmaxReductionsAreCharged) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  ParallelPlan delayed = fp8_tp_plan(8, true, false);
  delayed.dp = 1;
  delayed.seq_len = 8192;
  delayed.global_batch = 8;
  ParallelPlan current = delayed;
  current.fp8_scaling = Fp8Scaling::current;
  const LayerWork w = dense_layer_work(sc.model, delayed);
  const LayerTime d = layer_time(w, sc, delayed), c = layer_time(w, sc, current);
  EXPECT_GT(c.forward_compute_s, d.forward_compute_s);
  EXPECT_GT(c.backward_compute_s, d.backward_compute_s);
  EXPECT_GT(c.tp_comm_s, d.tp_comm_s);  // 2 forward + 2 backward small all-reduces over 8 GPUs
  EXPECT_LT(c.total_s(), 1.15 * d.total_s());  // a few percent of the layer, not more
}

TEST(Fp8SplitAccumulator, OnlyPerTensorFp8RecipesOnFp8TensorCoresPayIt) {
  const Scenario sc = testing::scenario(testing::llama3_8b(), 8);
  ParallelPlan p;
  EXPECT_DOUBLE_EQ(fp8_backward_gemm_slowdown(p, sc.gpu), 1.0);  // bf16
  p.precision = Precision::fp8;
  EXPECT_DOUBLE_EQ(fp8_backward_gemm_slowdown(p, sc.gpu), kFp8SplitAccumulatorSlowdown);  // delayed
  p.fp8_scaling = Fp8Scaling::current;
  EXPECT_DOUBLE_EQ(fp8_backward_gemm_slowdown(p, sc.gpu), kFp8SplitAccumulatorSlowdown);
  p.fp8_scaling = Fp8Scaling::blockwise;
  EXPECT_DOUBLE_EQ(fp8_backward_gemm_slowdown(p, sc.gpu), 1.0);
  p.fp8_scaling = Fp8Scaling::delayed;
  GpuSpec no_fp8 = sc.gpu;
  no_fp8.fp8_dense_tflops = 0;
  EXPECT_DOUBLE_EQ(fp8_backward_gemm_slowdown(p, no_fp8), 1.0);
  // The published fast-accumulation gain is 1.1x-1.2x (the torchao maintainers, pytorch/ao): inside it.
  EXPECT_GE(kFp8SplitAccumulatorSlowdown, 1.1);
  EXPECT_LE(kFp8SplitAccumulatorSlowdown, 1.2);
}

}  // namespace trainplan
