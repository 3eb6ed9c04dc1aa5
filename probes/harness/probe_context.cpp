#include "probe_context.hpp"

#include <iostream>

namespace trainplan::probe {

std::unique_ptr<Watchdog> start_watchdog(const World& world, double timeout_s) {
  const World* job = &world;
  return std::make_unique<Watchdog>(timeout_s, [job](const std::string& message) {
    const auto& hosts = job->hosts_by_rank();
    const std::string host = hosts.empty() ? local_host_name() : hosts[static_cast<std::size_t>(job->rank()) % hosts.size()];
    std::cerr << "trainplan-probe: rank " << job->rank() << " on " << host << ": timeout: " << message << std::endl;
    job->abort(3);
  });
}

ResultFile open_result_file(const ProbeContext& context, const CommonSettings& settings, nlohmann::json header) {
  return ResultFile(context.world.rank() == 0 ? settings.json_path : std::string(), std::move(header));
}

}  // namespace trainplan::probe
