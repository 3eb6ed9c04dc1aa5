#pragma once
// Flag text shared by search, size and sweep turned into values: positive counts and numbers,
// comma-separated choice lists, GPU-count ranges. InputError naming the flag on bad input.
#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "planner/io/input_error.hpp"

namespace trainplan {

std::int64_t parse_positive_count(const std::string& text, const char* flag);  // whole, >= 1; 16M ok
int parse_positive_int(const std::string& text, const char* flag);
double parse_positive_number(const std::string& text, const char* flag);       // > 0
// --deadline-days of size and report: a positive number of days, at most limits::deadline_days.
double parse_deadline_days(const std::string& text, const char* flag);

// GPU counts: "a:b" (a, 2a, 4a, ... up to b), "a:b:step", "a,b,c", or a mix ("1024,4096:16384").
std::vector<int> parse_gpu_counts(const std::string& text, const char* flag);

// `text` cut at every `separator` (a trailing separator gives an empty last part).
std::vector<std::string> split_list(const std::string& text, char separator);

// A comma-separated list of the named choices, each kept once, in the order given.
template <typename Value>
std::vector<Value> parse_choice_list(const std::string& text, const char* flag,
                                     const std::vector<std::pair<std::string, Value>>& choices) {
  std::vector<Value> values;
  for (const std::string& item : split_list(text, ',')) {
    const auto it = std::find_if(choices.begin(), choices.end(), [&](const auto& c) { return c.first == item; });
    if (it == choices.end()) {
      std::string allowed;
      for (const auto& c : choices) allowed += (allowed.empty() ? "" : ", ") + c.first;
      throw InputError("command line", flag, "expected a comma-separated list of " + allowed + ", got '" + text + "'");
    }
    if (std::find(values.begin(), values.end(), it->second) == values.end()) values.push_back(it->second);
  }
  return values;
}

}  // namespace trainplan
