#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <ostream>
#include <sstream>
#include <utility>

namespace trainplan::svg {

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        // XML 1.0 forbids most control characters, even escaped.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
    }
  }
  return out;
}

std::vector<double> nice_ticks(double low, double high, int target_count) {
  if (!std::isfinite(low) || !std::isfinite(high)) return {0.0, 1.0};
  if (high < low) std::swap(low, high);
  if (high == low) {
    const double pad = low == 0 ? 1.0 : std::abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const double raw_step = (high - low) / std::max(1, target_count - 1);
  const int exponent = static_cast<int>(std::floor(std::log10(raw_step)));
  const double magnitude = std::pow(10.0, exponent);
  // The 1-2-5 step nearest the raw step (on a log scale).
  double factor = 1;
  for (double f : {2.0, 5.0, 10.0})
    if (std::abs(std::log(f * magnitude / raw_step)) < std::abs(std::log(factor * magnitude / raw_step))) factor = f;
  const double step = factor * magnitude;
  // Tick k is k * factor * 10^exponent; for negative exponents divide by the exact power of ten so
  // 3 * 0.2 comes out as 0.6, not 0.6000000000000001.
  const double divisor = exponent < 0 ? std::pow(10.0, -exponent) : 1.0;
  const double multiplier = exponent < 0 ? 1.0 : magnitude;
  const long long first = static_cast<long long>(std::floor(low / step + 1e-9));
  const long long last = static_cast<long long>(std::ceil(high / step - 1e-9));
  std::vector<double> ticks;
  for (long long k = first; k <= last; ++k) {
    const double v = static_cast<double>(k) * factor * multiplier / divisor;
    ticks.push_back(v == 0 ? 0.0 : v);  // no "-0"
  }
  return ticks;
}

std::vector<double> power_of_two_ticks(double low, double high) {
  if (!(low > 0) || !std::isfinite(high)) return {1.0, 2.0};
  if (high < low) std::swap(low, high);
  const int lowest = static_cast<int>(std::floor(std::log2(low) + 1e-9));
  int highest = static_cast<int>(std::ceil(std::log2(high) - 1e-9));
  if (highest == lowest) ++highest;
  constexpr int kMostTicks = 10;
  const int stride = std::max(1, (highest - lowest + kMostTicks - 1) / kMostTicks);
  std::vector<double> ticks;
  for (int e = lowest;; e += stride) {
    ticks.push_back(std::ldexp(1.0, e));
    if (e >= highest) break;
  }
  return ticks;
}

std::string format_tick(double value) {
  char buffer[32];
  if (std::abs(value - std::round(value)) < 1e-9 * std::max(1.0, std::abs(value)) && std::abs(value) < 1e15) {
    const double whole = std::round(value);
    std::snprintf(buffer, sizeof buffer, "%.0f", whole == 0 ? 0.0 : whole);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  }
  return buffer;
}

namespace {

// Colour-blind-safe palette (Okabe and Ito 2008), in series order.
constexpr const char* kPalette[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"};

constexpr double kMarginLeft = 76, kMarginRight = 24, kMarginTop = 44, kPanelGap = 30;
constexpr double kXAxisLabelBelow = 42;   // from the last plot's bottom to the x label's baseline
constexpr double kLegendGap = 14;         // from the x label to the first legend row
constexpr double kSwatch = 26, kSwatchGap = 6, kEntryGap = 18, kBottomPad = 12;
constexpr double kMarkerRadius = 3;

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

using Attributes = std::vector<std::pair<const char*, std::string>>;

// Writes elements with escaped attribute values and text; tracks nesting so every element closes.
class XmlWriter {
 public:
  explicit XmlWriter(std::ostream& out) : out_(out) {}
  void open(const char* tag, const Attributes& attributes) {
    start(tag, attributes);
    out_ << ">\n";
    open_.push_back(tag);
  }
  void close() {
    out_ << "</" << open_.back() << ">\n";
    open_.pop_back();
  }
  void empty(const char* tag, const Attributes& attributes) {
    start(tag, attributes);
    out_ << "/>\n";
  }
  void text(const char* tag, const Attributes& attributes, std::string_view content) {
    start(tag, attributes);
    out_ << ">" << escape_xml(content) << "</" << tag << ">\n";
  }

 private:
  void start(const char* tag, const Attributes& attributes) {
    out_ << "<" << tag;
    for (const auto& [name, value] : attributes) out_ << " " << name << "=\"" << escape_xml(value) << "\"";
  }
  std::ostream& out_;
  std::vector<const char*> open_;
};

// A linear map from data to pixels (on log2(x) for a logarithmic axis).
struct Axis {
  double data_low = 0, data_high = 1;
  double pixel_low = 0, pixel_high = 1;
  bool log2 = false;
  double to_pixel(double v) const {
    const double a = log2 ? std::log2(data_low) : data_low;
    const double b = log2 ? std::log2(data_high) : data_high;
    const double t = ((log2 ? std::log2(v) : v) - a) / (b - a);
    return pixel_low + t * (pixel_high - pixel_low);
  }
};

struct Range {
  double low = 0, high = 0;
  bool any = false;
  void add(double v) {
    if (!std::isfinite(v)) return;
    low = any ? std::min(low, v) : v;
    high = any ? std::max(high, v) : v;
    any = true;
  }
};

bool usable_x(double x, bool log2) { return std::isfinite(x) && (!log2 || x > 0); }

double value_at(const std::vector<double>& values, std::size_t i) {
  return i < values.size() ? values[i] : std::numeric_limits<double>::quiet_NaN();
}

const std::string& colour_key(const Series& s) { return s.colour_key.empty() ? s.name : s.colour_key; }

// Colour keys in order of first appearance.
std::vector<std::string> colour_keys(const LineChart& chart) {
  std::vector<std::string> keys;
  for (const Panel& panel : chart.panels)
    for (const Series& s : panel.series)
      if (std::find(keys.begin(), keys.end(), colour_key(s)) == keys.end()) keys.push_back(colour_key(s));
  return keys;
}

std::string colour_of(const std::vector<std::string>& keys, const std::string& key) {
  const auto i = static_cast<std::size_t>(std::find(keys.begin(), keys.end(), key) - keys.begin());
  return kPalette[i % std::size(kPalette)];
}

// "× name: reason at x1, x2" for every (series, reason) with gaps, in order of appearance; one per
// series name and reason over all panels.
std::vector<std::string> gap_notes(const LineChart& chart) {
  std::vector<std::pair<std::string, std::vector<double>>> groups;  // "name: reason" -> xs
  for (const Panel& panel : chart.panels)
    for (const Series& s : panel.series)
      for (std::size_t i = 0; i < s.x.size(); ++i) {
        const std::string reason = i < s.gap_reasons.size() ? s.gap_reasons[i] : "";
        if (reason.empty() || std::isfinite(value_at(s.y, i)) || !usable_x(s.x[i], chart.log2_x)) continue;
        const std::string key = colour_key(s) + "): " + reason;
        auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == key; });
        if (it == groups.end()) {
          groups.push_back({key, {}});
          it = groups.end() - 1;
        }
        if (std::find(it->second.begin(), it->second.end(), s.x[i]) == it->second.end()) it->second.push_back(s.x[i]);
      }
  std::vector<std::string> notes;
  for (const auto& [key, xs] : groups) {
    std::string note = "\u00d7 at ";
    for (std::size_t i = 0; i < xs.size(); ++i) note += (i ? ", " : "") + format_tick(xs[i]);
    notes.push_back(note + " (" + key);
  }
  return notes;
}

}  // namespace

