#include "progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>

namespace trainplan {

namespace {

double steady_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

ProgressBar::Style style_for(const std::ostream& err) {
  if (&err != &std::cerr) return ProgressBar::Style::off;
  return isatty(STDERR_FILENO) == 1 ? ProgressBar::Style::bar : ProgressBar::Style::lines;
}

}  // namespace

std::string duration_text(double seconds) {
  const long long s = std::max(0LL, std::llround(seconds));
  char text[48];
  if (s < 60)
    std::snprintf(text, sizeof text, "%llds", s);
  else if (s < 3600)
    std::snprintf(text, sizeof text, "%lldm%02llds", s / 60, s % 60);
  else
    std::snprintf(text, sizeof text, "%lldh%02lldm", s / 3600, (s % 3600) / 60);
  return text;
}

double seconds_left(double elapsed_s, double fraction) {
  if (!(fraction >= 0.01) || !(elapsed_s >= 1.0)) return -1;
  return elapsed_s * (1.0 - std::min(fraction, 1.0)) / fraction;
}

ProgressBar::ProgressBar(std::ostream& err) : ProgressBar(err, style_for(err), steady_seconds) {}

ProgressBar::ProgressBar(std::ostream& err, Style style, Clock clock, double line_interval_s)
    : err_(err), style_(style), clock_(std::move(clock)), line_interval_s_(line_interval_s) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::show(const std::string& label, double fraction) {
  if (style_ == Style::off) return;
  const double now = clock_();
  const double clamped = std::clamp(std::isfinite(fraction) ? fraction : 0.0, 0.0, 1.0);
  if (!started_) {
    started_ = true;
    start_s_ = stage_start_s_ = last_line_s_ = now;
  } else if (clamped < last_fraction_) {
    stage_start_s_ = now;  // a new stage: its own estimate
  }
  last_fraction_ = clamped;
  last_label_ = label;
  const double left = seconds_left(now - stage_start_s_, clamped);
  const std::string percent = std::to_string(static_cast<int>(100 * clamped)) + "%";
  if (style_ == Style::bar) {
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(clamped * kWidth);
    err_ << "\r\033[K" << label << " [" << std::string(static_cast<std::size_t>(filled), '#')
         << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << percent
         << (left >= 0 ? ", about " + duration_text(left) + " left" : std::string()) << std::flush;
    drawn_ = true;
    return;
  }
  if (now - last_line_s_ < line_interval_s_) return;
  last_line_s_ = now;
  ++lines_;
  err_ << "progress: " << label << " " << percent << " after " << duration_text(now - start_s_)
       << (left >= 0 ? ", about " + duration_text(left) + " left" : std::string(", time left not known yet")) << "\n"
       << std::flush;
}

void ProgressBar::clear() {
  if (style_ == Style::lines) {
    // A job that printed progress lines says when it finished; a short one stays silent.
    if (lines_ > 0) err_ << "progress: " << last_label_ << " done after " << duration_text(clock_() - start_s_) << "\n" << std::flush;
    lines_ = 0;
    return;
  }
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace trainplan
