#include "yaml_fields.hpp"

#include <cmath>
#include <fstream>
#include <sstream>

#include "input_error.hpp"

namespace trainplan {

YAML::Node parse_yaml_text(const std::string& text, const std::string& source) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(source, "", "not valid YAML/JSON at line " + std::to_string(e.mark.line + 1) +
                                     ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the file (does it exist and is it readable?)");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

YAML::Node load_yaml_file(const std::string& path) { return parse_yaml_text(read_text_file(path), path); }

std::optional<double> parse_count(const std::string& raw) {
  std::string text;
  for (char c : raw)
    if (c != '_' && c != ',') text += c;
  if (text.empty()) return std::nullopt;
  double scale = 1;
  // Binary suffixes (Ki, Mi, Gi, Ti: powers of 1024) before decimal ones (K, M, B or G, T).
  const bool binary = text.size() >= 2 && text.back() == 'i';
  switch (binary ? text[text.size() - 2] : text.back()) {
    case 'k': case 'K': scale = binary ? 0x1p10 : 1e3; break;
    case 'm': case 'M': scale = binary ? 0x1p20 : 1e6; break;
    case 'b': case 'B': case 'g': case 'G': scale = binary ? 0x1p30 : 1e9; break;
    case 't': case 'T': scale = binary ? 0x1p40 : 1e12; break;
    default: break;
  }
  if (scale != 1) text.pop_back();
  if (binary && scale != 1) text.pop_back();
  if (text.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used != text.size() || !std::isfinite(value)) return std::nullopt;
    return value * scale;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

FieldReader::FieldReader(YAML::Node node, std::string source, std::string path)
    : node_(std::move(node)), source_(std::move(source)), path_(std::move(path)) {
  if (!node_.IsMap()) throw InputError(source_, path_.empty() ? "(top level)" : path_, "expected a mapping of key: value");
}

std::string FieldReader::field(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

void FieldReader::fail(const std::string& key, const std::string& expected) const {
  throw InputError(source_, field(key), expected);
}

bool FieldReader::has(const std::string& key) const {
  const YAML::Node value = node_[key];
  return value.IsDefined() && !value.IsNull();
}

YAML::Node FieldReader::required(const std::string& key) const {
  if (!has(key)) fail(key, "missing (required)");
  return node_[key];
}

FieldReader FieldReader::child(const std::string& key) const {
  const YAML::Node value = required(key);
  if (!value.IsMap()) fail(key, "expected a mapping of key: value");
  return FieldReader(value, source_, field(key));
}

std::optional<FieldReader> FieldReader::optional_child(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return child(key);
}

static std::string describe(const YAML::Node& value) {
  if (value.IsScalar()) return "'" + value.Scalar() + "'";
  if (value.IsSequence()) return "a list";
  if (value.IsMap()) return "a mapping";
  return "nothing";
}

std::string FieldReader::get_string(const std::string& key) const {
  const YAML::Node value = required(key);
  if (!value.IsScalar()) fail(key, "expected a string, got " + describe(value));
  return value.Scalar();
}

std::string FieldReader::get_string(const std::string& key, const std::string& fallback) const {
  return has(key) ? get_string(key) : fallback;
}

bool FieldReader::get_bool(const std::string& key) const {
  const YAML::Node value = required(key);
  if (value.IsScalar()) {
    const std::string& s = value.Scalar();
    if (s == "true" || s == "True" || s == "yes" || s == "on") return true;
    if (s == "false" || s == "False" || s == "no" || s == "off") return false;
  }
  fail(key, "expected true or false, got " + describe(value));
}

bool FieldReader::get_bool(const std::string& key, bool fallback) const { return has(key) ? get_bool(key) : fallback; }

double FieldReader::get_double(const std::string& key) const {
  const YAML::Node value = required(key);
  if (value.IsScalar())
    if (auto parsed = parse_count(value.Scalar())) return *parsed;
  fail(key, "expected a number, got " + describe(value));
}

double FieldReader::get_double(const std::string& key, double fallback) const {
  return has(key) ? get_double(key) : fallback;
}

double FieldReader::get_positive(const std::string& key) const {
  const double value = get_double(key);
  if (!(value > 0)) fail(key, "expected a positive number, got " + node_[key].Scalar());
  return value;
}

double FieldReader::get_positive(const std::string& key, double fallback) const {
  return has(key) ? get_positive(key) : fallback;
}

double FieldReader::get_non_negative(const std::string& key, double fallback) const {
  if (!has(key)) return fallback;
  const double value = get_double(key);
  if (value < 0) fail(key, "expected a number >= 0, got " + node_[key].Scalar());
  return value;
}

std::int64_t FieldReader::get_count(const std::string& key) const {
  const double value = get_double(key);
  if (!(value > 0) || value != std::floor(value) || value > 9.2e18)
    fail(key, "expected a positive whole number, got " + node_[key].Scalar());
  return static_cast<std::int64_t>(value);
}

std::int64_t FieldReader::get_count(const std::string& key, std::int64_t fallback) const {
  return has(key) ? get_count(key) : fallback;
}

std::int64_t FieldReader::get_non_negative_count(const std::string& key, std::int64_t fallback) const {
  if (!has(key)) return fallback;
  const double value = get_double(key);
  if (value < 0 || value != std::floor(value) || value > 9.2e18)
    fail(key, "expected a whole number >= 0, got " + node_[key].Scalar());
  return static_cast<std::int64_t>(value);
}

std::string FieldReader::get_choice(const std::string& key, std::initializer_list<const char*> choices) const {
  const std::string value = get_string(key);
  std::string list;
  for (const char* c : choices) {
    if (value == c) return value;
    list += (list.empty() ? "" : " | ") + std::string(c);
  }
  fail(key, "expected one of " + list + ", got '" + value + "'");
}

std::string FieldReader::get_choice(const std::string& key, std::initializer_list<const char*> choices,
                                    const std::string& fallback) const {
  return has(key) ? get_choice(key, choices) : fallback;
}

std::optional<UnknownKey> find_unknown_key(const YAML::Node& mapping, std::initializer_list<const char*> allowed) {
  for (const auto& entry : mapping) {
    const std::string key = entry.first.as<std::string>();
    bool known = false;
    for (const char* a : allowed) known = known || key == a;
    if (known) continue;
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    return UnknownKey{key, "unknown key (expected one of: " + list + ")"};
  }
  return std::nullopt;
}

void FieldReader::reject_unknown_keys(std::initializer_list<const char*> allowed) const {
  if (const auto unknown = find_unknown_key(node_, allowed)) fail(unknown->key, unknown->expected);
}

}  // namespace trainplan
