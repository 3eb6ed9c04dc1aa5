#pragma once
// Checked access to the fields of a YAML (or JSON) mapping. Every read names the file and the
// field path in its error; unknown keys are errors too (a typo must not become a silent default).
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "input_limits.hpp"

namespace trainplan {

// Parses text (YAML or JSON) or throws InputError naming `source` and the line. The document is
// checked as a whole too (check_document): no duplicate or non-scalar keys, valid UTF-8, sizes
// within the limits of input_limits.hpp.
YAML::Node parse_yaml_text(const std::string& text, const std::string& source);
// InputError naming `source` and the path of the first duplicate key (the first would otherwise
// win silently, where Python's readers take the last), non-scalar key, invalid UTF-8 text, or a
// mapping, list or nesting beyond limits::max_mapping_keys / max_list_items / max_nesting.
void check_document(const YAML::Node& document, const std::string& source);
// Reads and parses a file; a missing or unreadable file is an InputError.
YAML::Node load_yaml_file(const std::string& path);
// Reads a regular file of at most limits::max_file_bytes; a directory, FIFO, device or socket, or a
// larger file, is an InputError before anything is read.
std::string read_text_file(const std::string& path);
bool valid_utf8(const std::string& text);
// "1 to 10000", "0.01 to 1": a range as the messages write it.
std::string range_text(Range range);

// A mapping under a dotted path, with checked typed reads.
class FieldReader {
 public:
  FieldReader(YAML::Node node, std::string source, std::string path = "");

  bool has(const std::string& key) const;
  FieldReader child(const std::string& key) const;           // required mapping
  std::optional<FieldReader> optional_child(const std::string& key) const;
  YAML::Node node() const { return node_; }
  const std::string& source() const { return source_; }
  std::string field(const std::string& key) const;           // "path.key"

  std::string get_string(const std::string& key) const;
  std::string get_string(const std::string& key, const std::string& fallback) const;
  bool get_bool(const std::string& key) const;
  bool get_bool(const std::string& key, bool fallback) const;
  double get_double(const std::string& key) const;
  double get_double(const std::string& key, double fallback) const;
  double get_positive(const std::string& key) const;          // > 0
  double get_positive(const std::string& key, double fallback) const;
  double get_non_negative(const std::string& key, double fallback) const;
  std::int64_t get_count(const std::string& key) const;       // integer > 0; accepts 16M, 1.5T
  std::int64_t get_count(const std::string& key, std::int64_t fallback) const;
  std::int64_t get_non_negative_count(const std::string& key, std::int64_t fallback) const;
  // Whole numbers read as 64-bit and checked against `range` before any narrowing; numbers
  // checked against `range` (finite). The message names the range.
  std::int64_t get_whole(const std::string& key, Range range) const;
  std::int64_t get_whole(const std::string& key, Range range, std::int64_t fallback) const;
  int get_int(const std::string& key, Range range) const;
  int get_int(const std::string& key, Range range, int fallback) const;
  double get_number(const std::string& key, Range range) const;
  double get_number(const std::string& key, Range range, double fallback) const;
  std::string get_choice(const std::string& key, std::initializer_list<const char*> choices) const;
  std::string get_choice(const std::string& key, std::initializer_list<const char*> choices,
                         const std::string& fallback) const;

  // Lists (absent or null: empty). Each entry must be a name (get_name_list) or a whole number in
  // `range` (get_whole_list); a wrong entry names the field and its index, e.g. layer_types[3].
  std::vector<std::string> get_name_list(const std::string& key) const;
  std::vector<std::int64_t> get_whole_list(const std::string& key, Range range) const;

  // Throws InputError for any key of this mapping not in `allowed`.
  void reject_unknown_keys(std::initializer_list<const char*> allowed) const;
  [[noreturn]] void fail(const std::string& key, const std::string& expected) const;

 private:
  YAML::Node required(const std::string& key) const;
  // The getters in two steps, so that one with a fallback looks its key up once (a mapping's
  // look-ups are linear in its keys): the value read, then its checks.
  double double_of(const std::string& key, const YAML::Node& value) const;
  std::optional<double> optional_double(const std::string& key) const;  // absent or null: none
  double positive(const std::string& key, double value) const;
  std::int64_t count(const std::string& key, double value) const;
  std::int64_t whole(const std::string& key, Range range, double value) const;
  int whole_int(const std::string& key, Range range, double value) const;
  double number(const std::string& key, Range range, double value) const;
  YAML::Node node_;
  std::string source_;
  std::string path_;
};

// The first key of `mapping` not in `allowed`, if any, and the message an error about it should give.
struct UnknownKey {
  std::string key;
  std::string expected;  // "unknown key (expected one of: a, b, c)"
};
std::optional<UnknownKey> find_unknown_key(const YAML::Node& mapping, std::initializer_list<const char*> allowed);

// A mapping's value that holds something: present and not null (what FieldReader::has asks of a key).
inline bool has_value(const YAML::Node& value) { return value.IsDefined() && !value.IsNull(); }

// Parses a count with an optional suffix: K=1e3, M=1e6, B/G=1e9, T=1e12 ("16M", "15.6T").
// Returns nullopt when the text is not such a number.
std::optional<double> parse_count(const std::string& text);

}  // namespace trainplan
