#include "planner/io/svg_chart.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace trainplan::svg {

namespace {

struct XmlCheck {
  bool well_formed = true;
  std::string problem;
  std::vector<std::string> elements;  // every element name, in document order
};

// A small structural XML check: every element closes in order, attribute values are quoted,
// and text holds no raw '<' and no '&' outside an entity.
XmlCheck check_xml(const std::string& doc) {
  XmlCheck c;
  std::vector<std::string> open;
  const auto fail = [&](const std::string& why, std::size_t at) {
    c.well_formed = false;
    c.problem = why + " at " + std::to_string(at);
  };
  std::size_t i = 0;
  if (doc.rfind("<?xml", 0) == 0) i = doc.find("?>") + 2;
  while (i < doc.size() && c.well_formed) {
    if (doc[i] != '<') {
      if (doc[i] == '&') {
        const std::size_t semicolon = doc.find(';', i);
        const std::string entity = doc.substr(i, semicolon == std::string::npos ? 0 : semicolon - i + 1);
        if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" && entity != "&apos;")
          fail("bad entity", i);
      }
      ++i;
      continue;
    }
    const std::size_t end = doc.find('>', i);
    if (end == std::string::npos) {
      fail("unterminated tag", i);
      break;
    }
    std::string tag = doc.substr(i + 1, end - i - 1);
    if (tag.find('<') != std::string::npos) fail("'<' inside a tag", i);
    std::size_t quotes = 0;
    for (char ch : tag) quotes += ch == '"';
    if (quotes % 2 != 0) fail("unbalanced quotes", i);
    if (!tag.empty() && tag[0] == '/') {
      const std::string name = tag.substr(1);
      if (open.empty() || open.back() != name) fail("closing " + name + " out of order", i);
      if (!open.empty()) open.pop_back();
    } else {
      const bool self_closing = !tag.empty() && tag.back() == '/';
      const std::string name = tag.substr(0, tag.find_first_of(" /"));
      c.elements.push_back(name);
      if (!self_closing) open.push_back(name);
    }
    i = end + 1;
  }
  if (c.well_formed && !open.empty()) fail("unclosed " + open.back(), doc.size());
  return c;
}

std::size_t count(const std::vector<std::string>& names, const std::string& name) {
  std::size_t n = 0;
  for (const auto& e : names) n += e == name;
  return n;
}

std::size_t occurrences(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

LineChart two_panel_chart() {
  LineChart chart;
  chart.title = "Scaling <70B> & \"friends\"";
  chart.x_label = "GPUs";
  chart.log2_x = true;
  const std::vector<double> gpus{8192, 16384, 32768, 65536};
  chart.panels = {Panel{"time to train (days)", {{"fabric A", gpus, {40, 21, 12, 7}}, {"fabric B", gpus, {41, 22, 13, 8.5}}}, true},
                  Panel{"MFU (%)", {{"fabric A", gpus, {45, 43, 40, 35}}, {"fabric B", gpus, {44, 41, 37, 30}}}, true}};
  return chart;
}

}  // namespace

TEST(SvgChart, EscapesTheFiveXmlCharactersAndDropsControls) {
  EXPECT_EQ(escape_xml("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&apos;");
  EXPECT_EQ(escape_xml(std::string("x\x01y\tz")), "xy\tz");
  EXPECT_EQ(escape_xml("plain"), "plain");
}

TEST(SvgChart, NiceTicksCoverTheRangeInOneTwoFiveSteps) {
  const auto ticks = nice_ticks(3.2, 97, 5);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_LE(ticks.front(), 3.2);
  EXPECT_GE(ticks.back(), 97);
  EXPECT_EQ(ticks, (std::vector<double>{0, 20, 40, 60, 80, 100}));
  EXPECT_EQ(nice_ticks(0, 1, 6), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1}));
  const auto flat = nice_ticks(5, 5, 5);  // a flat series still gets an axis
  EXPECT_LT(flat.front(), 5);
  EXPECT_GT(flat.back(), 5);
  for (double t : nice_ticks(-0.3, 0.3, 5)) EXPECT_FALSE(std::signbit(t) && t == 0);
}

