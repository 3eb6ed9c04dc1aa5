#include "typed_plan_errors.hpp"

#include <cctype>

#include "planner/io/plan_option_table.hpp"

namespace trainplan {

namespace {

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// True when the word at `end` of `text` names an option rather than being plain English ("8192
// tokens"): a snake_case key, or one followed by its value (" 8192", " (8)").
bool names_the_option(const std::string& text, const std::string& word, std::size_t end) {
  if (word.find('_') != std::string::npos) return true;
  if (end + 1 >= text.size() || text[end] != ' ') return false;
  return text[end + 1] == '(' || std::isdigit(static_cast<unsigned char>(text[end + 1]));
}

// `text` with each whole-word `word` that names the option replaced by `by`.
std::string replace_word(std::string text, const std::string& word, const std::string& by) {
  for (std::size_t at = text.find(word); at != std::string::npos; at = text.find(word, at)) {
    const bool starts = at == 0 || !word_char(text[at - 1]);
    const bool ends = at + word.size() == text.size() || !word_char(text[at + word.size()]);
    if (starts && ends && names_the_option(text, word, at + word.size())) {
      text.replace(at, word.size(), by);
      at += by.size();
    } else {
      at += word.size();
    }
  }
  return text;
}

bool given_by_flag(const std::map<std::string, std::string>& flag_values, const std::string& key, const PlanOption*& option) {
  option = find_plan_option(key);
  const auto it = flag_values.find(key);
  return option && option->has_flag() && it != flag_values.end() && !it->second.empty();
}

}  // namespace

InputError name_typed_plan_option(const InputError& error, const std::string& source, const std::map<std::string, std::string>& flag_values,
                                  const std::vector<Override>& overrides) {
  const std::string message = error.what();
  const std::string prefix = source + ": plan.";
  if (message.rfind(prefix, 0) != 0) return error;
  const std::size_t key_end = message.find(": ", prefix.size());
  if (key_end == std::string::npos) return error;
  const std::string key = message.substr(prefix.size(), key_end - prefix.size());
  std::string expected = message.substr(key_end + 2);

  // The options the message names, by the flag that gave them (not in the list of known keys).
  for (const auto& [other, value] : flag_values) {
    if (expected.rfind("unknown key", 0) == 0) break;
    const PlanOption* option = nullptr;
    if (given_by_flag(flag_values, other, option)) expected = replace_word(expected, other, std::string("--") + option->flag);
  }
  // --set is applied after the flags: the last --set of the key gave its value.
  for (auto o = overrides.rbegin(); o != overrides.rend(); ++o)
    if (o->scope == "plan" && o->path.size() == 1 && o->path[0] == key) return InputError("--set " + o->text, "plan." + key, expected);
  const PlanOption* option = nullptr;
  if (given_by_flag(flag_values, key, option)) return InputError(source, std::string("--") + option->flag, expected);
  return InputError(source, "plan." + key, expected);
}

}  // namespace trainplan
