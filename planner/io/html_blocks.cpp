#include "html_blocks.hpp"

#include <cmath>
#include <ostream>

#include "number_text.hpp"
#include "svg_chart.hpp"

namespace trainplan::html {

std::string esc(std::string_view text) { return svg::escape_xml(text); }

std::string fixed(double value, int decimals) { return std::isfinite(value) ? fixed_decimals(value, decimals) : "–"; }

std::string grouped(long long value) {
  std::string digits = std::to_string(value < 0 ? -value : value);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return (value < 0 ? "-" : "") + digits;
}

std::string human(double value) {
  const char* suffix[] = {"", "K", "M", "B", "T"};
  int i = 0;
  while (std::abs(value) >= 1000 && i < 4) {
    value /= 1000;
    ++i;
  }
  return fixed(value, std::abs(value) < 10 ? 2 : 1) + suffix[i];
}

std::string usd(double value) { return "$" + human(value); }
std::string pct(double fraction, int decimals) { return fixed(100 * fraction, decimals) + "%"; }
std::string days(double value) { return fixed(value, 1) + " days"; }

std::string provenance_text(const Provenance& p) {
  if (p.kind.empty() && p.source.empty()) return "not stated";
  if (p.source.empty()) return p.kind;
  return p.kind + ": " + p.source;
}

void table(std::ostream& out, const std::vector<std::vector<std::string>>& rows, const char* css_class) {
  // In a scrolling box: a wide table scrolls inside the page instead of spilling out of it.
  out << "<div class=\"scroll\"><table class=\"" << css_class << "\">\n";
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out << "<tr>";
    for (const std::string& cell : rows[r]) out << (r == 0 ? "<th>" : "<td>") << cell << (r == 0 ? "</th>" : "</td>");
    out << "</tr>\n";
  }
  out << "</table></div>\n";
}

void facts(std::ostream& out, const std::vector<std::pair<std::string, std::string>>& rows) {
  out << "<table class=\"facts\">\n";
  for (const auto& [key, value] : rows) out << "<tr><th>" << esc(key) << "</th><td>" << esc(value) << "</td></tr>\n";
  out << "</table>\n";
}

std::string strip_prolog(const std::string& svg_document) {
  const std::size_t at = svg_document.find("<svg");
  return at == std::string::npos ? svg_document : svg_document.substr(at);
}

}  // namespace trainplan::html
