// GPU descriptions: spec-sheet figures with their provenance.
#include "description_loader.hpp"
#include "input_error.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <utility>
#include <vector>

namespace trainplan {

namespace {

// One kernel of attention_kernels: a fraction of the bf16 peak for every shape, or published curves
// `causal_head_dim_<d>` / `full_head_dim_<d>`, each a mapping of keys per query (the sequence
// length of a benchmark) to forward + backward TFLOP/s, read as fractions of `bf16_tflops`.
AttentionKernelFigures parse_attention_kernel(const FieldReader& kernels, const std::string& key, double bf16_tflops) {
  AttentionKernelFigures figures;
  if (!kernels.has(key)) return figures;
  const YAML::Node node = kernels.node()[key];
  if (!node.IsMap()) {
    figures.fraction = kernels.get_number(key, Range{0, 1}, 0);
    return figures;
  }
  const FieldReader curves = kernels.child(key);
  const std::string expected_name = "causal_head_dim_<d> or full_head_dim_<d> (d a head dimension from 1 to 1024)";
  for (const auto& entry : node) {
    const std::string name = entry.first.Scalar();
    AttentionCurve curve;
    std::string dim_text;
    if (name.rfind("causal_head_dim_", 0) == 0) {
      curve.causal = true;
      dim_text = name.substr(16);
    } else if (name.rfind("full_head_dim_", 0) == 0) {
      curve.causal = false;
      dim_text = name.substr(14);
    } else {
      curves.fail(name, "a curve named " + expected_name);
    }
    const bool digits = !dim_text.empty() && dim_text.size() <= 4 && dim_text.find_first_not_of("0123456789") == std::string::npos;
    curve.head_dim = digits ? std::stoi(dim_text) : 0;
    if (curve.head_dim < 1 || curve.head_dim > 1024) curves.fail(name, "a curve named " + expected_name);
    if (!entry.second.IsMap() || entry.second.size() == 0)
      curves.fail(name, "a mapping of keys per query (a sequence length) to forward + backward TFLOP/s, e.g. {2048: 265, 4096: 294}");
    const FieldReader points = curves.child(name);
    std::vector<std::pair<double, double>> by_keys;
    for (const auto& point : entry.second) {
      const std::string keys_text = point.first.Scalar();
      const std::optional<double> keys = parse_count(keys_text);
      if (!keys || !(*keys >= 1) || !(*keys <= 1e9) || *keys != std::floor(*keys))
        points.fail(keys_text, "a whole number of keys from 1 to 1,000,000,000 as the key");
      const double tflops = points.get_number(keys_text, Range{0, bf16_tflops});
      if (!(tflops > 0)) points.fail(keys_text, "TFLOP/s above 0 and at most the bf16 dense peak (" + range_text(Range{0, bf16_tflops}) + ")");
      by_keys.emplace_back(*keys, tflops / bf16_tflops);
    }
    std::sort(by_keys.begin(), by_keys.end());
    std::vector<double> sizes, values;
    for (const auto& [k, v] : by_keys) {
      if (!sizes.empty() && k == sizes.back()) points.fail(std::to_string(static_cast<long long>(k)), "each length once");
      sizes.push_back(k);
      values.push_back(v);
    }
    curve.fraction_by_keys = SizeCurve(std::move(sizes), std::move(values));
    for (const AttentionCurve& other : figures.curves)
      if (other.causal == curve.causal && other.head_dim == curve.head_dim) curves.fail(name, "each mask and head dimension once");
    figures.curves.push_back(std::move(curve));
  }
  if (figures.curves.empty()) kernels.fail(key, "a fraction of the bf16 peak, or curves named " + expected_name);
  return figures;
}

}  // namespace

GpuSpec parse_gpu(const YAML::Node& node, const std::string& source) {
  const FieldReader f(node, source);
  f.reject_unknown_keys({"name", "provenance", "bf16_dense_tflops", "fp8_dense_tflops", "hbm_gib", "hbm_tb_s",
                         "nvlink_gb_s_per_direction", "tdp_w", "streaming_multiprocessors", "nvlink_domain_gpus", "attention_kernels",
                         "host", "notes"});
  GpuSpec g;
  g.name = f.get_string("name");
  g.bf16_dense_tflops = f.get_number("bf16_dense_tflops", limits::tflops);
  g.fp8_dense_tflops = f.get_number("fp8_dense_tflops", limits::fp8_tflops, 0);
  if (g.fp8_dense_tflops > 0 && g.fp8_dense_tflops < limits::tflops.min)
    f.fail("fp8_dense_tflops", "expected 0 (no fp8) or a number from " + range_text(limits::tflops) + ", got '" +
                                   node["fp8_dense_tflops"].Scalar() + "'");
  g.hbm_gib = f.get_number("hbm_gib", limits::hbm_gib);
  g.hbm_tb_s = f.get_number("hbm_tb_s", limits::hbm_tb_s);
  g.nvlink_gb_s_per_direction = f.get_number("nvlink_gb_s_per_direction", limits::nvlink_gb_s, 0);
  g.tdp_w = f.get_number("tdp_w", limits::tdp_w);
  g.streaming_multiprocessors = f.get_int("streaming_multiprocessors", limits::streaming_multiprocessors, 0);
  g.nvlink_domain_gpus = f.get_int("nvlink_domain_gpus", Range{0, limits::gpus_per_node.max}, 0);
  if (g.nvlink_domain_gpus > 0 && !limits::is_domain_size(g.nvlink_domain_gpus))
    f.fail("nvlink_domain_gpus", "expected 0 (not stated), 1, 2 or a multiple of 4 GPUs (72 for GB200 NVL72), got " +
                                     std::to_string(g.nvlink_domain_gpus));
  if (const auto kernels = f.optional_child("attention_kernels")) {
    kernels->reject_unknown_keys({"flash2", "flash3", "provenance"});
    g.flash2 = parse_attention_kernel(*kernels, "flash2", g.bf16_dense_tflops);
    g.flash3 = parse_attention_kernel(*kernels, "flash3", g.bf16_dense_tflops);
    const FieldReader kp = kernels->child("provenance");
    kp.reject_unknown_keys({"kind", "source"});
    g.attention_provenance.kind = kp.get_choice("kind", {"published", "measured", "assumption"});
    g.attention_provenance.source = kp.get_string("source");
  }
  // The host memory activations can be offloaded to, and the link to it, with their own provenance.
  if (const auto host = f.optional_child("host")) {
    host->reject_unknown_keys({"link_gb_s_per_direction", "memory_gib", "provenance"});
    g.host_link_gb_s_per_direction = host->get_number("link_gb_s_per_direction", limits::host_link_gb_s);
    g.host_memory_gib = host->get_number("memory_gib", limits::host_memory_gib);
    const FieldReader hp = host->child("provenance");
    hp.reject_unknown_keys({"kind", "source"});
    hp.get_choice("kind", {"published", "measured", "assumption"});
    hp.get_string("source");
  }
  const FieldReader p = f.child("provenance");
  p.reject_unknown_keys({"kind", "source"});
  g.provenance.kind = p.get_choice("kind", {"published", "measured", "assumption"});
  g.provenance.source = p.get_string("source");
  return g;
}

GpuSpec load_gpu(const std::string& name_or_path, const std::vector<Override>& overrides) {
  Document doc = load_document(name_or_path, "planner/data/gpus/", "gpu");
  for (const auto& o : overrides)
    if (o.scope == "gpu") apply_override(doc.node, o);
  return naming_overrides(overrides, "gpu", [&] { return parse_gpu(doc.node, doc.source); });
}

}  // namespace trainplan