TEST(SvgChart, PowerOfTwoTicksBracketTheRange) {
  EXPECT_EQ(power_of_two_ticks(8192, 65536), (std::vector<double>{8192, 16384, 32768, 65536}));
  EXPECT_EQ(power_of_two_ticks(6000, 20000), (std::vector<double>{4096, 8192, 16384, 32768}));
  const auto wide = power_of_two_ticks(1, 1 << 30);
  EXPECT_LE(wide.size(), 11u);
  EXPECT_LE(wide.front(), 1);
  EXPECT_GE(wide.back(), 1 << 30);
}

TEST(SvgChart, FormatsTicksWithoutNoise) {
  EXPECT_EQ(format_tick(8192), "8192");
  EXPECT_EQ(format_tick(0.25), "0.25");
  EXPECT_EQ(format_tick(1.5), "1.5");
  EXPECT_EQ(format_tick(-0.0), "0");
  EXPECT_EQ(format_tick(0.6000000000000001), "0.6");
}

TEST(SvgChart, IsWellFormedWithOneLinePerSeriesAndPanel) {
  const std::string doc = line_chart_svg(two_panel_chart());
  const XmlCheck c = check_xml(doc);
  ASSERT_TRUE(c.well_formed) << c.problem;
  ASSERT_FALSE(c.elements.empty());
  EXPECT_EQ(c.elements.front(), "svg");
  EXPECT_NE(doc.find("xmlns=\"http://www.w3.org/2000/svg\""), std::string::npos);
  EXPECT_EQ(count(c.elements, "polyline"), 4u);
  EXPECT_EQ(count(c.elements, "circle"), 16u);
  // Legend: one entry per series name, coloured like the lines.
  EXPECT_EQ(occurrences(doc, ">fabric A</text>"), 1u);
  EXPECT_EQ(occurrences(doc, ">fabric B</text>"), 1u);
  EXPECT_EQ(occurrences(doc, "stroke=\"#0072B2\""), 3u);  // two series groups + the legend line
  // Text is escaped, never pasted raw.
  EXPECT_NE(doc.find("Scaling &lt;70B&gt; &amp; &quot;friends&quot;"), std::string::npos);
  EXPECT_EQ(doc.find("<70B>"), std::string::npos);
  // Axis labels and the log2 x ticks.
  EXPECT_NE(doc.find(">time to train (days)</text>"), std::string::npos);
  EXPECT_NE(doc.find(">MFU (%)</text>"), std::string::npos);
  EXPECT_NE(doc.find(">65536</text>"), std::string::npos);
  EXPECT_NE(doc.find(">GPUs (log scale: each tick doubles)</text>"), std::string::npos);
}

TEST(SvgChart, PointsMapOntoThePlotArea) {
  LineChart chart;
  chart.width = 500;
  chart.panel_height = 200;
  chart.panels = {Panel{"y", {{"s", {0, 10}, {0, 100}}}, true}};
  const std::string doc = line_chart_svg(chart);
  // x 0..10 -> plot left 76 .. right 500-24 = 476; y 0..100 -> bottom 244 .. top 44.
  EXPECT_NE(doc.find("points=\"76.00,244.00 476.00,44.00\""), std::string::npos) << doc;
}

TEST(SvgChart, MissingValuesBreakTheLine) {
  LineChart chart;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  chart.panels = {Panel{"y", {{"s", {1, 2, 3, 4, 5}, {1, 2, nan, 4, 5}}}, true}};
  const XmlCheck c = check_xml(line_chart_svg(chart));
  ASSERT_TRUE(c.well_formed) << c.problem;
  EXPECT_EQ(count(c.elements, "polyline"), 2u);
  EXPECT_EQ(count(c.elements, "circle"), 4u);
}

