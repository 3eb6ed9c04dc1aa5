// The uncertainty model's distributions: bundled defaults, a user file over them, the flags.
#include "uncertainty_loader.hpp"

#include <algorithm>
#include <cmath>

#include "economics_loader.hpp"
#include "bundled_tree.hpp"  // ---- start-up: the tree parsed at build time ----
#include "embedded_data.hpp"
#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

class Reader {
 public:
  Reader(const std::string& source, const std::map<std::string, std::string>& user_paths)
      : source_(source), user_paths_(user_paths) {}

  [[noreturn]] void fail(const std::string& path, const std::string& expected) const {
    for (const auto& [set_path, what] : user_paths_)
      if (set_path == path || path.rfind(set_path + ".", 0) == 0 || set_path.rfind(path + ".", 0) == 0)
        throw InputError(what, path, expected);
    throw InputError(source_, path, expected);
  }

  double number(const YAML::Node& node, const std::string& path) const {
    if (!has_value(node)) fail(path, "missing: expected a number");
    if (!node.IsScalar()) fail(path, "expected a number");
    try {
      std::size_t used = 0;
      const double v = std::stod(node.Scalar(), &used);
      if (used != node.Scalar().size() || !std::isfinite(v)) fail(path, "expected a number, got '" + node.Scalar() + "'");
      return v;
    } catch (const std::logic_error&) {
      fail(path, "expected a number, got '" + node.Scalar() + "'");
    }
  }

  double multiplier(const YAML::Node& node, const std::string& path) const {
    const double v = number(node, path);
    if (v <= 0) fail(path, "expected a positive multiplier, got " + node.Scalar());
    return v;
  }

  void only(const YAML::Node& map, const std::string& path, std::initializer_list<const char*> allowed) const {
    if (const auto unknown = find_unknown_key(map, allowed)) fail(path.empty() ? unknown->key : path + "." + unknown->key, unknown->expected);
  }

 private:
  std::string source_;
  const std::map<std::string, std::string>& user_paths_;
};

InputDistribution parse_distribution(const Reader& r, const YAML::Node& node, const std::string& path) {
  if (!node.IsDefined()) r.fail(path, "missing: expected a distribution {kind, ...}");
  if (!node.IsMap()) r.fail(path, "expected a mapping {kind, ..., basis, source}");
  InputDistribution d;
  const YAML::Node kind = node["kind"];
  const std::string kind_text = kind.IsScalar() ? kind.Scalar() : "";
  if (!node["source"].IsScalar() || node["source"].Scalar().empty()) r.fail(path + ".source", "missing: where the figures come from");
  d.source = node["source"].Scalar();
  if (node["basis"].IsDefined()) {
    const std::string basis = node["basis"].IsScalar() ? node["basis"].Scalar() : "";
    if (basis != "fitted" && basis != "published" && basis != "assumption" && basis != "user")
      r.fail(path + ".basis", "expected one of: fitted, published, assumption, user");
  }
  if (kind_text == "fixed") {
    r.only(node, path, {"kind", "value", "basis", "source"});
    d.kind = DistributionKind::fixed;
    d.low = d.mode = d.high = r.multiplier(node["value"], path + ".value");
  } else if (kind_text == "uniform" || kind_text == "triangular") {
    const bool triangular = kind_text == "triangular";
    if (triangular)
      r.only(node, path, {"kind", "low", "mode", "high", "basis", "source"});
    else
      r.only(node, path, {"kind", "low", "high", "basis", "source"});
    d.kind = triangular ? DistributionKind::triangular : DistributionKind::uniform;
    d.low = r.multiplier(node["low"], path + ".low");
    d.high = r.multiplier(node["high"], path + ".high");
    d.mode = triangular ? r.multiplier(node["mode"], path + ".mode") : (d.low + d.high) / 2;
    if (!(d.low <= d.mode && d.mode <= d.high)) r.fail(path, "expected low <= mode <= high");
  } else if (kind_text == "empirical") {
    r.only(node, path, {"kind", "values", "basis", "source"});
    d.kind = DistributionKind::empirical;
    const YAML::Node values = node["values"];
    if (!values.IsSequence() || values.size() == 0) r.fail(path + ".values", "expected a non-empty list of positive multipliers");
    for (std::size_t i = 0; i < values.size(); ++i)
      d.values.push_back(r.multiplier(values[i], path + ".values[" + std::to_string(i) + "]"));
    std::sort(d.values.begin(), d.values.end());
    d.low = d.values.front();
    d.high = d.values.back();
    d.mode = d.quantile(0.5);
  } else {
    r.fail(path + ".kind", "expected one of: fixed, uniform, triangular, empirical");
  }
  return d;
}

}  // namespace

