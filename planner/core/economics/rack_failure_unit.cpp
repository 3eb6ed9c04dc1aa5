#include "planner/core/economics/rack_failure_unit.hpp"

#include <algorithm>

namespace trainplan {

double hosts_in_job(const ReliabilityJob& job) {
  const int per_domain = std::max(1, job.gpus_per_node);
  const int per_host = job.gpus_per_host > 0 ? std::min(job.gpus_per_host, per_domain) : per_domain;
  return static_cast<double>((static_cast<long long>(job.gpus) + per_host - 1) / per_host);
}

std::string rack_failure_unit_note(const ReliabilityJob& job) {
  const int per_domain = std::max(1, job.gpus_per_node);
  const int per_host = job.gpus_per_host > 0 ? std::min(job.gpus_per_host, per_domain) : per_domain;
  return "failure unit: the " + std::to_string(per_domain) + "-GPU scale-up domain (" + std::to_string(per_domain / per_host) +
         " hosts of " + std::to_string(per_host) +
         " GPUs): host failures and checkpoint writes count per host, a failed host takes its domain's share of the job out, "
         "and hot spares are whole domains";
}

}  // namespace trainplan
