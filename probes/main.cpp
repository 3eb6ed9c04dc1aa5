// trainplan-probe <gemm|hbm|comm> [options] --json FILE
// One harness (MPI start-up, options, timing, statistics, JSON) and one function per probe.
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "harness/probe_context.hpp"

namespace {

using trainplan::probe::ProbeFunction;

struct ProbeEntry {
  const char* name;
  const char* summary;
  ProbeFunction run;
};

const ProbeEntry kProbes[] = {
    {"gemm", "cuBLASLt matmul throughput (bf16, fp8) by shape", trainplan::probe::gemm_probe},
    {"hbm", "device memory bandwidth (copy, triad)", trainplan::probe::hbm_probe},
    {"comm", "collective bus bandwidth by message size (NCCL, or MPI on host memory)", trainplan::probe::comm_probe},
};

void print_usage(std::ostream& out) {
  out << "usage: trainplan-probe <probe> [options] --json FILE\n"
         "       (under mpirun or srun: one rank per GPU)\n\nprobes:\n";
  for (const auto& probe : kProbes) out << "  " << probe.name << "  " << probe.summary << "\n";
  out << "\n'trainplan-probe <probe> --help' lists a probe's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace trainplan::probe;
  std::unique_ptr<World> world;
  try {
    world = World::start(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "trainplan-probe: cannot start: " << e.what() << "\n";
    return 2;
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  const ProbeEntry* chosen = nullptr;
  if (!args.empty())
    for (const auto& probe : kProbes)
      if (args[0] == probe.name) chosen = &probe;
  if (!chosen) {
    if (world->rank() == 0) {
      if (!args.empty() && args[0] != "--help" && args[0] != "-h") std::cerr << "trainplan-probe: unknown probe '" << args[0] << "'\n";
      print_usage(args.empty() || args[0] == "--help" || args[0] == "-h" ? std::cout : std::cerr);
    }
    const bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
    world->finish();
    return help ? 0 : 2;
  }

  ProbeContext context{*world, RunContext{chosen->name, command_line(argc, argv), world->hosts_by_rank(), world->mpi_version()}};
  int status = 0;
  try {
    status = chosen->run(std::vector<std::string>(args.begin() + 1, args.end()), context);
  } catch (const std::exception& e) {
    const auto& hosts = world->hosts_by_rank();
    std::cerr << "trainplan-probe " << chosen->name << ": rank " << world->rank() << " on "
              << hosts[static_cast<std::size_t>(world->rank()) % hosts.size()] << ": " << e.what() << std::endl;
    // The other ranks may be waiting inside a collective for this one: end them all now.
    if (world->size() > 1) world->abort(1);
    status = 1;
  }
  world->finish();
  return status;
}
