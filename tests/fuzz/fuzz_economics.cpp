// Economics YAML laid over the bundled settings, as --economics FILE is.
#include "fuzz_common.hpp"
#include "planner/io/economics_loader.hpp"
#include "planner/io/embedded_data.hpp"

TRAINPLAN_FUZZ_TARGET({
  static const std::string bundled(*trainplan::find_embedded(trainplan::bundled_economics_path));
  YAML::Node document = trainplan::parse_yaml_text(bundled, "bundled");
  const YAML::Node top = trainplan::parse_yaml_text(text, "fuzz");
  if (!top.IsMap()) return 0;
  std::map<std::string, std::string> user_paths;
  trainplan::merge_yaml(document, top, "fuzz", user_paths);
  (void)trainplan::parse_economics(document, "fuzz", user_paths);
})
