#include "svg_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
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

constexpr double kMarginLeft = 76, kMarginRight = 180, kMarginTop = 44, kMarginBottom = 56, kPanelGap = 30;
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

}  // namespace

void write_line_chart(const LineChart& chart, std::ostream& out) {
  const double width = std::max(chart.width, 320);
  const double panel_height = std::max(chart.panel_height, 120);
  const std::size_t panel_count = std::max<std::size_t>(1, chart.panels.size());
  const double height = kMarginTop + static_cast<double>(panel_count) * panel_height +
                        static_cast<double>(panel_count - 1) * kPanelGap + kMarginBottom;
  const double plot_left = kMarginLeft;
  const double plot_right = width - kMarginRight;

  // Shared x axis and one colour per series name (first appearance order).
  Range x_range;
  std::vector<std::string> names;
  for (const Panel& panel : chart.panels)
    for (const Series& s : panel.series) {
      for (double x : s.x)
        if (usable_x(x, chart.log2_x)) x_range.add(x);
      if (std::find(names.begin(), names.end(), s.name) == names.end()) names.push_back(s.name);
    }
  std::vector<double> x_ticks;
  if (chart.log2_x)
    x_ticks = x_range.any ? power_of_two_ticks(x_range.low, x_range.high) : power_of_two_ticks(1, 2);
  else
    x_ticks = x_range.any ? nice_ticks(x_range.low, x_range.high, 6) : nice_ticks(0, 1, 6);
  const Axis x_axis{x_ticks.front(), x_ticks.back(), plot_left, plot_right, chart.log2_x};
  const auto colour = [&](const std::string& name) {
    const auto i = static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
    return std::string(kPalette[i % std::size(kPalette)]);
  };

  XmlWriter w(out);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  w.open("svg", {{"xmlns", "http://www.w3.org/2000/svg"},
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
    const double top = kMarginTop + static_cast<double>(p) * (panel_height + kPanelGap);
    const double bottom = top + panel_height;
    Range y_range;
    for (const Series& s : panel.series)
      for (std::size_t i = 0; i < s.y.size() && i < s.x.size(); ++i)
        if (usable_x(s.x[i], chart.log2_x)) y_range.add(s.y[i]);
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
    w.empty("rect", {{"x", number(plot_left)},
                     {"y", number(top)},
                     {"width", number(plot_right - plot_left)},
                     {"height", number(panel_height)},
                     {"fill", "none"},
                     {"stroke", "#444"}});
    const std::string label_x = number(18);
    const std::string label_y = number((top + bottom) / 2);
    w.text("text", {{"x", label_x}, {"y", label_y}, {"text-anchor", "middle"}, {"transform", "rotate(-90 " + label_x + " " + label_y + ")"}},
           panel.y_label);

    for (const Series& s : panel.series) {
      const std::string stroke = colour(s.name);
      w.open("g", {{"class", "series"}, {"stroke", stroke}, {"fill", stroke}});
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
        w.empty("circle", {{"cx", x}, {"cy", y}, {"r", number(kMarkerRadius)}});
      }
      flush();
      w.close();
    }
    w.close();
  }

  const double last_bottom = kMarginTop + static_cast<double>(panel_count) * panel_height +
                             static_cast<double>(panel_count - 1) * kPanelGap;
  w.text("text", {{"x", number((plot_left + plot_right) / 2)}, {"y", number(last_bottom + 42)}, {"text-anchor", "middle"}},
         chart.x_label);

  w.open("g", {{"class", "legend"}});
  for (std::size_t i = 0; i < names.size(); ++i) {
    const double y = kMarginTop + 10 + 20.0 * static_cast<double>(i);
    const std::string stroke = colour(names[i]);
    w.empty("line", {{"x1", number(plot_right + 16)}, {"y1", number(y)}, {"x2", number(plot_right + 40)}, {"y2", number(y)},
                     {"stroke", stroke}, {"stroke-width", "2"}});
    w.text("text", {{"x", number(plot_right + 46)}, {"y", number(y)}, {"dominant-baseline", "middle"}}, names[i]);
  }
  w.close();
  w.close();
}

std::string line_chart_svg(const LineChart& chart) {
  std::ostringstream out;
  write_line_chart(chart, out);
  return out.str();
}

}  // namespace trainplan::svg
