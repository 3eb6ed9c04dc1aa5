#include "json_rows.hpp"

#include <algorithm>

namespace trainplan {

namespace {

bool is_cell(const nlohmann::json& value) { return !value.is_object() && !value.is_array(); }

std::string cell_text(const nlohmann::json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) return value.get<std::string>();
  return value.dump();
}

}  // namespace

TextRows json_array_rows(const nlohmann::json& top, const std::string& array_key) {
  std::vector<std::string> top_keys, record_keys;
  for (const auto& [key, value] : top.items())
    if (key != array_key && is_cell(value)) top_keys.push_back(key);
  const nlohmann::json records = top.contains(array_key) && top[array_key].is_array() ? top[array_key] : nlohmann::json::array();
  // Every key any record has, in the order first seen.
  for (const auto& record : records)
    for (const auto& [key, value] : record.items())
      if (is_cell(value) && std::find(record_keys.begin(), record_keys.end(), key) == record_keys.end()) record_keys.push_back(key);

  TextRows rows;
  std::vector<std::string> header = top_keys;
  for (const auto& key : record_keys) header.push_back(array_key + "." + key);
  rows.push_back(header);
  for (const auto& record : records) {
    std::vector<std::string> row;
    for (const auto& key : top_keys) row.push_back(cell_text(top[key]));
    for (const auto& key : record_keys) row.push_back(record.contains(key) ? cell_text(record[key]) : "");
    rows.push_back(row);
  }
  return rows;
}

}  // namespace trainplan
