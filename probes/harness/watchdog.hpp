#pragma once
// A timer thread that ends the whole job when a phase makes no progress for too long (a peer rank
// died inside a collective, a GPU hung): it prints which rank and phase timed out and calls the
// abort action (MPI_Abort), so no rank waits forever. Results already written stay on disk.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace trainplan::probe {

class Watchdog {
 public:
  // timeout_s <= 0 disables it. on_timeout(message) must not return (it aborts the job).
  Watchdog(double timeout_s, std::function<void(const std::string&)> on_timeout);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Restarts the clock and names what the job is doing now ("all_reduce 1 GiB, group world").
  void kick(const std::string& phase);

 private:
  void run();
  double timeout_s_;
  std::function<void(const std::string&)> on_timeout_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::chrono::steady_clock::time_point deadline_;
  std::string phase_ = "start-up";
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace trainplan::probe
