// The trees compiled in at build time (planner/io/bundled_tree.hpp) are the bundled YAML files as
// parse_yaml_text reads them: same node kinds, same scalars, same keys in the same order.
#include <gtest/gtest.h>

#include <string>

#include "planner/io/bundled_tree.hpp"
#include "planner/io/embedded_data.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {
namespace {

// Empty when equal, else the path of the first difference.
std::string first_difference(const YAML::Node& a, const YAML::Node& b, const std::string& path) {
  const std::string where = path.empty() ? "(top level)" : path;
  if (a.Type() != b.Type()) return where + ": node kinds differ";
  if (a.IsScalar()) return a.Scalar() == b.Scalar() ? "" : where + ": '" + a.Scalar() + "' vs '" + b.Scalar() + "'";
  if (a.size() != b.size()) return where + ": sizes differ";
  if (a.IsSequence()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string d = first_difference(a[i], b[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (a.IsMap()) {
    auto ia = a.begin();
    auto ib = b.begin();
    for (; ia != a.end(); ++ia, ++ib) {
      const std::string key = ia->first.Scalar();
      if (ib->first.Scalar() != key) return where + ": key '" + key + "' vs '" + ib->first.Scalar() + "'";
      const std::string d = first_difference(ia->second, ib->second, path.empty() ? key : path + "." + key);
      if (!d.empty()) return d;
    }
  }
  return "";
}

TEST(BundledTree, EveryBundledYamlFileHasATreeEqualToItsParsedText) {
  int compared = 0;
  for (const EmbeddedFile& file : embedded_files()) {
    if (file.path.size() < 5 || file.path.substr(file.path.size() - 5) != ".yaml") continue;
    const auto tree = bundled_tree(file.path);
    ASSERT_TRUE(tree.has_value()) << file.path << ": no compiled-in tree";
    EXPECT_EQ(first_difference(parse_yaml_text(std::string(file.text), std::string(file.path)), *tree, ""), "") << file.path;
    ++compared;
  }
  EXPECT_GE(compared, 20);  // models, GPUs, topologies, economics, uncertainty, validation, profiles
}

TEST(BundledTree, EachCallGivesAFreshDocumentTheCallerMayChange) {
  YAML::Node first = *bundled_tree("planner/data/economics.yaml");
  first["cost"]["gpu_usd"] = "1";
  first.remove("energy");
  const YAML::Node second = *bundled_tree("planner/data/economics.yaml");
  EXPECT_TRUE(second["energy"].IsDefined());
  EXPECT_TRUE(second["cost"]["gpu_usd"].IsMap());  // {value, kind, source}, not the "1" written above
}

TEST(BundledTree, AFileThatIsNotBundledHasNone) {
  EXPECT_FALSE(bundled_tree("planner/data/models/no-such-model.yaml").has_value());
  EXPECT_FALSE(bundled_yaml("planner/data/models/no-such-model.yaml", "preset no-such-model").has_value());
}

}  // namespace
}  // namespace trainplan
