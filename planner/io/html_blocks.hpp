#pragma once
// The building blocks the decision report's sections share (html_report.cpp and its section files):
// escaping, number texts for people, tables and inline SVG.
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "planner/core/provenance.hpp"

namespace trainplan::html {

std::string esc(std::string_view text);                 // text for HTML (and SVG) content and attributes
std::string fixed(double value, int decimals);          // "–" for a value that is not finite
std::string grouped(long long value);                   // 49152 -> "49,152"
std::string human(double value);                        // 1.2e8 -> "120.0M"
std::string usd(double value);                          // "$120.0M"
std::string pct(double fraction, int decimals = 1);     // 0.306 -> "30.6%"
std::string days(double value);                         // "41.6 days"
std::string provenance_text(const Provenance& p);       // "published: NVIDIA H100 datasheet"

// A table from rows of already-escaped cells; the first row is the header.
void table(std::ostream& out, const std::vector<std::vector<std::string>>& rows, const char* css_class = "");
// Two-column key/value table (escaped here).
void facts(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& rows);
// An SVG document without its XML prolog, to inline in the page.
std::string strip_prolog(const std::string& svg_document);

}  // namespace trainplan::html
