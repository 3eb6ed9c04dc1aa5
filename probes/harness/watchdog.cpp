#include "watchdog.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace trainplan::probe {

namespace {
// now + seconds on the steady clock, the seconds bounded (one year) so that no value overflows
// the clock's nanoseconds (1e10 s would); NaN and negatives are refused by the options first.
std::chrono::steady_clock::time_point deadline_after(double seconds) {
  const double bounded = std::isfinite(seconds) ? std::clamp(seconds, 0.0, 3.2e7) : 3.2e7;
  return std::chrono::steady_clock::now() +
         std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(bounded));
}
}  // namespace

Watchdog::Watchdog(double timeout_s, std::function<void(const std::string&)> on_timeout)
    : timeout_s_(timeout_s), on_timeout_(std::move(on_timeout)) {
  if (!(timeout_s_ > 0)) return;
  deadline_ = deadline_after(timeout_s_);
  thread_ = std::thread([this] { run(); });
}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Watchdog::kick(const std::string& phase) {
  if (!(timeout_s_ > 0)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  phase_ = phase;
  deadline_ = deadline_after(timeout_s_);
}

void Watchdog::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    const auto deadline = deadline_;
    if (wake_.wait_until(lock, deadline, [&] { return stopping_ || deadline_ != deadline; })) continue;
    std::ostringstream message;
    message << "no progress for " << timeout_s_ << " s during '" << phase_
            << "' (a rank may have failed or hung; see --timeout)";
    on_timeout_(message.str());
    return;
  }
}

}  // namespace trainplan::probe
