#include "probe_context.hpp"

#include <unistd.h>

namespace trainplan::probe {

void print_error_line(const std::string& line) {
  const std::string text = line + "\n";
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(STDERR_FILENO, text.data() + written, text.size() - written);
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
}

std::string rank_and_host(const World& world) {
  const auto& hosts = world.hosts_by_rank();
  const std::string host = hosts.empty() ? local_host_name() : hosts[static_cast<std::size_t>(world.rank()) % hosts.size()];
  return "rank " + std::to_string(world.rank()) + " on " + host;
}

void confirm_arguments(ProbeContext& context, const CommonSettings& settings) {
  if (context.world.rank() == 0) {
    try {
      check_result_path(settings.json_path);
    } catch (const std::runtime_error& e) {
      throw ProbeError(std::string("--json: ") + e.what());
    }
  }
  // Each failing rank offers (size - rank); the maximum names the lowest failing rank. 0: none.
  const double verdict = context.world.max_over_ranks({0.0}).front();
  context.arguments_confirmed = true;
  if (verdict > 0) throw PeerArgumentsFailed();
}

bool report_argument_failure(const ProbeContext& context) {
  const World& world = context.world;
  const double mine = static_cast<double>(world.size() - world.rank());
  const double verdict = world.max_over_ranks({mine}).front();
  return verdict == mine;
}

std::unique_ptr<Watchdog> start_watchdog(const World& world, double timeout_s, ResultFile* file) {
  const World* job = &world;
  return std::make_unique<Watchdog>(timeout_s, [job, file](const std::string& message) {
    print_error_line("trainplan-probe: " + rank_and_host(*job) + ": timeout: " + message);
    if (file) file->try_fail("timeout: " + message, std::chrono::milliseconds(2000));
    job->abort_from_other_thread(3);
  });
}

ResultFile open_result_file(const ProbeContext& context, const CommonSettings& settings, nlohmann::json header) {
  return ResultFile(context.world.rank() == 0 ? settings.json_path : std::string(), std::move(header));
}

}  // namespace trainplan::probe
