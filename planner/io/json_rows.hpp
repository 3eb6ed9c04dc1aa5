#pragma once
// A JSON report with one array of records as CSV rows (RFC 4180, planner/io/row_writer): one row per
// record of the array; the headers are the JSON keys, the report's own scalars first ("gpus") and the
// record's keys under the array's name ("tiers.switches"). Used by topo --format csv.
#include <nlohmann/json.hpp>
#include <string>

#include "row_writer.hpp"

namespace trainplan {

// Header row then one row per element of top[array_key]; a null or missing value is an empty cell,
// numbers as JSON writes them, strings as they are. Nested objects and arrays other than the array
// named are left out (they have no single cell).
TextRows json_array_rows(const nlohmann::json& top, const std::string& array_key);

}  // namespace trainplan
