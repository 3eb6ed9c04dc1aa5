#include "gemm_shapes.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>

#include "planner/core/layer_work.hpp"

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
    if (existing.m == c.m && existing.n == c.n && existing.k == c.k) return;
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
  const LayerWork layer = dense_layer_work(model, plan);
  const HeadWork head = head_work(model, plan);
  const std::pair<const char*, const GemmShape*> forward[] = {
      {"qkv", &layer.qkv}, {"out_proj", &layer.out_proj}, {"mlp_up", &layer.mlp_up},
      {"mlp_down", &layer.mlp_down}, {"logits", &head.logits}};
  std::vector<GemmCase> cases;
  for (const auto& [name, shape] : forward) {
    const auto m = static_cast<std::int64_t>(std::llround(shape->m));
    const auto n = static_cast<std::int64_t>(std::llround(shape->n));
    const auto k = static_cast<std::int64_t>(std::llround(shape->k));
    if (m <= 0 || n <= 0 || k <= 0) continue;
    // Backward of Y = X W: dX = dY W^T is (m, k, n); dW = X^T dY is (k, n, m).
    add_unique(cases, {std::string(name) + ".fwd", m, n, k});
    add_unique(cases, {std::string(name) + ".dgrad", m, k, n});
    add_unique(cases, {std::string(name) + ".wgrad", k, n, m});
  }
  return cases;
}

}  // namespace trainplan::probe
