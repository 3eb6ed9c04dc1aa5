#pragma once
// A small SVG line-chart writer: one or more panels stacked over a shared x axis, each with its own
// y axis, ticks and grid, and one legend for the series. Every piece of text is XML-escaped; every
// coordinate comes from the axis mappings below (tests/io/svg_chart_test.cpp pins them).
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace trainplan::svg {

// One line. Points whose y is not finite (NaN: no value at that x) break the line into pieces.
struct Series {
  std::string name;
  std::vector<double> x, y;
  std::string colour_key = {};             // series with the same key share a colour (empty: the name)
  bool dashed = false;
  // Optional shaded band behind the line (e.g. a p10..p90 spread), parallel to x; a non-finite
  // bound leaves a gap. band_name is its legend entry.
  std::vector<double> y_low = {}, y_high = {};
  std::string band_name = {};
  // Parallel to x (optional): why y has no value there. Each such x gets a grey cross on the panel's
  // x axis (with the reason as its tooltip) and the chart a note listing them.
  std::vector<std::string> gap_reasons = {};
};

// A labelled horizontal line across a panel (a deadline); its value is kept inside the y axis.
struct ReferenceLine {
  double y = 0;
  std::string label;
};

struct Panel {
  std::string y_label;
  std::vector<Series> series;
  bool y_from_zero = true;   // the y axis starts at 0 (else at the data's minimum)
  std::vector<ReferenceLine> lines = {};
};

struct LineChart {
  std::string title;
  std::string x_label;       // with log2_x the label says the scale is logarithmic
  bool log2_x = false;       // x on a base-2 logarithmic scale (GPU counts that double)
  std::vector<Panel> panels; // top to bottom; series with the same colour key share a colour
  int width = 760;
  int panel_height = 240;
  std::vector<std::string> notes = {};  // printed under the legend, wrapped to the width
};

// Where everything goes, in pixels (what write_line_chart draws; tests check it). The legend sits
// under the x axis in rows that wrap at the chart's width, so no label is ever cut off; text widths
// are estimated generously (kCharWidth per character at 12 px) since a browser's font is unknown.
struct Box {
  double x = 0, y = 0, width = 0, height = 0;
  double right() const { return x + width; }
  double bottom() const { return y + height; }
};
struct LegendEntry {
  std::string label;
  std::string colour;
  enum class Kind { line, dashed_line, band } kind = Kind::line;
  Box box;                   // swatch and text
};
struct ChartLayout {
  double width = 0, height = 0;
  std::vector<Box> plots;    // one plot area per panel
  double x_label_y = 0;      // baseline of the x-axis label
  std::string x_label;       // as drawn
  std::vector<LegendEntry> legend;
  std::vector<std::string> note_lines;  // the notes (gap notes first), wrapped
  double notes_y = 0;        // baseline of the first note line
};
constexpr double kCharWidth = 7.2;     // px per character at 12 px, above a sans-serif's mean
constexpr double kLineHeight = 18;
ChartLayout layout_line_chart(const LineChart& chart);
// Estimated width of `text` at 12 px.
double text_width(std::string_view text);
// `text` cut at spaces into lines of at most `width` px (a word longer than that stands alone).
std::vector<std::string> wrap_text(const std::string& text, double width);

// &, <, >, " and ' as entities; control characters other than tab/newline dropped.
std::string escape_xml(std::string_view text);

// Round tick values covering [low, high]: steps of 1, 2 or 5 times a power of ten (the one nearest
// (high - low) / (target_count - 1)), the first <= low and the last >= high.
std::vector<double> nice_ticks(double low, double high, int target_count);

// Powers of two covering [low, high] (low > 0), the first <= low and the last >= high.
std::vector<double> power_of_two_ticks(double low, double high);

// A tick label: integers without decimals, others with up to 3 significant decimals, no trailing
// zeros ("8192", "0.25", "1.5").
std::string format_tick(double value);

void write_line_chart(const LineChart& chart, std::ostream& out);
std::string line_chart_svg(const LineChart& chart);

}  // namespace trainplan::svg
