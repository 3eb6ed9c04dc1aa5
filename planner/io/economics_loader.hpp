#pragma once
// Loads the failure, checkpoint, cost and energy settings: the bundled planner/data/economics.yaml,
// optionally a user file laid over it (only the keys it names), then `--set economics.KEY=VALUE`
// overrides. Every field is checked (unknown keys, bad values: InputError naming file and field), and
// every number keeps where it came from.
#include <map>
#include <string>
#include <vector>

#include "description_loader.hpp"
#include "planner/core/economics/cost_energy.hpp"
#include "planner/core/provenance.hpp"

namespace trainplan {

struct LoadedEconomics {
  EconomicsModel model;
  // Dotted field path ("failures.per_gpu_day") -> where its number came from: published / assumption
  // from the bundled file, `user` with the file or flag that set it.
  std::map<std::string, Provenance> provenance;
  std::string failure_rate_name;  // the published rate chosen ("llama3"), empty for a number
  std::string source;             // "bundled economics" or "bundled economics + FILE"
};

// Where the bundled defaults live (compiled into the binary).
inline constexpr const char* bundled_economics_path = "planner/data/economics.yaml";

// `user_file` empty: the bundled defaults alone. Overrides of other scopes are ignored. An override
// whose text starts with "--" (built from a dedicated flag, e.g. "--restart-minutes 20") is named by
// that text in errors and provenance; others as "--set TEXT".
LoadedEconomics load_economics(const std::string& user_file, const std::vector<Override>& overrides);

// Checks a complete document (the bundled one with anything laid over it) and turns it into structs.
// `user_paths`: dotted paths that a user set, and by what (for provenance of plain numbers).
LoadedEconomics parse_economics(const YAML::Node& document, const std::string& source,
                                const std::map<std::string, std::string>& user_paths = {});

// Lays `top` over `base`: mappings merge key by key, anything else replaces. Records the dotted
// paths that `top` set into `set_paths` (value: `what`).
void merge_yaml(YAML::Node& base, const YAML::Node& top, const std::string& what,
                std::map<std::string, std::string>& set_paths, const std::string& prefix = "");

}  // namespace trainplan