TEST(SvgChart, AnEmptyChartIsStillADocument) {
  const XmlCheck c = check_xml(line_chart_svg(LineChart{}));
  ASSERT_TRUE(c.well_formed) << c.problem;
  EXPECT_EQ(c.elements.front(), "svg");
  EXPECT_EQ(count(c.elements, "polyline"), 0u);
}

bool overlaps(const Box& a, const Box& b) {
  return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

bool inside(const Box& inner, double width, double height) {
  return inner.x >= 0 && inner.y >= 0 && inner.right() <= width && inner.bottom() <= height;
}

TEST(SvgChartLayout, LegendEntriesStayInsideTheChartOffThePlotsAndApart) {
  // Long fabric names (the old right-margin legend cut "dgx-h100-superpod-ndr-2" off at the edge).
  LineChart chart = two_panel_chart();
  const std::vector<double> gpus{8192, 16384, 32768, 65536};
  for (const char* name : {"dgx-h100-superpod-ndr-2", "meta-roce-24k", "spectrum-x-400g", "a-fabric-with-a-very-long-name-indeed"}) {
    chart.panels[0].series.push_back({std::string(name) + ", failure-free", gpus, {40, 21, 12, 7}, name});
    chart.panels[0].series.push_back({std::string(name) + ", with failures", gpus, {44, 23, 13, 8}, name, true});
  }
  const ChartLayout layout = layout_line_chart(chart);
  ASSERT_EQ(layout.legend.size(), 10u);
  EXPECT_EQ(layout.width, 760);  // wrapping, not widening, handles ordinary names
  EXPECT_GT(layout.legend.back().box.y, layout.legend.front().box.y);  // more than one row
  for (std::size_t i = 0; i < layout.legend.size(); ++i) {
    const LegendEntry& e = layout.legend[i];
    EXPECT_TRUE(inside(e.box, layout.width, layout.height)) << e.label;
    EXPECT_GE(e.box.width, text_width(e.label)) << e.label;
    for (const Box& plot : layout.plots) EXPECT_FALSE(overlaps(e.box, plot)) << e.label;
    EXPECT_GT(e.box.y, layout.x_label_y) << e.label;  // under the x label
    for (std::size_t j = i + 1; j < layout.legend.size(); ++j) EXPECT_FALSE(overlaps(e.box, layout.legend[j].box)) << e.label;
  }
  // Same colour key, same colour; the with-failures line is dashed.
  EXPECT_EQ(layout.legend[2].colour, layout.legend[3].colour);
  EXPECT_EQ(layout.legend[3].kind, LegendEntry::Kind::dashed_line);
  EXPECT_NE(line_chart_svg(chart).find("stroke-dasharray=\"7 4\""), std::string::npos);
}

TEST(SvgChartLayout, ALabelWiderThanTheChartWidensIt) {
  LineChart chart;
  chart.width = 400;
  chart.panels = {Panel{"y", {{std::string(80, 'w'), {1, 2}, {1, 2}}}, true}};
  const ChartLayout layout = layout_line_chart(chart);
  ASSERT_EQ(layout.legend.size(), 1u);
  EXPECT_GT(layout.width, 400);
  EXPECT_TRUE(inside(layout.legend[0].box, layout.width, layout.height));
  EXPECT_NE(line_chart_svg(chart).find("viewBox=\"0 0 " + std::to_string(static_cast<int>(layout.width))), std::string::npos);
}

TEST(SvgChartLayout, ALogAxisSaysSo) {
  const LineChart chart = two_panel_chart();
  EXPECT_EQ(layout_line_chart(chart).x_label, "GPUs (log scale: each tick doubles)");
  EXPECT_NE(line_chart_svg(chart).find(">GPUs (log scale: each tick doubles)</text>"), std::string::npos);
  LineChart linear = chart;
  linear.log2_x = false;
  EXPECT_EQ(layout_line_chart(linear).x_label, "GPUs");
}

TEST(SvgChartLayout, BandsAreShadedBehindTheirLineAndInTheLegend) {
  LineChart chart;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Series s{"with failures", {1, 2, 3, 4}, {10, 8, 6, 5}};
  s.y_low = {9, 7, nan, 4.5};
  s.y_high = {11, 9, nan, 5.5};
  s.band_name = "p10-p90";
  chart.panels = {Panel{"days", {s}, true}};
  const std::string doc = line_chart_svg(chart);
  const XmlCheck c = check_xml(doc);
  ASSERT_TRUE(c.well_formed) << c.problem;
  EXPECT_EQ(count(c.elements, "polygon"), 1u);  // points 1-2; point 4 alone is a bar
  EXPECT_LT(doc.find("class=\"band\""), doc.find("class=\"series\""));
  const ChartLayout layout = layout_line_chart(chart);
  ASSERT_EQ(layout.legend.size(), 2u);
  EXPECT_EQ(layout.legend[1].label, "p10-p90");
  EXPECT_EQ(layout.legend[1].kind, LegendEntry::Kind::band);
  // The band's upper bound sets the axis: 11 needs a tick above 10.
  EXPECT_NE(doc.find(">12</text>"), std::string::npos);
}

TEST(SvgChartLayout, GapsAreMarkedAndExplained) {
  LineChart chart;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Series s{"fabric", {8192, 12288, 16384}, {10, nan, 6}};
  s.gap_reasons = {"", "no layout", ""};
  chart.panels = {Panel{"days", {s}, true}, Panel{"MFU", {{"fabric", {8192, 12288, 16384}, {40, nan, 38}, "", false, {}, {}, "", {"", "no layout", ""}}}, true}};
  const std::string doc = line_chart_svg(chart);
  EXPECT_EQ(occurrences(doc, "class=\"gap\""), 2u);  // a cross on each panel
  EXPECT_NE(doc.find("<title>fabric at 12288: no layout</title>"), std::string::npos);
  const ChartLayout layout = layout_line_chart(chart);
  ASSERT_EQ(layout.note_lines.size(), 1u);  // one note for both panels
  EXPECT_EQ(layout.note_lines[0], "\u00d7 at 12288 (fabric): no layout");
  EXPECT_GT(layout.notes_y, layout.legend.back().box.bottom());
  EXPECT_LE(layout.notes_y, layout.height);
}

TEST(SvgChartLayout, AReferenceLineIsAlwaysOnTheAxis) {
  LineChart chart;
  chart.panels = {Panel{"days", {{"s", {1, 2}, {20, 30}}}, true, {{100, "deadline 100 days"}}}};
  const std::string doc = line_chart_svg(chart);
  EXPECT_NE(doc.find(">100</text>"), std::string::npos);
  EXPECT_NE(doc.find(">deadline 100 days</text>"), std::string::npos);
  EXPECT_NE(doc.find("class=\"reference\""), std::string::npos);
}

TEST(SvgChartLayout, NotesWrapToTheWidth) {
  const auto lines = wrap_text("one two three four five six seven", text_width("one two three") + 1);
  EXPECT_EQ(lines, (std::vector<std::string>{"one two three", "four five six", "seven"}));
  EXPECT_EQ(wrap_text("", 100).size(), 0u);
  EXPECT_EQ(text_width("\u00d7x"), 2 * kCharWidth);  // characters, not bytes
  LineChart chart;
  chart.width = 400;
  chart.panels = {Panel{"y", {{"s", {1, 2}, {1, 2}}}, true}};
  chart.notes = {std::string(30, 'a') + " " + std::string(30, 'b') + " " + std::string(30, 'c')};
  const ChartLayout layout = layout_line_chart(chart);
  EXPECT_EQ(layout.note_lines.size(), 3u);
  EXPECT_EQ(layout.width, 400);
  for (std::size_t i = 0; i < layout.note_lines.size(); ++i)
    EXPECT_LE(layout.notes_y + kLineHeight * static_cast<double>(i), layout.height);
}

}  // namespace trainplan::svg
