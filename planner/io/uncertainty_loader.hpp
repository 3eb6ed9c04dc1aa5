#pragma once
// Loads the uncertainty model's input distributions: the bundled planner/data/uncertainty.yaml,
// optionally a user file laid over it (only the keys it names), then the sample count and seed flags.
// Every field is checked; errors name the file (or flag) that set the field, the field and what was
// expected.
#include <map>
#include <string>

#include <yaml-cpp/yaml.h>

#include "planner/core/economics/uncertainty.hpp"

namespace trainplan {

inline constexpr const char* bundled_uncertainty_path = "planner/data/uncertainty.yaml";

struct UncertaintyFlags {
  std::string file;     // --uncertainty FILE ("" none)
  std::string samples;  // --uncertainty-samples N ("" not given; 0 turns the ranges off)
  std::string seed;     // --uncertainty-seed N
};

struct LoadedUncertainty {
  UncertaintyModel model;
  bool enabled = true;  // false: --uncertainty-samples 0
  std::string source;   // "bundled uncertainty" or "bundled uncertainty + FILE"
};

LoadedUncertainty load_uncertainty(const UncertaintyFlags& flags);

// Checks a complete document and turns it into the model. `user_file`: the file laid over the bundled
// one ("" none); `user_paths`: dotted paths it set (errors on them name it).
UncertaintyModel parse_uncertainty(const YAML::Node& document, const std::string& source,
                                   const std::map<std::string, std::string>& user_paths = {});

}  // namespace trainplan
