// Resolving a preset name or a file path into a parsed document.
#include <filesystem>

#include "bundled_tree.hpp"  // ---- start-up: the tree parsed at build time ----
#include "description_loader.hpp"
#include "embedded_data.hpp"
#include "input_error.hpp"

namespace trainplan {

Document load_document(const std::string& name_or_path, const std::string& folder, const std::string& what) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(name_or_path, ec)) return {load_yaml_file(name_or_path), name_or_path};
  if (auto preset = bundled_yaml(folder + name_or_path + ".yaml", "preset " + name_or_path))  // ---- start-up ----
    return {*preset, "preset " + name_or_path};
  std::string names;
  for (const auto& n : embedded_names(folder, ".yaml")) names += (names.empty() ? "" : ", ") + n;
  throw InputError("--" + what + " " + name_or_path, "",
                   "no such file, and not a bundled preset (presets: " + names + ")");
}

std::vector<std::string> model_preset_names() { return embedded_names("planner/data/models/", ".yaml"); }
std::vector<std::string> gpu_preset_names() { return embedded_names("planner/data/gpus/", ".yaml"); }

}  // namespace trainplan
