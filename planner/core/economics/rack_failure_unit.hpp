#pragma once
// The failure unit where a scale-up domain spans several hosts (GB200 NVL72: a rack of 18 compute
// trays of 4 GPUs, one NVLink domain). Interruptions strike per GPU and per host (tray), and a
// checkpoint is written by every host; but the job's tensor/expert groups span the whole NVLink
// domain, so a failed tray takes the domain's share of the job out: the restart needs a healthy
// domain, and hot spares are whole domains (docs/goodput-and-cost.md, "Rack-scale domains").
#include <string>

#include "planner/core/economics/reliability.hpp"

namespace trainplan {

// Hosts in the job: GPUs / gpus_per_host, or one per domain when gpus_per_host is 0 (or not smaller).
double hosts_in_job(const ReliabilityJob& job);

// A note for the report: the failure unit and how many hosts share it.
std::string rack_failure_unit_note(const ReliabilityJob& job);

}  // namespace trainplan