double text_width(std::string_view text) {
  std::size_t characters = 0;
  for (char c : text) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // UTF-8 code points
  return kCharWidth * static_cast<double>(characters);
}

std::vector<std::string> wrap_text(const std::string& text, double width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t space = text.find(' ', at);
    if (space == std::string::npos) space = text.size();
    const std::string word = text.substr(at, space - at);
    at = space + 1;
    if (word.empty()) continue;
    if (!line.empty() && text_width(line + " " + word) > width) {
      lines.push_back(line);
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

ChartLayout layout_line_chart(const LineChart& chart) {
  ChartLayout layout;
  layout.width = std::max(chart.width, 320);
  const double panel_height = std::max(chart.panel_height, 120);
  const std::size_t panel_count = std::max<std::size_t>(1, chart.panels.size());
  const double plot_left = kMarginLeft;
  const double plot_right = layout.width - kMarginRight;
  for (std::size_t p = 0; p < panel_count; ++p)
    layout.plots.push_back({plot_left, kMarginTop + static_cast<double>(p) * (panel_height + kPanelGap), plot_right - plot_left,
                            panel_height});
  layout.x_label = chart.x_label;
  if (chart.log2_x) layout.x_label += (layout.x_label.empty() ? "" : " ") + std::string("(log scale: each tick doubles)");
  layout.x_label_y = layout.plots.back().bottom() + kXAxisLabelBelow;

  // Legend: one entry per label, wrapped into rows under the x label, within [plot_left, plot_right].
  const std::vector<std::string> keys = colour_keys(chart);
  const auto add_entry = [&](const std::string& label, const std::string& colour, LegendEntry::Kind kind) {
    if (label.empty()) return;
    for (const LegendEntry& e : layout.legend)
      if (e.label == label) return;
    layout.legend.push_back({label, colour, kind, {}});
  };
  for (const Panel& panel : chart.panels)
    for (const Series& s : panel.series) {
      const std::string colour = colour_of(keys, colour_key(s));
      add_entry(s.name, colour, s.dashed ? LegendEntry::Kind::dashed_line : LegendEntry::Kind::line);
      if (!s.y_low.empty() && !s.y_high.empty()) add_entry(s.band_name, colour, LegendEntry::Kind::band);
    }
  double x = plot_left;
  double row_top = layout.x_label_y + kLegendGap;
  const double row_height = kLineHeight + 2;
  const double available = plot_right - plot_left;
  for (LegendEntry& e : layout.legend) {
    // An entry wider than a row gets its text shortened only in the estimate's favour: it stands
    // alone on its row and may use the right margin too.
    const double entry_width = kSwatch + kSwatchGap + text_width(e.label);
    if (x > plot_left && x + entry_width > plot_left + available) {
      x = plot_left;
      row_top += row_height;
    }
    e.box = {x, row_top, entry_width, kLineHeight};
    x += entry_width + kEntryGap;
  }
  const double legend_bottom = layout.legend.empty() ? layout.x_label_y : row_top + row_height;

  // Notes: gap explanations first, then the chart's own; wrapped to the chart's width.
  std::vector<std::string> notes = gap_notes(chart);
  notes.insert(notes.end(), chart.notes.begin(), chart.notes.end());
  for (const std::string& note : notes)
    for (const std::string& line : wrap_text(note, layout.width - plot_left - 8)) layout.note_lines.push_back(line);
  layout.notes_y = legend_bottom + kLineHeight;
  layout.height = (layout.note_lines.empty() ? legend_bottom : layout.notes_y + kLineHeight * static_cast<double>(layout.note_lines.size() - 1)) +
                  kBottomPad;
  // Any entry that still overflows (a label wider than the whole chart) widens the chart.
  for (const LegendEntry& e : layout.legend) layout.width = std::max(layout.width, e.box.right() + 8);
  for (const std::string& line : layout.note_lines) layout.width = std::max(layout.width, plot_left + text_width(line) + 8);
  return layout;
}

void write_line_chart(const LineChart& chart, std::ostream& out) {
  const ChartLayout layout = layout_line_chart(chart);
  const double width = layout.width;
  const double height = layout.height;
  const double plot_left = layout.plots.front().x;
  const double plot_right = layout.plots.front().right();

  // Shared x axis.
  Range x_range;
  for (const Panel& panel : chart.panels)
    for (const Series& s : panel.series)
      for (double x : s.x)
        if (usable_x(x, chart.log2_x)) x_range.add(x);
  std::vector<double> x_ticks;
  if (chart.log2_x)
    x_ticks = x_range.any ? power_of_two_ticks(x_range.low, x_range.high) : power_of_two_ticks(1, 2);
  else
    x_ticks = x_range.any ? nice_ticks(x_range.low, x_range.high, 6) : nice_ticks(0, 1, 6);
  const Axis x_axis{x_ticks.front(), x_ticks.back(), plot_left, plot_right, chart.log2_x};
  const std::vector<std::string> keys = colour_keys(chart);

  XmlWriter w(out);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  w.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
                 {"class", "chart"},
                 {"width", number(width)},
                 {"height", number(height)},
                 {"viewBox", "0 0 " + number(width) + " " + number(height)},
                 {"font-family", "sans-serif"},
                 {"font-size", "12"}});
  w.empty("rect", {{"x", "0"}, {"y", "0"}, {"width", number(width)}, {"height", number(height)}, {"fill", "white"}});
  w.text("title", {}, chart.title);
  w.text("text", {{"x", number(plot_left)}, {"y", "24"}, {"font-size", "16"}, {"font-weight", "bold"}}, chart.title);

  for (std::size_t p = 0; p < chart.panels.size(); ++p) {
    const Panel& panel = chart.panels[p];
    const Box& plot = layout.plots[p];
    const double top = plot.y;
    const double bottom = plot.bottom();
    Range y_range;
    for (const Series& s : panel.series)
      for (std::size_t i = 0; i < s.x.size(); ++i) {
        if (!usable_x(s.x[i], chart.log2_x)) continue;
        y_range.add(value_at(s.y, i));
        y_range.add(value_at(s.y_low, i));
        y_range.add(value_at(s.y_high, i));
      }
    for (const ReferenceLine& line : panel.lines) y_range.add(line.y);
    if (panel.y_from_zero) y_range.add(0.0);
    const std::vector<double> y_ticks = y_range.any ? nice_ticks(y_range.low, y_range.high, 5) : nice_ticks(0, 1, 5);
    const Axis y_axis{y_ticks.front(), y_ticks.back(), bottom, top, false};

    w.open("g", {{"class", "panel"}});
    for (double t : y_ticks) {
      const std::string y = number(y_axis.to_pixel(t));
      w.empty("line", {{"x1", number(plot_left)}, {"y1", y}, {"x2", number(plot_right)}, {"y2", y}, {"stroke", "#e0e0e0"}});
      w.text("text", {{"x", number(plot_left - 6)}, {"y", y}, {"text-anchor", "end"}, {"dominant-baseline", "middle"}},
             format_tick(t));
    }
    for (double t : x_ticks) {
      const std::string x = number(x_axis.to_pixel(t));
      w.empty("line", {{"x1", x}, {"y1", number(top)}, {"x2", x}, {"y2", number(bottom)}, {"stroke", "#f0f0f0"}});
      w.empty("line", {{"x1", x}, {"y1", number(bottom)}, {"x2", x}, {"y2", number(bottom + 4)}, {"stroke", "#444"}});
      if (p + 1 == chart.panels.size())
        w.text("text", {{"x", x}, {"y", number(bottom + 18)}, {"text-anchor", "middle"}}, format_tick(t));
    }
    w.empty("rect", {{"class", "frame"},
                     {"x", number(plot_left)},
                     {"y", number(top)},
                     {"width", number(plot_right - plot_left)},
                     {"height", number(bottom - top)},
                     {"fill", "none"},
                     {"stroke", "#444"}});
    const std::string label_x = number(18);
    const std::string label_y = number((top + bottom) / 2);
    w.text("text", {{"x", label_x}, {"y", label_y}, {"text-anchor", "middle"}, {"transform", "rotate(-90 " + label_x + " " + label_y + ")"}},
           panel.y_label);

    for (const ReferenceLine& line : panel.lines) {
      const std::string y = number(y_axis.to_pixel(line.y));
      w.open("g", {{"class", "reference"}});
      w.empty("line", {{"x1", number(plot_left)}, {"y1", y}, {"x2", number(plot_right)}, {"y2", y}, {"stroke", "#B00020"},
                       {"stroke-width", "1.5"}, {"stroke-dasharray", "2 4"}});
      w.text("text", {{"x", number(plot_right - 6)}, {"y", number(y_axis.to_pixel(line.y) - 5)}, {"text-anchor", "end"},
                      {"fill", "#B00020"}},
             line.label);
      w.close();
    }

    for (const Series& s : panel.series) {
      const std::string stroke = colour_of(keys, colour_key(s));
      // The band first, so the line stays on top: one polygon per unbroken run of finite bounds.
      if (!s.y_low.empty() && !s.y_high.empty()) {
        w.open("g", {{"class", "band"}, {"fill", stroke}, {"fill-opacity", "0.18"}, {"stroke", "none"}});
        std::vector<std::pair<double, double>> upper, lower;
        const auto flush_band = [&] {
          if (upper.size() >= 1) {
            std::string points;
            for (const auto& [x, y] : upper) points += (points.empty() ? "" : " ") + number(x) + "," + number(y);
            for (auto it = lower.rbegin(); it != lower.rend(); ++it) points += " " + number(it->first) + "," + number(it->second);
            if (upper.size() == 1)  // a lone point: a short vertical bar
              w.empty("line", {{"x1", number(upper[0].first)}, {"y1", number(upper[0].second)}, {"x2", number(lower[0].first)},
                               {"y2", number(lower[0].second)}, {"stroke", stroke}, {"stroke-width", "6"}, {"stroke-opacity", "0.3"}});
            else
              w.empty("polygon", {{"points", points}});
          }
          upper.clear();
          lower.clear();
        };
        for (std::size_t i = 0; i < s.x.size(); ++i) {
          const double low = value_at(s.y_low, i), high = value_at(s.y_high, i);
          if (!usable_x(s.x[i], chart.log2_x) || !std::isfinite(low) || !std::isfinite(high)) {
            flush_band();
            continue;
          }
          upper.push_back({x_axis.to_pixel(s.x[i]), y_axis.to_pixel(high)});
          lower.push_back({x_axis.to_pixel(s.x[i]), y_axis.to_pixel(low)});
        }
        flush_band();
        w.close();
      }
      Attributes group{{"class", "series"}, {"stroke", stroke}, {"fill", stroke}};
      if (s.dashed) group.push_back({"stroke-dasharray", "7 4"});
      w.open("g", group);
      std::string points;  // the current unbroken piece
      const auto flush = [&] {
        if (!points.empty()) w.empty("polyline", {{"points", points}, {"fill", "none"}, {"stroke-width", "2"}});
        points.clear();
      };
      for (std::size_t i = 0; i < s.x.size() && i < s.y.size(); ++i) {
        if (!usable_x(s.x[i], chart.log2_x) || !std::isfinite(s.y[i])) {
          flush();
          continue;
        }
        const std::string x = number(x_axis.to_pixel(s.x[i]));
        const std::string y = number(y_axis.to_pixel(s.y[i]));
        points += (points.empty() ? "" : " ") + x + "," + y;
        w.empty("circle", {{"cx", x}, {"cy", y}, {"r", number(kMarkerRadius)}, {"stroke-dasharray", "none"}});
      }
      flush();
      w.close();
      // Gaps with a reason: a grey cross on the x axis, the reason as its tooltip.
      for (std::size_t i = 0; i < s.x.size(); ++i) {
        const std::string reason = i < s.gap_reasons.size() ? s.gap_reasons[i] : "";
        if (reason.empty() || std::isfinite(value_at(s.y, i)) || !usable_x(s.x[i], chart.log2_x)) continue;
        w.open("g", {{"class", "gap"}});
        w.text("title", {}, s.name + " at " + format_tick(s.x[i]) + ": " + reason);
        w.text("text", {{"x", number(x_axis.to_pixel(s.x[i]))}, {"y", number(bottom - 6)}, {"text-anchor", "middle"},
                        {"fill", "#777"}, {"font-size", "14"}},
               "\u00d7");
        w.close();
      }
    }
    w.close();
  }

  w.text("text", {{"class", "x-label"}, {"x", number((plot_left + plot_right) / 2)}, {"y", number(layout.x_label_y)},
                  {"text-anchor", "middle"}},
         layout.x_label);

  w.open("g", {{"class", "legend"}});
  for (const LegendEntry& e : layout.legend) {
    const double mid = e.box.y + e.box.height / 2;
    if (e.kind == LegendEntry::Kind::band) {
      w.empty("rect", {{"x", number(e.box.x)}, {"y", number(mid - 6)}, {"width", number(kSwatch)}, {"height", "12"},
                       {"fill", e.colour}, {"fill-opacity", "0.18"}});
    } else {
      Attributes line{{"x1", number(e.box.x)}, {"y1", number(mid)}, {"x2", number(e.box.x + kSwatch)}, {"y2", number(mid)},
                      {"stroke", e.colour}, {"stroke-width", "2"}};
      if (e.kind == LegendEntry::Kind::dashed_line) line.push_back({"stroke-dasharray", "7 4"});
      w.empty("line", line);
    }
    w.text("text", {{"x", number(e.box.x + kSwatch + kSwatchGap)}, {"y", number(mid)}, {"dominant-baseline", "middle"}}, e.label);
  }
  w.close();
  if (!layout.note_lines.empty()) {
    w.open("g", {{"class", "notes"}, {"fill", "#444"}});
    for (std::size_t i = 0; i < layout.note_lines.size(); ++i)
      w.text("text", {{"x", number(plot_left)}, {"y", number(layout.notes_y + kLineHeight * static_cast<double>(i))}},
             layout.note_lines[i]);
    w.close();
  }
  w.close();
}

std::string line_chart_svg(const LineChart& chart) {
  std::ostringstream out;
  write_line_chart(chart, out);
  return out.str();
}

}  // namespace trainplan::svg
