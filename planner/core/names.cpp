// Names of the enums as the files and the CLI spell them.
#include "planner/core/model_shape.hpp"
#include "planner/core/parallel_plan.hpp"

namespace trainplan {

const char* to_string(MlpKind kind) {
  switch (kind) {
    case MlpKind::gelu: return "gelu";
    case MlpKind::swiglu: return "swiglu";
    case MlpKind::squared_relu: return "squared-relu";
  }
  return "?";
}

const char* to_string(AttentionKind kind) { return kind == AttentionKind::mla ? "mla" : "standard"; }

const char* to_string(Precision p) { return p == Precision::fp8 ? "fp8" : "bf16"; }

const char* to_string(Recompute r) {
  switch (r) {
    case Recompute::none: return "none";
    case Recompute::selective: return "selective";
    case Recompute::full: return "full";
  }
  return "?";
}

const char* to_string(MoeDispatcher d) { return d == MoeDispatcher::hierarchical ? "hierarchical" : "all_to_all"; }

const char* to_string(ExpertGemmLaunch l) { return l == ExpertGemmLaunch::multi_stream ? "multi_stream" : "grouped"; }
const char* to_string(EpOverlapSchedule s) { return s == EpOverlapSchedule::dualpipe ? "dualpipe" : "megatron_1f1b"; }
const char* to_string(Fp8Scaling s) {
  return s == Fp8Scaling::current ? "current" : s == Fp8Scaling::blockwise ? "blockwise" : "delayed";
}

const char* to_string(CrossEntropy c) { return c == CrossEntropy::unfused ? "unfused" : "fused"; }

const char* to_string(AttentionKernel k) {
  switch (k) {
    case AttentionKernel::materialized: return "materialized";
    case AttentionKernel::flash2: return "flash2";
    case AttentionKernel::flash3: return "flash3";
  }
  return "?";
}

}  // namespace trainplan
