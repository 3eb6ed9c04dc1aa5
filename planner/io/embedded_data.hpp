#pragma once
// Bundled data files compiled into the binary (see planner/embed_files.cmake).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace trainplan {

struct EmbeddedFile {
  std::string_view path;  // relative to the source root, e.g. "planner/data/models/llama3-8b.yaml"
  std::string_view text;  // the file's bytes, compiled in (a run copies none of them)
};

const std::vector<EmbeddedFile>& embedded_files();

// The bundled file at this relative path, if any.
std::optional<std::string_view> find_embedded(std::string_view path);
// Names (file stem) of the bundled files under a folder, e.g. "planner/data/models/".
std::vector<std::string> embedded_names(std::string_view folder, std::string_view extension);

}  // namespace trainplan
