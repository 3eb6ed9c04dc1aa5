#pragma once
// Progress of the commands that search (search, size, sweep, report, plan --schedule) on stderr:
// on a terminal, a one-line bar with the time left; with stderr redirected (nohup, CI, Slurm), a
// plain line every 10 s ("progress: sweep 16384 GPUs 42% after 3m20s, about 4m36s left") and a last
// one when done, so a long job's log shows it is alive. Jobs under 10 s print no lines.
#include <functional>
#include <iosfwd>
#include <string>

namespace trainplan {

class ProgressBar {
 public:
  enum class Style { off, bar, lines };
  using Clock = std::function<double()>;  // seconds on a monotonic clock

  // A bar when `err` is the process's stderr and a terminal, lines when it is stderr redirected,
  // off for any other stream (the in-process tests).
  explicit ProgressBar(std::ostream& err);
  // Explicit style and time source (tests drive it with a fake clock).
  ProgressBar(std::ostream& err, Style style, Clock clock, double line_interval_s = 10.0);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;
  bool enabled() const { return style_ != Style::off; }
  // `fraction` of the work is done; a fraction lower than the last one starts a new stage (size
  // searches count after count), whose time left is estimated afresh.
  void show(const std::string& label, double fraction);
  void clear();

 private:
  std::ostream& err_;
  Style style_ = Style::off;
  Clock clock_;
  double line_interval_s_ = 10.0;
  bool started_ = false;
  double start_s_ = 0, stage_start_s_ = 0, last_line_s_ = 0, last_fraction_ = 0;
  std::string last_label_;
  int lines_ = 0;
  bool drawn_ = false;
};

// "12s", "3m20s", "2h05m": a duration for progress lines.
std::string duration_text(double seconds);
// The time left when `fraction` of the work took `elapsed_s`: elapsed x (1 - f) / f; negative
// when too little is done to tell (under 1% or under a second).
double seconds_left(double elapsed_s, double fraction);

}  // namespace trainplan
