#pragma once
// Rows of text cells written as right-aligned columns (table) or CSV (RFC 4180: a cell holding a
// comma, a double quote or a line break is quoted, its quotes doubled).
#include <iosfwd>
#include <string>
#include <vector>

namespace trainplan {

using TextRows = std::vector<std::vector<std::string>>;

void write_rows(const TextRows& rows, bool csv, std::ostream& out);
// One CSV cell, quoted when RFC 4180 requires it.
std::string csv_cell(const std::string& text);

}  // namespace trainplan
