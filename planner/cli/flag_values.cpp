#include "flag_values.hpp"

#include <cmath>
#include <sstream>

#include "planner/io/input_limits.hpp"
#include "planner/io/yaml_fields.hpp"

namespace trainplan {

std::vector<std::string> split_list(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  if (!text.empty() && text.back() == separator) parts.emplace_back();
  return parts;
}

std::int64_t parse_positive_count(const std::string& text, const char* flag) {
  const auto value = parse_count(text);
  if (!value || *value < 1 || std::abs(*value - std::round(*value)) > 1e-9 || *value > 9e15)
    throw InputError("command line", flag, "expected a positive whole number, got '" + text + "'");
  return static_cast<std::int64_t>(std::llround(*value));
}

int parse_positive_int(const std::string& text, const char* flag) {
  const std::int64_t value = parse_positive_count(text, flag);
  if (value > (1LL << 30)) throw InputError("command line", flag, "too large: " + text);
  return static_cast<int>(value);
}

double parse_positive_number(const std::string& text, const char* flag) {
  const auto value = parse_count(text);
  if (!value || !(*value > 0)) throw InputError("command line", flag, "expected a positive number, got '" + text + "'");
  return *value;
}

double parse_deadline_days(const std::string& text, const char* flag) {
  const double days = parse_positive_number(text, flag);
  if (!(days >= limits::deadline_days.min && days <= limits::deadline_days.max))
    throw InputError("command line", flag, "expected " + range_text(limits::deadline_days) + " days, got '" + text + "'");
  return days;
}

std::vector<int> parse_gpu_counts(const std::string& text, const char* flag) {
  constexpr std::size_t kMostCounts = 10000;
  const auto bad = [&](const std::string& why) -> InputError {
    return InputError("command line", flag, why + " (expected a:b doubling, a:b:step, or a,b,c; got '" + text + "')");
  };
  std::vector<int> counts;
  for (const std::string& item : split_list(text, ',')) {
    if (item.empty()) throw bad("empty item");
    const std::vector<std::string> parts = split_list(item, ':');
    if (parts.size() > 3) throw bad("too many ':' in '" + item + "'");
    std::vector<int> numbers;
    for (const std::string& p : parts) numbers.push_back(parse_positive_int(p, flag));
    if (numbers.size() == 1) {
      counts.push_back(numbers[0]);
      continue;
    }
    const int first = numbers[0], last = numbers[1];
    if (last < first) throw bad("range '" + item + "' ends below its start");
    // Checked while expanding, so a range like 1:1000000000:1 is refused before it is built.
    const long long step = numbers.size() == 2 ? 0 : numbers[2];
    for (long long n = first; n <= last; n = step == 0 ? n * 2 : n + step) {
      if (counts.size() >= kMostCounts) throw bad("more than " + std::to_string(kMostCounts) + " counts");
      counts.push_back(static_cast<int>(n));
    }
  }
  if (counts.empty()) throw bad("no counts");
  return counts;
}

}  // namespace trainplan
