#include "bundled_profiles.hpp"

#include <cctype>
#include <vector>

#include "bundled_tree.hpp"  // ---- start-up: the tree parsed at build time ----
#include "embedded_data.hpp"
#include "input_error.hpp"
#include "probe_loader.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

constexpr const char* kFolder = "probes/data/";

std::string lower_alnum(const std::string& text) {
  std::string out;
  for (char c : text)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

YAML::Node bundled_document(const std::string& path) {
  const auto document = bundled_yaml(path, "bundled " + path);  // ---- start-up ----
  if (!document) throw InputError(path, "", "bundled profile missing from this build");
  return *document;
}

// ---- start-up: the fields read to choose a profile, without decoding the whole file ----
YAML::Node bundled_head(const std::string& path) {
  if (auto head = bundled_tree_keys(path, {"matches", "lends_efficiencies", "gpu"})) return *head;
  return bundled_document(path);
}

// `matches: {contains: [...], excludes: [...]}`: the name's lower-cased letters and digits contain
// every word of `contains` and none of `excludes`. A profile without `matches` matches no name.
bool matches(const YAML::Node& profile, const std::string& path, const std::string& gpu_name) {
  const FieldReader top(profile, "bundled " + path);
  const auto rule = top.optional_child("matches");
  if (!rule) return false;
  rule->reject_unknown_keys({"contains", "excludes"});
  const std::string name = lower_alnum(gpu_name);
  const auto words = [&](const char* key) {
    std::vector<std::string> list;
    if (rule->has(key))
      for (const auto& w : rule->node()[key]) list.push_back(lower_alnum(w.as<std::string>()));
    return list;
  };
  const std::vector<std::string> contains = words("contains");
  if (contains.empty()) rule->fail("contains", "expected at least one word a matching GPU name contains");
  for (const std::string& w : contains)
    if (name.find(w) == std::string::npos) return false;
  for (const std::string& w : words("excludes"))
    if (name.find(w) != std::string::npos) return false;
  return true;
}

std::vector<std::string> bundled_profile_paths() {
  std::vector<std::string> paths;
  for (const std::string& stem : embedded_names(kFolder, ".yaml")) paths.push_back(kFolder + stem + ".yaml");
  return paths;
}

PerformanceProfile load_bundled(const std::string& path) {
  return load_profile_document(bundled_document(path), "bundled " + path);  // ---- start-up ----
}

}  // namespace

bool bundled_profile_matches(const std::string& profile_path, const std::string& gpu_name) {
  return matches(bundled_head(profile_path), profile_path, gpu_name);  // ---- start-up ----
}

bool is_h100_sxm_name(const std::string& gpu_name) {
  return bundled_profile_matches("probes/data/h100-sxm-published.yaml", gpu_name);
}

bool is_a100_sxm_name(const std::string& gpu_name) {
  return bundled_profile_matches("probes/data/a100-sxm-published.yaml", gpu_name);
}

PerformanceProfile bundled_profile_for(const std::string& gpu_name) {
  std::string lender;
  for (const std::string& path : bundled_profile_paths()) {
    const YAML::Node head = bundled_head(path);  // ---- start-up: the whole file only for the match ----
    if (matches(head, path, gpu_name)) return load_profile_document(bundled_document(path), "bundled " + path);
    if (FieldReader(head, "bundled " + path).get_bool("lends_efficiencies", false)) lender = path;
  }
  if (lender.empty()) throw InputError(kFolder, "lends_efficiencies", "no bundled profile lends its efficiencies to other GPUs");
  const PerformanceProfile lent = load_bundled(lender);
  const std::string lent_gpu = FieldReader(bundled_head(lender), "bundled " + lender).get_string("gpu", lender);
  PerformanceProfile borrowed;
  borrowed.gemm_bf16_fraction_by_flops = lent.gemm_bf16_fraction_by_flops;
  borrowed.gemm_fp8_fraction_by_flops = lent.gemm_fp8_fraction_by_flops;
  borrowed.gemm_bf16_tile_fixed_k = lent.gemm_bf16_tile_fixed_k;
  borrowed.gemm_fp8_tile_fixed_k = lent.gemm_fp8_tile_fixed_k;
  borrowed.hbm_fraction = lent.hbm_fraction;
  borrowed.sources.push_back("gemm, hbm: assumption: no published profile for '" + gpu_name + "'; the " + lent_gpu +
                             "'s published efficiencies (fractions of peak) are applied to its peaks [bundled " + lender + "]");
  borrowed.sources.push_back("busbw: no curves; nominal link speeds times calibrated efficiencies");
  return borrowed;
}

}  // namespace trainplan
