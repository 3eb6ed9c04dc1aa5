#include "yaml_fields.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "input_error.hpp"

namespace trainplan {

YAML::Node parse_yaml_text(const std::string& text, const std::string& source) {
  YAML::Node document;
  try {
    document = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw InputError(source, "", "not valid YAML/JSON at line " + std::to_string(e.mark.line + 1) +
                                     ", column " + std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  check_document(document, source);
  return document;
}

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8.
std::size_t utf8_sequence_length(const std::string& text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t length = 0;
  std::uint32_t code = 0;
  if ((lead & 0xE0) == 0xC0) length = 2, code = lead & 0x1F;
  else if ((lead & 0xF0) == 0xE0) length = 3, code = lead & 0x0F;
  else if ((lead & 0xF8) == 0xF0) length = 4, code = lead & 0x07;
  else return 0;
  if (i + length > text.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  const std::uint32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

bool valid_utf8(const std::string& text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

namespace {

void check_node(const YAML::Node& node, const std::string& source, const std::string& path, int depth) {
  const std::string where = path.empty() ? "(top level)" : path;
  if (depth > limits::max_nesting)
    throw InputError(source, where, "nested more than " + std::to_string(limits::max_nesting) + " levels deep");
  if (node.IsScalar()) {
    if (!valid_utf8(node.Scalar())) throw InputError(source, where, "not valid UTF-8 text");
    return;
  }
  if (node.IsSequence()) {
    if (node.size() > limits::max_list_items)
      throw InputError(source, where, "a list of more than " + std::to_string(limits::max_list_items) + " items");
    std::size_t i = 0;
    for (const auto& item : node) check_node(item, source, path + "[" + std::to_string(i++) + "]", depth + 1);
    return;
  }
  if (!node.IsMap()) return;
  if (node.size() > limits::max_mapping_keys)
    throw InputError(source, where, "a mapping of more than " + std::to_string(limits::max_mapping_keys) + " keys");
  std::set<std::string> keys;
  for (const auto& entry : node) {
    if (!entry.first.IsScalar())
      throw InputError(source, where, "a key that is a list or mapping (keys must be plain words)");
    const std::string& key = entry.first.Scalar();
    const std::string child = path.empty() ? key : path + "." + key;
    if (!valid_utf8(key)) throw InputError(source, where, "a key that is not valid UTF-8 text");
    if (!keys.insert(key).second)
      throw InputError(source, child, "given twice (duplicate key; each key may appear once in a mapping)");
    check_node(entry.second, source, child, depth + 1);
  }
}

std::string file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

}  // namespace

void check_document(const YAML::Node& document, const std::string& source) { check_node(document, source, "", 0); }

std::string read_text_file(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0)
    throw InputError(path, "", "cannot open the file (does it exist and is it readable?)");
  if (!S_ISREG(info.st_mode)) throw InputError(path, "", "expected a regular file, got " + file_kind(info.st_mode));
  if (static_cast<std::uintmax_t>(info.st_size) > limits::max_file_bytes)
    throw InputError(path, "", "the file is " + std::to_string(info.st_size) + " bytes, more than the " +
                                   std::to_string(limits::max_file_bytes >> 20) + " MiB an input file may have");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the file (does it exist and is it readable?)");
  // Read at most one byte past the limit: a file that grows after stat() is still bounded.
  std::string text(limits::max_file_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > limits::max_file_bytes)
    throw InputError(path, "", "the file is more than the " + std::to_string(limits::max_file_bytes >> 20) +
                                   " MiB an input file may have");
  return text;
}

std::string range_text(Range range) {
  const auto number = [](double v) {
    char buffer[64];
    if (v == std::floor(v) && std::abs(v) < 1e15)
      std::snprintf(buffer, sizeof buffer, "%.0f", v);
    else
      std::snprintf(buffer, sizeof buffer, "%g", v);
    return std::string(buffer);
  };
  return number(range.min) + " to " + number(range.max);
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
  // strtod, not stod: what stod refuses by throwing (no number, out of range) is refused here by
  // its result, and a plan's start-up throws no exception (the first one a process throws costs
  // the unwinder's set-up; in a static build, a sort of every frame description).
  errno = 0;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end == text.c_str() || errno == ERANGE) return std::nullopt;
  const std::size_t used = static_cast<std::size_t>(end - text.c_str());
  if (used != text.size() || !std::isfinite(value) || !std::isfinite(value * scale)) return std::nullopt;
  return value * scale;
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
  return has_value(node_[key]);
}

YAML::Node FieldReader::required(const std::string& key) const {
  YAML::Node value = node_[key];  // one look-up: a mapping's are linear in its keys
  if (!has_value(value)) fail(key, "missing (required)");
  return value;
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

double FieldReader::get_double(const std::string& key) const { return double_of(key, required(key)); }

double FieldReader::double_of(const std::string& key, const YAML::Node& value) const {
  if (value.IsScalar())
    if (auto parsed = parse_count(value.Scalar())) return *parsed;
  fail(key, "expected a number, got " + describe(value));
}

std::optional<double> FieldReader::optional_double(const std::string& key) const {
  const YAML::Node value = node_[key];  // one look-up for has(key) and the value
  if (!has_value(value)) return std::nullopt;
  return double_of(key, value);
}

double FieldReader::get_double(const std::string& key, double fallback) const { return optional_double(key).value_or(fallback); }

double FieldReader::positive(const std::string& key, double value) const {
  if (!(value > 0)) fail(key, "expected a positive number, got " + node_[key].Scalar());
  return value;
}

double FieldReader::get_positive(const std::string& key) const { return positive(key, get_double(key)); }

double FieldReader::get_positive(const std::string& key, double fallback) const {
  const auto value = optional_double(key);
  return value ? positive(key, *value) : fallback;
}

double FieldReader::get_non_negative(const std::string& key, double fallback) const {
  const auto value = optional_double(key);
  if (!value) return fallback;
  if (*value < 0) fail(key, "expected a number >= 0, got " + node_[key].Scalar());
  return *value;
}

std::int64_t FieldReader::count(const std::string& key, double value) const {
  if (!(value > 0) || value != std::floor(value) || value > 9.2e18)
    fail(key, "expected a positive whole number, got " + node_[key].Scalar());
  return static_cast<std::int64_t>(value);
}

std::int64_t FieldReader::get_count(const std::string& key) const { return count(key, get_double(key)); }

std::int64_t FieldReader::get_count(const std::string& key, std::int64_t fallback) const {
  const auto value = optional_double(key);
  return value ? count(key, *value) : fallback;
}

std::int64_t FieldReader::get_non_negative_count(const std::string& key, std::int64_t fallback) const {
  const auto value = optional_double(key);
  if (!value) return fallback;
  if (*value < 0 || *value != std::floor(*value) || *value > 9.2e18)
    fail(key, "expected a whole number >= 0, got " + node_[key].Scalar());
  return static_cast<std::int64_t>(*value);
}

std::int64_t FieldReader::whole(const std::string& key, Range range, double value) const {
  if (!(value >= range.min && value <= range.max) || value != std::floor(value))
    fail(key, "expected a whole number from " + range_text(range) + ", got '" + node_[key].Scalar() + "'");
  return static_cast<std::int64_t>(value);
}

std::int64_t FieldReader::get_whole(const std::string& key, Range range) const { return whole(key, range, get_double(key)); }

std::int64_t FieldReader::get_whole(const std::string& key, Range range, std::int64_t fallback) const {
  const auto value = optional_double(key);
  return value ? whole(key, range, *value) : fallback;
}

int FieldReader::whole_int(const std::string& key, Range range, double value) const {
  // Every Range passed here lies within int; the check keeps a wider one from wrapping.
  const std::int64_t whole_value = whole(key, range, value);
  if (whole_value > 2147483647 || whole_value < -2147483647)
    fail(key, "expected a whole number below 2^31, got " + std::to_string(whole_value));
  return static_cast<int>(whole_value);
}

int FieldReader::get_int(const std::string& key, Range range) const { return whole_int(key, range, get_double(key)); }

int FieldReader::get_int(const std::string& key, Range range, int fallback) const {
  const auto value = optional_double(key);
  return value ? whole_int(key, range, *value) : fallback;
}

double FieldReader::number(const std::string& key, Range range, double value) const {
  if (!(value >= range.min && value <= range.max))
    fail(key, "expected a number from " + range_text(range) + ", got '" + node_[key].Scalar() + "'");
  return value;
}

double FieldReader::get_number(const std::string& key, Range range) const { return number(key, range, get_double(key)); }

double FieldReader::get_number(const std::string& key, Range range, double fallback) const {
  const auto value = optional_double(key);
  return value ? number(key, range, *value) : fallback;
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

static YAML::Node list_node(const FieldReader& reader, const std::string& key) {
  const YAML::Node value = reader.node()[key];
  if (!value.IsSequence()) reader.fail(key, "expected a list, got " + describe(value));
  return value;
}

std::vector<std::string> FieldReader::get_name_list(const std::string& key) const {
  std::vector<std::string> names;
  if (!has(key)) return names;
  const YAML::Node list = list_node(*this, key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node entry = list[i];
    if (!entry.IsScalar() || entry.Scalar().empty())
      fail(key + "[" + std::to_string(i) + "]", "expected a name, got " + describe(entry));
    names.push_back(entry.Scalar());
  }
  return names;
}

std::vector<std::int64_t> FieldReader::get_whole_list(const std::string& key, Range range) const {
  std::vector<std::int64_t> numbers;
  if (!has(key)) return numbers;
  const YAML::Node list = list_node(*this, key);
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node entry = list[i];
    const std::optional<double> value = entry.IsScalar() ? parse_count(entry.Scalar()) : std::nullopt;
    if (!value || !(*value >= range.min && *value <= range.max) || *value != std::floor(*value))
      fail(key + "[" + std::to_string(i) + "]", "expected a whole number from " + range_text(range) + ", got " + describe(entry));
    numbers.push_back(static_cast<std::int64_t>(*value));
  }
  return numbers;
}

std::optional<UnknownKey> find_unknown_key(const YAML::Node& mapping, std::initializer_list<const char*> allowed) {
  for (const auto& entry : mapping) {
    const std::string key = entry.first.Scalar();
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