UncertaintyModel parse_uncertainty(const YAML::Node& document, const std::string& source,
                                   const std::map<std::string, std::string>& user_paths) {
  const Reader r(source, user_paths);
  if (!document.IsMap()) r.fail("(top level)", "expected a mapping of key: value");
  r.only(document, "", {"samples", "seed", "inputs"});
  UncertaintyModel model;
  const double samples = r.number(document["samples"], "samples");
  if (samples < 1 || samples > 100000 || samples != std::floor(samples)) r.fail("samples", "expected a whole number from 1 to 100000");
  model.samples = static_cast<int>(samples);
  const double seed = r.number(document["seed"], "seed");
  if (seed < 0 || seed != std::floor(seed) || seed > 9.0e15) r.fail("seed", "expected a whole number >= 0");
  model.seed = static_cast<std::uint64_t>(seed);
  const YAML::Node inputs = document["inputs"];
  if (!inputs.IsMap()) r.fail("inputs", "expected a mapping of input name: distribution");
  r.only(inputs, "inputs", {"model_error_dense", "model_error_moe", "routing_efficiency", "failure_rate", "restart_time",
                            "checkpoint_bandwidth", "gpu_price", "rent_price", "calibration", "moe_imbalance"});
  for (int i = 0; i < uncertain_input_count; ++i) {
    const std::string name = to_string(static_cast<UncertainInput>(i));
    model.inputs[i] = parse_distribution(r, inputs[name], "inputs." + name);
  }
  return model;
}

LoadedUncertainty load_uncertainty(const UncertaintyFlags& flags) {
  // ---- start-up: ranges off and no file or seed of the user's to check: nothing to read ----
  if (flags.samples == "0" && flags.file.empty() && flags.seed.empty()) {
    LoadedUncertainty off;
    off.source = "bundled uncertainty";
    off.enabled = false;
    return off;
  }
  const auto bundled = bundled_yaml(bundled_uncertainty_path, "bundled uncertainty");  // ---- start-up ----
  if (!bundled) throw InputError(bundled_uncertainty_path, "", "not compiled into this binary (rebuild trainplan)");
  YAML::Node document = *bundled;
  std::map<std::string, std::string> user_paths;
  LoadedUncertainty loaded;
  loaded.source = "bundled uncertainty";
  if (!flags.file.empty()) {
    const YAML::Node top = load_yaml_file(flags.file);
    if (!top.IsMap()) throw InputError(flags.file, "(top level)", "expected a mapping of key: value");
    // A distribution the user names replaces the bundled one whole (its kind and figures go together).
    if (top["inputs"].IsMap())
      for (const auto& entry : top["inputs"])
        if (entry.first.IsScalar() && document["inputs"][entry.first.Scalar()].IsDefined()) document["inputs"].remove(entry.first.Scalar());
    merge_yaml(document, top, flags.file, user_paths);
    loaded.source += " + " + flags.file;
  }
  if (!flags.samples.empty()) {
    if (flags.samples == "0") {
      loaded.enabled = false;
    } else {
      document["samples"] = flags.samples;
      user_paths["samples"] = "--uncertainty-samples";
    }
  }
  if (!flags.seed.empty()) {
    document["seed"] = flags.seed;
    user_paths["seed"] = "--uncertainty-seed";
  }
  loaded.model = parse_uncertainty(document, loaded.source, user_paths);
  return loaded;
}

}  // namespace trainplan
