#include "bundled_tree.hpp"

#include <algorithm>
#include <stdexcept>

#include "embedded_data.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

namespace {

// Reads the encoding written by planner/tools/bundled_tree_generator.cpp. The nodes are created
// through operator[] of their parent, so the whole document shares one node memory (no merges).
class TreeDecoder {
 public:
  TreeDecoder(const char* begin, std::size_t size) : p_(begin), end_(begin + size) {}

  void fill(YAML::Node target) {
    const char tag = next();
    if (tag == '~') {
      target = YAML::Null;
    } else if (tag == 's') {
      target = text();
    } else if (tag == 'S') {
      const std::size_t n = count();
      if (n == 0) target = YAML::Node(YAML::NodeType::Sequence);
      for (std::size_t i = 0; i < n; ++i) fill(target[i]);
    } else if (tag == 'M') {
      const std::size_t n = count();
      if (n == 0) target = YAML::Node(YAML::NodeType::Map);
      // The key as a node: the lookup operator[] makes before inserting compares nodes, not a
      // copy of each earlier key's text (keys are unique: check_document ran on the file).
      for (std::size_t i = 0; i < n; ++i) fill(target[YAML::Node(text())]);
    } else {
      throw std::logic_error("bundled tree: bad encoding");
    }
  }

  // A top-level mapping with only these keys decoded; the other values are stepped over.
  void fill_keys(YAML::Node target, std::initializer_list<std::string_view> keys) {
    if (next() != 'M') throw std::logic_error("bundled tree: not a mapping");
    const std::size_t n = count();
    for (std::size_t i = 0; i < n; ++i) {
      const std::string key = text();
      if (std::find(keys.begin(), keys.end(), key) != keys.end())
        fill(target[key]);
      else
        skip();
    }
  }

  bool done() const { return p_ == end_; }

 private:
  char next() {
    if (p_ == end_) throw std::logic_error("bundled tree: truncated");
    return *p_++;
  }
  std::size_t count() {
    std::size_t n = 0;
    for (char c = next(); c != ':'; c = next()) {
      if (c < '0' || c > '9') throw std::logic_error("bundled tree: bad count");
      n = n * 10 + static_cast<std::size_t>(c - '0');
    }
    return n;
  }
  void skip() {
    const char tag = next();
    if (tag == '~') return;
    if (tag == 's') {
      const std::size_t n = count();
      if (static_cast<std::size_t>(end_ - p_) < n) throw std::logic_error("bundled tree: truncated");
      p_ += n;
      return;
    }
    if (tag != 'S' && tag != 'M') throw std::logic_error("bundled tree: bad encoding");
    const std::size_t n = count();
    for (std::size_t i = 0; i < n; ++i) {
      if (tag == 'M') text();
      skip();
    }
  }
  std::string text() {
    const std::size_t n = count();
    if (static_cast<std::size_t>(end_ - p_) < n) throw std::logic_error("bundled tree: truncated");
    std::string s(p_, n);
    p_ += n;
    return s;
  }

  const char* p_;
  const char* end_;
};

}  // namespace

std::optional<YAML::Node> bundled_tree(std::string_view path) {
  for (const EncodedTree& tree : encoded_trees()) {
    if (path != tree.path) continue;
    YAML::Node document(YAML::NodeType::Null);  // exists, so fill() fills it through its copies
    TreeDecoder decoder(tree.encoded, tree.size);
    decoder.fill(document);
    if (!decoder.done()) throw std::logic_error("bundled tree: trailing bytes");
    return document;
  }
  return std::nullopt;
}

std::optional<YAML::Node> bundled_tree_keys(std::string_view path, std::initializer_list<std::string_view> keys) {
  for (const EncodedTree& tree : encoded_trees()) {
    if (path != tree.path) continue;
    YAML::Node document(YAML::NodeType::Map);
    TreeDecoder decoder(tree.encoded, tree.size);
    decoder.fill_keys(document, keys);
    if (!decoder.done()) throw std::logic_error("bundled tree: trailing bytes");
    return document;
  }
  return std::nullopt;
}

std::optional<YAML::Node> bundled_yaml(const std::string& path, const std::string& source) {
  if (auto tree = bundled_tree(path)) return tree;
  if (const auto text = find_embedded(path)) return parse_yaml_text(std::string(*text), source);
  return std::nullopt;
}

}  // namespace trainplan
