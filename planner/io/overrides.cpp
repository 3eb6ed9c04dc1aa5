// `--set scope.path=value` overrides, applied to a description before it is checked.
#include <sstream>

#include "description_loader.hpp"
#include "input_error.hpp"
#include "yaml_fields.hpp"

namespace trainplan {

Override parse_override(const std::string& text) {
  const auto equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size())
    throw InputError("--set " + text, "", "expected key=value, e.g. model.layers=96 or plan.tp=4");
  if (!valid_utf8(text)) throw InputError("--set", "", "not valid UTF-8 text");
  Override o;
  o.text = text;
  o.value = text.substr(equals + 1);
  std::stringstream keys(text.substr(0, equals));
  std::string part;
  while (std::getline(keys, part, '.')) {
    if (part.empty()) throw InputError("--set " + text, "", "empty key in '" + text.substr(0, equals) + "'");
    if (o.scope.empty())
      o.scope = part;
    else
      o.path.push_back(part);
  }
  if (o.path.empty())
    throw InputError("--set " + text, "", "expected scope.key=value (scopes: model, gpu, plan, fabric, economics, calibration)");
  return o;
}

void apply_override(YAML::Node& document, const Override& o) {
  // Fields kept for readers (notes, sources) change nothing the planner computes: a --set of one
  // is refused rather than silently ignored.
  const bool kernel_source = o.scope == "gpu" && o.path.size() > 1 && (o.path[0] == "attention_kernels" || o.path[0] == "host") &&
                             o.path[1] == "provenance";
  if (o.path.back() == "notes" || o.path.back() == "sources" || kernel_source)
    throw InputError("--set " + o.text, o.path.back(), "is documentation only and changes no figure; set a field the planner reads");
  if (!document.IsMap()) throw InputError("--set " + o.text, "", "the " + o.scope + " description is not a mapping");
  YAML::Node node = document;
  for (std::size_t i = 0; i + 1 < o.path.size(); ++i) {
    YAML::Node next = node[o.path[i]];
    if (has_value(next) && !next.IsMap())
      throw InputError("--set " + o.text, o.path[i], "is not a mapping, so it has no field " + o.path[i + 1]);
    if (!has_value(next)) node[o.path[i]] = YAML::Node(YAML::NodeType::Map);
    node.reset(node[o.path[i]]);
  }
  node[o.path.back()] = o.value;
}

}  // namespace trainplan
