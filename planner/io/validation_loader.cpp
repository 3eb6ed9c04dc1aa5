#include "validation_loader.hpp"

#include <algorithm>

#include "description_loader.hpp"
#include "bundled_tree.hpp"  // ---- start-up ----
#include "embedded_data.hpp"
#include "input_error.hpp"
#include "planner/core/calibration.hpp"
#include "scenario_defaults.hpp"

namespace trainplan {

namespace {

// A copy of `base` with the keys of `top` laid over it (one level deep).
YAML::Node merged(const YAML::Node& base, const YAML::Node& top) {
  YAML::Node out = base.IsMap() ? YAML::Clone(base) : YAML::Node(YAML::NodeType::Map);
  if (top.IsMap())
    for (const auto& entry : top) out[entry.first.Scalar()] = YAML::Clone(entry.second);
  return out;
}

YAML::Node optional_map(const FieldReader& f, const char* key) {
  if (!f.has(key)) return YAML::Node(YAML::NodeType::Map);
  return f.child(key).node();
}

// The preset or file a field names; an unknown name is an error naming this file and field.
Document document_named(const FieldReader& f, const char* key, const std::string& folder) {
  const std::string name = f.get_string(key);
  try {
    return load_document(name, folder, key);
  } catch (const InputError& e) {
    f.fail(key, "'" + name + "' is neither a bundled preset nor a file (" + e.what() + ")");
  }
}

ValidationMetric parse_metric(const FieldReader& f) {
  const std::string metric = f.get_choice(
      "metric", {"step_time_s", "tflops_per_gpu_with_recompute", "tflops_per_gpu", "gpu_hours_per_trillion_tokens",
                 "tokens_per_second_per_gpu", "memory_per_gpu_gib"});
  if (metric == "step_time_s") return ValidationMetric::step_time_s;
  if (metric == "tflops_per_gpu") return ValidationMetric::tflops_per_gpu;
  if (metric == "gpu_hours_per_trillion_tokens") return ValidationMetric::gpu_hours_per_trillion_tokens;
  if (metric == "tokens_per_second_per_gpu") return ValidationMetric::tokens_per_second_per_gpu;
  if (metric == "memory_per_gpu_gib") return ValidationMetric::memory_per_gpu_gib;
  return ValidationMetric::tflops_per_gpu_with_recompute;
}

ModelShape model_for(const FieldReader& group, const FieldReader& row, const std::string& where) {
  YAML::Node node;
  std::string preset;
  if (row.has("model_preset")) preset = row.get_string("model_preset");
  else if (group.has("model_preset")) preset = group.get_string("model_preset");
  if (!preset.empty()) {
    node = document_named(row.has("model_preset") ? row : group, "model_preset", "planner/data/models/").node;
  } else {
    node = merged(optional_map(group, "model"), optional_map(row, "model"));
    if (!node["name"].IsDefined()) node["name"] = where;
  }
  return parse_model(node, where);
}

// The group's GPU: its preset or file, with the fields `gpu_fields` sets laid over it (a run on a
// variant of a bundled GPU, e.g. the 96 GB H100 of a host whose source says so), checked as
// `--set gpu.<field>=<value>` would be.
GpuSpec gpu_for(const FieldReader& group) {
  Document doc = document_named(group, "gpu", "planner/data/gpus/");
  std::vector<Override> overrides;
  if (group.has("gpu_fields")) {
    const FieldReader fields = group.child("gpu_fields");
    if (!fields.node().IsMap()) group.fail("gpu_fields", "expected a mapping of GPU fields (e.g. {hbm_gib: 96})");
    for (const auto& entry : fields.node()) {
      const std::string key = entry.first.Scalar();
      Override o = parse_override("gpu." + key + "=" + fields.get_string(key));
      o.origin = fields.source() + ": " + fields.field(key);
      apply_override(doc.node, o);
      overrides.push_back(std::move(o));
    }
  }
  return naming_overrides(overrides, "gpu", [&] { return parse_gpu(doc.node, group.get_string("gpu")); });
}

Fabric fabric_for(const FieldReader& group, const TrainingJob& job, const GpuSpec& gpu) {
  std::vector<Override> overrides;
  if (group.has("fabric")) {
    const FieldReader fabric = group.child("fabric");
    for (const auto& entry : fabric.node()) {
      const std::string key = entry.first.Scalar();
      overrides.push_back(parse_override("fabric." + key + "=" + fabric.get_string(key)));
    }
  }
  return load_fabric_for(group.get_string("topology", ""), job, gpu, overrides);
}

// The plans an "auto" knob stands for: micro-batch 1, 2, 4 or 8; vp 1 (plain 1F1B) or any divisor of
// the layers per pipeline stage (the interleaved schedule), where pp > 1; recomputation none, or
// full for 1..all of a stage's layers (Megatron's block method).
std::vector<ParallelPlan> auto_candidates(const ParallelPlan& base, const ModelShape& model, bool micro_batch, bool vp,
                                          bool recompute) {
  std::vector<ParallelPlan> plans;
  if (!micro_batch && !vp && !recompute) return plans;
  const int layers_per_stage = (model.layers + base.pp - 1) / base.pp;
  std::vector<std::pair<Recompute, int>> recompute_modes{{base.recompute, base.recompute_layers}};
  if (recompute) {
    recompute_modes = {{Recompute::none, 0}};
    for (int k = 1; k <= layers_per_stage; ++k) recompute_modes.emplace_back(Recompute::full, k);
  }
  std::vector<int> micro_batches = micro_batch ? std::vector<int>{1, 2, 4, 8} : std::vector<int>{base.micro_batch};
  std::vector<int> virtual_stages{base.vp};
  if (vp && base.pp > 1) {
    // The plain 1F1B schedule too: the interleaved one needs the micro-batches to divide by pp.
    virtual_stages = {1};
    for (int v = 2; v <= layers_per_stage; ++v)
      if (layers_per_stage % v == 0) virtual_stages.push_back(v);
  }
  for (int mb : micro_batches)
    for (int v : virtual_stages)
      for (const auto& [mode, layers] : recompute_modes) {
        ParallelPlan p = base;
        p.micro_batch = mb;
        p.vp = v;
        p.recompute = mode;
        p.recompute_layers = layers;
        plans.push_back(p);
      }
  return plans;
}

// How many plans auto_candidates returns, without building them.
constexpr std::int64_t kMostAutoCandidates = 10'000;
std::int64_t auto_candidate_count(const ParallelPlan& base, const ModelShape& model, bool micro_batch, bool vp, bool recompute) {
  if (!micro_batch && !vp && !recompute) return 0;
  const std::int64_t layers_per_stage = (model.layers + base.pp - 1) / std::max(1, base.pp);
  std::int64_t virtual_stages = 1;
  if (vp && base.pp > 1)
    for (std::int64_t v = 2; v <= layers_per_stage; ++v) virtual_stages += layers_per_stage % v == 0 ? 1 : 0;
  return (micro_batch ? 4 : 1) * virtual_stages * (recompute ? layers_per_stage + 1 : 1);
}

}  // namespace

namespace {
ValidationSet validation_set_of(const YAML::Node& document, const std::string& source);
}  // namespace

ValidationSet load_validation_set(const std::string& text, const std::string& source) {
  return validation_set_of(parse_yaml_text(text, source), source);
}

namespace {
// ---- start-up: the set from a parsed document (the bundled sets come from their compiled-in trees) ----
ValidationSet validation_set_of(const YAML::Node& document, const std::string& source) {
  const FieldReader top(document, source);
  top.reject_unknown_keys({"groups", "parameter_counts"});
  ValidationSet set;
  const YAML::Node groups = top.node()["groups"];
  if (!groups.IsDefined() || !groups.IsSequence()) top.fail("groups", "expected a list of validation groups");
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const FieldReader g(groups[gi], source, "groups[" + std::to_string(gi) + "]");
    g.reject_unknown_keys({"name", "source", "metric", "gpu", "gpu_fields", "fabric", "topology", "assumptions", "model",
                           "model_preset", "plan", "modes", "cases"});
    ValidationGroupInfo info{g.get_string("name"), g.get_string("source"), {}};
    if (g.has("assumptions")) {
      const YAML::Node assumptions = g.node()["assumptions"];
      if (!assumptions.IsSequence()) g.fail("assumptions", "expected a list of sentences");
      for (std::size_t i = 0; i < assumptions.size(); ++i) {
        if (!assumptions[i].IsScalar()) g.fail("assumptions[" + std::to_string(i) + "]", "expected a sentence");
        info.assumptions.push_back(assumptions[i].Scalar());
      }
    }
    const ValidationMetric metric = parse_metric(g);
    const GpuSpec gpu = gpu_for(g);
    const YAML::Node rows = g.node()["cases"];
    if (!rows.IsDefined() || !rows.IsSequence()) g.fail("cases", "expected a list of cases");
    // Without modes each case is one row; with modes each case gives one row per mode.
    std::vector<std::pair<std::string, YAML::Node>> modes;
    if (g.has("modes"))
      for (const auto& m : g.child("modes").node()) {
        if (!m.second.IsMap()) g.fail("modes." + m.first.Scalar(), "expected a mapping of plan fields");
        modes.emplace_back(m.first.Scalar(), m.second);
      }
    else
      modes.emplace_back("", YAML::Node(YAML::NodeType::Map));
    for (std::size_t ri = 0; ri < rows.size(); ++ri) {
      const FieldReader row(rows[ri], source, g.field("cases[" + std::to_string(ri) + "]"));
      row.reject_unknown_keys({"name", "model", "model_preset", "plan", "published"});
      for (const auto& [mode, mode_plan] : modes) {
        ValidationCase c;
        c.group = info.name;
        c.source = info.source;
        c.metric = metric;
        c.name = row.get_string("name") + (mode.empty() ? "" : "-" + mode);
        c.published = mode.empty() ? row.get_positive("published") : row.child("published").get_positive(mode);
        c.scenario.model = model_for(g, row, source + ": " + info.name + "/" + c.name);
        c.scenario.gpu = gpu;
        YAML::Node plan = merged(merged(optional_map(g, "plan"), mode_plan), optional_map(row, "plan"));
        const auto is_auto = [&](const char* key) { return plan[key].IsScalar() && plan[key].Scalar() == "auto"; };
        const bool auto_micro_batch = is_auto("micro_batch");
        const bool auto_vp = is_auto("vp");
        const bool auto_recompute = is_auto("recompute");
        if (auto_recompute) plan["recompute"] = "none";
        if (auto_micro_batch) plan["micro_batch"] = 1;
        if (auto_vp) plan["vp"] = 1;
        parse_plan(FieldReader(plan, source, row.field("plan")), c.plan, c.scenario.job);
        // Each candidate is evaluated: bounded before any is built.
        const std::int64_t candidates = auto_candidate_count(c.plan, c.scenario.model, auto_micro_batch, auto_vp, auto_recompute);
        if (candidates > kMostAutoCandidates)
          row.fail("plan", "its auto knobs stand for " + std::to_string(candidates) + " plans, more than the limit of " +
                               std::to_string(kMostAutoCandidates) + " (fix micro_batch, vp or recompute, or raise pp)");
        // A memory figure belongs to one stated recipe: no fastest-that-fits choice stands in for it.
        if (is_memory_metric(metric) && (auto_micro_batch || auto_vp || auto_recompute))
          row.fail("plan", "a memory_per_gpu_gib row states its recipe: micro_batch, vp and recompute cannot be 'auto'");
        c.candidates = auto_candidates(c.plan, c.scenario.model, auto_micro_batch, auto_vp, auto_recompute);
        c.scenario.fabric = fabric_for(g, c.scenario.job, gpu);
        c.scenario.profile = load_profile_for(gpu, {});
        c.scenario.calibration = default_calibration();
        set.cases.push_back(std::move(c));
      }
    }
    set.groups.push_back(std::move(info));
  }
  if (top.has("parameter_counts")) {
    const YAML::Node counts = top.node()["parameter_counts"];
    if (!counts.IsSequence()) top.fail("parameter_counts", "expected a list of parameter-count rows");
    for (std::size_t i = 0; i < counts.size(); ++i) {
      const FieldReader row(counts[i], source, "parameter_counts[" + std::to_string(i) + "]");
      row.reject_unknown_keys({"name", "model_preset", "published", "published_active", "active_convention", "source"});
      ValidationCase c;
      c.group = "parameter-counts";
      c.name = row.get_string("name");
      c.source = row.get_string("source");
      c.metric = ValidationMetric::params_total;
      c.published = row.get_positive("published");
      c.scenario.model = parse_model(document_named(row, "model_preset", "planner/data/models/").node, c.name);
      if (row.has("published_active")) {
        ValidationCase active = c;
        active.name += "-active";
        active.metric = ValidationMetric::params_active;
        active.published = row.get_positive("published_active");
        active.active_without_input_embedding =
            row.get_choice("active_convention", {"with_input_embedding", "without_input_embedding"}, "with_input_embedding") ==
            "without_input_embedding";
        set.cases.push_back(std::move(c));
        set.cases.push_back(std::move(active));
      } else {
        set.cases.push_back(std::move(c));
      }
    }
  }
  return set;
}

ValidationSet bundled_set(const char* path) {
  const auto document = bundled_yaml(path, path);  // ---- start-up: the tree parsed at build time ----
  if (!document) throw InputError(path, "", "not bundled in this build");
  return validation_set_of(*document, path);
}
}  // namespace

ValidationSet bundled_validation_set() { return bundled_set("planner/data/validation.yaml"); }
ValidationSet bundled_calibration_set() { return bundled_set("planner/data/calibration.yaml"); }
ValidationSet bundled_memory_validation_set() { return bundled_set("planner/data/memory_validation.yaml"); }

}  // namespace trainplan
