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
};

struct Panel {
  std::string y_label;
  std::vector<Series> series;
  bool y_from_zero = true;   // the y axis starts at 0 (else at the data's minimum)
};

struct LineChart {
  std::string title;
  std::string x_label;
  bool log2_x = false;       // x on a base-2 logarithmic scale (GPU counts that double)
  std::vector<Panel> panels; // top to bottom; series with the same name share a colour
  int width = 760;
  int panel_height = 240;
};

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
