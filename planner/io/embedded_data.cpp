#include "embedded_data.hpp"

#include <algorithm>

namespace trainplan {

std::optional<std::string_view> find_embedded(std::string_view path) {
  for (const auto& file : embedded_files())
    if (file.path == path) return std::string_view(file.text);
  return std::nullopt;
}

std::vector<std::string> embedded_names(std::string_view folder, std::string_view extension) {
  std::vector<std::string> names;
  for (const auto& file : embedded_files()) {
    std::string_view path = file.path;
    if (path.substr(0, folder.size()) != folder) continue;
    std::string_view rest = path.substr(folder.size());
    if (rest.find('/') != std::string_view::npos) continue;
    if (rest.size() <= extension.size() || rest.substr(rest.size() - extension.size()) != extension) continue;
    names.emplace_back(rest.substr(0, rest.size() - extension.size()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace trainplan
