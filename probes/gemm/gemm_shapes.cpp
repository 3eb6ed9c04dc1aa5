#include "gemm_shapes.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <stdexcept>

#include "planner/core/model/layer_work.hpp"
#include "planner/core/model/moe_layer.hpp"
#include "planner/core/plan_check.hpp"

namespace trainplan::probe {

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::stringstream stream(text);
  std::string part;
  while (std::getline(stream, part, separator))
    if (!part.empty()) parts.push_back(part);
  return parts;
}

std::int64_t dimension(const std::string& text, const std::string& context) {
  std::size_t used = 0;
  long long value = 0;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || value <= 0)
    throw std::invalid_argument(context + ": expected a positive whole number, got '" + text + "'");
  return value;
}

std::string shape_name(std::int64_t m, std::int64_t n, std::int64_t k) {
  return std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
}

void add_unique(std::vector<GemmCase>& cases, GemmCase c) {
  for (const auto& existing : cases)
    if (existing.m == c.m && existing.n == c.n && existing.k == c.k && existing.layout == c.layout) return;
  cases.push_back(std::move(c));
}

}  // namespace

std::vector<GemmCase> parse_shape_list(const std::string& text) {
  std::vector<GemmCase> cases;
  for (const auto& item : split(text, ',')) {
    const auto dims = split(item, 'x');
    if (dims.size() != 3) throw std::invalid_argument("--shapes: expected MxNxK, got '" + item + "'");
    const auto m = dimension(dims[0], "--shapes " + item), n = dimension(dims[1], "--shapes " + item),
               k = dimension(dims[2], "--shapes " + item);
    add_unique(cases, {shape_name(m, n, k), m, n, k});
  }
  if (cases.empty()) throw std::invalid_argument("--shapes: expected at least one MxNxK");
  return cases;
}

std::vector<GemmCase> parse_shape_grid(const std::string& text) {
  std::vector<std::int64_t> axes[3];
  for (const auto& part : split(text, ';')) {
    const auto equals = part.find('=');
    const std::string axis = equals == std::string::npos ? "" : part.substr(0, equals);
    const int index = axis == "m" ? 0 : axis == "n" ? 1 : axis == "k" ? 2 : -1;
    if (index < 0) throw std::invalid_argument("--grid: expected m=...;n=...;k=..., got '" + part + "'");
    for (const auto& value : split(part.substr(equals + 1), ','))
      axes[index].push_back(dimension(value, "--grid " + axis));
  }
  for (int i = 0; i < 3; ++i)
    if (axes[i].empty()) throw std::invalid_argument(std::string("--grid: no values for ") + "mnk"[i]);
  std::vector<GemmCase> cases;
  for (auto m : axes[0])
    for (auto n : axes[1])
      for (auto k : axes[2]) add_unique(cases, {shape_name(m, n, k), m, n, k});
  return cases;
}

std::vector<GemmCase> model_gemm_cases(const ModelShape& model, const ParallelPlan& plan) {
  std::vector<GemmCase> cases;
  auto add = [&](const std::string& name, const GemmShape& shape) {
    const auto m = static_cast<std::int64_t>(std::llround(shape.m));
    const auto n = static_cast<std::int64_t>(std::llround(shape.n));
    const auto k = static_cast<std::int64_t>(std::llround(shape.k));
    if (m <= 0 || n <= 0 || k <= 0) return;  // absent in this model (no MLA, no shared experts, ...)
    const auto per_layer = std::max<std::int64_t>(1, std::llround(shape.batch));
    // Backward of Y = X W: dX = dY W^T is (m, k, n); dW = X^T dY is (k, n, m).
    add_unique(cases, {name + ".fwd", m, n, k, per_layer});
    add_unique(cases, {name + ".dgrad", m, k, n, per_layer, "NN"});
    add_unique(cases, {name + ".wgrad", k, n, m, per_layer, "NT"});
  };
  auto add_attention = [&](const LayerWork& w) {
    add("qkv", w.qkv);
    add("mla_down", w.mla_down);
    add("mla_kv_up", w.mla_kv_up);
    add("out_proj", w.out_proj);
  };
  if (model.is_moe()) {
    const LayerWork moe = moe_layer_work(model, plan);
    add_attention(moe);
    add("router", moe.router);
    add("expert_up", moe.mlp_up);
    add("expert_down", moe.mlp_down);
    add("shared_up", moe.shared_up);
    add("shared_down", moe.shared_down);
    if (model.dense_layers() > 0) {
      const LayerWork dense = dense_layer_work(model, plan);
      add("mlp_up", dense.mlp_up);
      add("mlp_down", dense.mlp_down);
    }
  } else {
    const LayerWork dense = dense_layer_work(model, plan);
    add_attention(dense);
    add("mlp_up", dense.mlp_up);
    add("mlp_down", dense.mlp_down);
  }
  add("logits", head_work(model, plan).logits);
  return cases;
}

std::vector<std::string> gemm_plan_problems(const ModelShape& model, const ParallelPlan& plan) {
  // A whole job around the plan's shape-deciding parts: one pipeline stage, and just enough data
  // parallelism for the experts' expert_tp x ep to tile it.
  ParallelPlan job = plan;
  job.pp = 1;
  job.vp = 1;
  job.uneven_pipeline = true;
  job.precision = Precision::bf16;
  const int expert_ranks = std::max(1, job.routed_expert_tp()) * std::max(1, job.ep);
  job.dp = model.is_moe() ? expert_ranks : 1;
  job.global_batch = static_cast<std::int64_t>(job.dp) * std::max(1, job.micro_batch);
  const long long gpus = 1LL * std::max(1, job.tp) * std::max(1, job.cp) * job.dp;
  if (gpus > std::numeric_limits<int>::max()) return {"tp x cp x ep is too large"};
  return check_plan(model, GpuSpec{}, static_cast<int>(gpus), job);
}

}  // namespace trainplan::probe
