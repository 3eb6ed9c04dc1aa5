#include "progress_bar.hpp"

#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace trainplan {

ProgressBar::ProgressBar(std::ostream& err) : err_(err), enabled_(&err == &std::cerr && isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() { clear(); }

void ProgressBar::show(const std::string& label, double fraction) {
  if (!enabled_) return;
  constexpr int kWidth = 30;
  const double clamped = std::clamp(fraction, 0.0, 1.0);
  const int filled = static_cast<int>(clamped * kWidth);
  err_ << "\r\033[K" << label << " [" << std::string(static_cast<std::size_t>(filled), '#')
       << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << static_cast<int>(100 * clamped) << "%"
       << std::flush;
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!drawn_) return;
  err_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace trainplan
