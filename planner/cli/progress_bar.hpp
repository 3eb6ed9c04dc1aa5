#pragma once
// A one-line progress bar on stderr for the commands that search (search, size, sweep).
#include <iosfwd>
#include <string>

namespace trainplan {

// Drawn only when `err` is the process's stderr and a terminal.
class ProgressBar {
 public:
  explicit ProgressBar(std::ostream& err);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  bool enabled() const { return enabled_; }
  void show(const std::string& label, double fraction);
  void clear();

 private:
  std::ostream& err_;
  bool enabled_ = false;
  bool drawn_ = false;
};

}  // namespace trainplan
