#pragma once
// The bundled YAML files as parsed trees: the build parses each one (planner/tools/
// bundled_tree_generator.cpp, with parse_yaml_text) and compiles in the tree, so a run decodes the
// files it needs instead of scanning their text with yaml-cpp (most of a plan's start-up time).
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace trainplan {

struct EncodedTree {
  const char* path;     // relative to the source root, e.g. "planner/data/economics.yaml"
  const char* encoded;  // the tree, in the encoding of bundled_tree_generator.cpp
  std::size_t size;
};

// Every tree the build wrote (generated source).
std::span<const EncodedTree> encoded_trees();

// A fresh YAML::Node of the bundled file at this path (the caller may change it), or nullopt when
// the build wrote no tree for it (not bundled, or a file the reader rejected).
std::optional<YAML::Node> bundled_tree(std::string_view path);

// Only these top-level keys of the bundled mapping at this path (the rest is not decoded), for a
// caller that reads a few fields of many files; nullopt as bundled_tree.
std::optional<YAML::Node> bundled_tree_keys(std::string_view path, std::initializer_list<std::string_view> keys);

// The bundled file's document: its tree, else its bundled text parsed by parse_yaml_text (naming
// `source` in any error); nullopt when the file is not bundled at all.
std::optional<YAML::Node> bundled_yaml(const std::string& path, const std::string& source);

}  // namespace trainplan
