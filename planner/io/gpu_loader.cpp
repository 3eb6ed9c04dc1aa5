// GPU descriptions: spec-sheet figures with their provenance.
#include "description_loader.hpp"
#include "input_error.hpp"

namespace trainplan {

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
    g.flash2_fraction_of_peak = kernels->get_number("flash2", Range{0, 1}, 0);
    g.flash3_fraction_of_peak = kernels->get_number("flash3", Range{0, 1}, 0);
    const FieldReader kp = kernels->child("provenance");
    kp.reject_unknown_keys({"kind", "source"});
    kp.get_choice("kind", {"published", "measured", "assumption"});
    kp.get_string("source");
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
